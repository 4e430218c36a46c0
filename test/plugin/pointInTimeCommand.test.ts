// The point-in-time restore command the plugin offers to copy, run through a real POSIX shell: the
// GTID and database typed into the form come back as one word each, unchanged, and nothing runs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreToPointCommandLine } from '../../src/features/pointInTime/command.js';

const run = promisify(execFile);
const cwd = mkdtempSync(path.join(os.tmpdir(), 'warden-pitr-quote-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The words a shell splits a line into, NUL-separated by printf instead of running warden. */
async function words(line: string): Promise<string[]> {
  expect(line.startsWith('warden ')).toBe(true);
  const { stdout } = await run('sh', ['-c', `printf '%s\\0' ${line.slice('warden '.length)}`], { cwd, encoding: 'utf8' });
  return stdout.split('\0').slice(0, -1);
}

const HOSTILE = ["'; rm -rf / #", 'a\ntouch pwned', '$(touch pwned)', '`touch pwned`', 'x; touch pwned', '-rf', "it's", '${HOME}', 'shop_at_10'];

describe('restoreToPointCommandLine', () => {
  it('says -c, -t, --to in ISO UTC and --database, quoting only what needs it', () => {
    expect(restoreToPointCommandLine({ target: 'shop', point: { kind: 'time', iso: '2026-12-06T10:41:59Z' }, database: 'shop_at_10', configFile: '/etc/warden/warden.yaml' })).toBe(
      'warden restore -c /etc/warden/warden.yaml -t shop --to 2026-12-06T10:41:59Z --database shop_at_10',
    );
    expect(restoreToPointCommandLine({ target: 'shop', point: { kind: 'gtid', gtid: '0-1-42' }, database: '', configFile: null })).toBe(
      `warden restore -c '<config file of the agent>' -t shop --to-gtid 0-1-42 --database '<new database>'`,
    );
  });

  it('quotes a hostile database exactly', () => {
    expect(restoreToPointCommandLine({ target: 'shop', point: { kind: 'time', iso: '2026-12-06T10:41:59Z' }, database: "'; rm -rf / #", configFile: '/w.yaml' })).toBe(
      `warden restore -c /w.yaml -t shop --to 2026-12-06T10:41:59Z --database ''\\''; rm -rf / #'`,
    );
  });

  it.each(HOSTILE)('gives the CLI exactly the intended words for database and GTID %j, and runs nothing', async (typed) => {
    const time = restoreToPointCommandLine({ target: 'shop', point: { kind: 'time', iso: '2026-12-06T10:41:59Z' }, database: typed, configFile: `/etc/${typed}.yaml` });
    expect(await words(time)).toEqual(['restore', '-c', `/etc/${typed}.yaml`, '-t', 'shop', '--to', '2026-12-06T10:41:59Z', '--database', typed]);
    const gtid = restoreToPointCommandLine({ target: 'shop', point: { kind: 'gtid', gtid: typed }, database: typed, configFile: '/w.yaml' });
    expect(await words(gtid)).toEqual(['restore', '-c', '/w.yaml', '-t', 'shop', '--to-gtid', typed, '--database', typed]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
