// The restore command the plugin offers to copy, run through a real POSIX shell: every name the
// agent reports must come back as one word, unchanged, and nothing in it may run.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreCommandLine, restoredName } from '../../src/features/backups/shell.js';
import { shellQuote } from '../../src/shared/utils/shell.js';

const run = promisify(execFile);
const cwd = mkdtempSync(path.join(os.tmpdir(), 'warden-quote-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Names a server can hold, each with the exact quoting expected. */
const HOSTILE: Array<[string, string]> = [
  ['x$(touch pwned)', `'x$(touch pwned)'`],
  ["it's", `'it'\\''s'`],
  ["'", `''\\'''`],
  ['a`touch pwned`b', `'a\`touch pwned\`b'`],
  ['a\ntouch pwned', `'a\ntouch pwned'`],
  ['a;touch pwned', `'a;touch pwned'`],
  ['a && touch pwned', `'a && touch pwned'`],
  ['a|touch pwned', `'a|touch pwned'`],
  ['$HOME', `'$HOME'`],
  ['*', `'*'`],
  ['~root', `'~root'`],
  ['!!', `'!!'`],
  ['=ls', `'=ls'`],
  ['a\\b', `'a\\b'`],
  ['<name>', `'<name>'`],
  ['-rf', '-rf'],
  ['--force', '--force'],
  ['café', `'café'`],
  ['数据库', `'数据库'`],
  ['', `''`],
  ['shop', 'shop'],
  ['shop_2024-01.v2', 'shop_2024-01.v2'],
];

async function sh(script: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', script], { cwd, encoding: 'utf8' });
  return stdout;
}

describe('shellQuote', () => {
  it.each(HOSTILE)('quotes %j exactly', (name, quoted) => {
    expect(shellQuote(name)).toBe(quoted);
  });

  it.each(HOSTILE)('sh reads %j back unchanged and runs nothing', async (name) => {
    expect(await sh(`printf "%s\\n" ${shellQuote(name)}`)).toBe(`${name}\n`);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('restoreCommandLine', () => {
  it('restores into <db>_restored from --source-database, with the agent config file', () => {
    expect(restoreCommandLine({ id: '20261122T014512.345Z-3fa9', target: 'shop', database: 'shop', configFile: '/etc/warden/warden.yaml' })).toBe(
      'warden restore -c /etc/warden/warden.yaml --target shop --source-database shop --database shop_restored 20261122T014512.345Z-3fa9',
    );
    expect(restoreCommandLine({ id: 'b1', target: 'shop', database: "o'neil $(id)", configFile: '/srv/my configs/w.yaml' })).toBe(
      `warden restore -c '/srv/my configs/w.yaml' --target shop --source-database 'o'\\''neil $(id)' --database 'o'\\''neil $(id)_restored' b1`,
    );
  });

  it('marks what it does not know with placeholders that stay one literal word when pasted', () => {
    expect(restoreCommandLine({ id: 'b1', target: 'shop', database: null, configFile: null })).toBe(
      `warden restore -c '<config file of the agent>' --target shop --database '<new database>' b1`,
    );
  });

  it('keeps the new name within the 64 characters a database name may have', () => {
    expect(restoredName('x'.repeat(55))).toBe(`${'x'.repeat(55)}_restored`);
    expect(restoredName('x'.repeat(64))).toBe(`${'x'.repeat(55)}_restored`);
    // Cut at a whole character: an emoji is two UTF-16 units and is not split.
    expect(restoredName(`${'x'.repeat(54)}😀tail`)).toBe(`${'x'.repeat(54)}_restored`);
    const line = restoreCommandLine({ id: 'b1', target: 'shop', database: 'y'.repeat(60), configFile: '/w.yaml' });
    expect(line).toContain(`--database ${'y'.repeat(55)}_restored b1`);
  });

  it('keeps an id that looks like an option out of the options', () => {
    expect(restoreCommandLine({ id: '-d', target: 'shop', database: 'shop', configFile: '/w.yaml' })).toBe(
      'warden restore -c /w.yaml --target shop --source-database shop --database shop_restored -- -d',
    );
  });

  it.each(HOSTILE)('gives the CLI exactly the intended arguments for database %j', async (name) => {
    const line = restoreCommandLine({ id: `id ${name}`, target: name, database: name, configFile: `/etc/${name}.yaml` });
    expect(line.startsWith('warden restore ')).toBe(true);
    // The shell splits the line into words; printf shows them NUL-separated instead of running warden.
    const words = (await sh(`printf '%s\\0' ${line.slice('warden '.length)}`)).split('\0').slice(0, -1);
    expect(words).toEqual([
      'restore',
      '-c',
      `/etc/${name}.yaml`,
      '--target',
      name,
      '--source-database',
      name,
      '--database',
      `${name}_restored`,
      `id ${name}`,
    ]);
    expect(existsSync(path.join(cwd, 'pwned'))).toBe(false);
  });
});
