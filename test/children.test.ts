// What the agent's child processes see and leave: a scrubbed environment, option files in the
// agent's private runtime folder (swept after kill -9), and no dump that outlives the agent.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, startTicks, sweepStale } from '../backend/src/mysql/runtimeDir.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { dumpProcessFor, waitFor } from './helpers/proc.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
const runtime = mkdtempSync(path.join(os.tmpdir(), 'warden-runtime-test-'));
afterAll(() => rmSync(runtime, { recursive: true, force: true }));

const SECRETS = { SHOP_PW: 'pw-in-the-env-9d1f', WARDEN_API_TOKEN: 'token-in-the-env-77ab', MYSQL_PWD: 'mysql-pwd-3c2e', AWS_SECRET_ACCESS_KEY: 'aws-5e9a' };

/** A backup held on a table lock: its dump process is alive until the lock is released. */
async function heldBackup(runtimeDir: string) {
  const server = getServer();
  await server.createUser('child_user', SECRETS.SHOP_PW, ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR ON *.*']).catch(() => undefined);
  const ws = makeWorkspace([targetFor(server, 'shop', { user: 'child_user', passwordEnv: 'SHOP_PW', databases: ['shop'] })]);
  const release = await lockTable(server, 'shop.orders');
  const agent = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { ...SECRETS, WARDEN_RUNTIME_DIR: runtimeDir });
  await waitForLockWait(server, 'shop.orders');
  const dump = await waitFor(() => dumpProcessFor(server.port), 10_000, 'the dump process');
  return { agent, dump, release };
}

describe('child processes', () => {
  it('see a scrubbed environment: no password variable, no API token, no other secret', async () => {
    await loadSampleShop(getServer(), 'shop');
    const { agent, dump, release } = await heldBackup(runtime);
    try {
      const environ = readFileSync(`/proc/${dump.pid}/environ`, 'utf8').split('\0').filter(Boolean);
      const names = environ.map((e) => e.slice(0, e.indexOf('=')));
      expect(names).toContain('PATH');
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(names).not.toContain(name);
        expect(environ.join('\n')).not.toContain(value);
      }
    } finally {
      await release();
    }
    expect((await agent.done).code).toBe(0);
  });

  it('die with the agent, and the next agent removes the option file it left', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-runtime-kill-'));
    const { agent, dump, release } = await heldBackup(dir);
    try {
      expect(readdirSync(dir).filter((f) => f.endsWith('.cnf'))).toHaveLength(1);
      agent.child.kill('SIGKILL');
      await agent.done;
      await waitFor(() => !isAlive(dump.pid), 5_000, 'the orphaned dump to die');
    } finally {
      await release();
    }
    // kill -9 left the option file (with the password) and the child's record behind.
    const left = readdirSync(dir);
    expect(left.some((f) => f.endsWith('.cnf'))).toBe(true);
    const ws = makeWorkspace([targetFor(getServer(), 'shop', { user: 'child_user', passwordEnv: 'SHOP_PW', databases: ['shop'] })]);
    const next = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { ...SECRETS, WARDEN_RUNTIME_DIR: dir });
    expect(next.code, next.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the runtime folder', () => {
  it.each([
    ['open to others', (dir: string) => chmodSync(dir, 0o755), /open to others \(mode 755\)/],
    ['a symbolic link', (dir: string) => (rmSync(dir, { recursive: true }), symlinkSync(runtime, dir)), /not a folder \(or is a symbolic link\)/],
  ] as const)('is refused by the pre-flight when it is %s (class config)', async (_name, spoil, why) => {
    const ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'] })]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-runtime-bad-'));
    try {
      spoil(dir);
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { WARDEN_RUNTIME_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.json.error).toMatchObject({ class: 'config', retryable: false, message: expect.stringMatching(why) });
      expect(r.json.attempts).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is swept of what dead agents left, killing their surviving children and only those', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-runtime-sweep-'));
    const dead = spawn('true');
    await new Promise((r) => dead.on('exit', r));
    const orphan = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    const stranger = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    try {
      const record = (pid: number, ticks: string) => JSON.stringify({ pid, startTicks: ticks, file: '/usr/bin/sleep' });
      writeFileSync(path.join(dir, `${dead.pid}-${orphan.pid}.child`), record(orphan.pid!, startTicks(orphan.pid!)!));
      // A record whose pid now belongs to another process (its start time differs): never killed.
      writeFileSync(path.join(dir, `${dead.pid}-${stranger.pid}.child`), record(stranger.pid!, '1'));
      writeFileSync(path.join(dir, `${dead.pid}-abc.cnf`), '[client]\npassword="x"\n');
      writeFileSync(path.join(dir, `${process.pid}-mine.cnf`), '[client]\n');
      mkdirSync(path.join(dir, 'not-an-entry'));

      sweepStale(dir);
      await waitFor(() => orphan.exitCode !== null || orphan.signalCode !== null, 5_000, 'the orphan to be killed');
      expect(orphan.signalCode).toBe('SIGKILL');
      expect(isAlive(stranger.pid!)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual([`${process.pid}-mine.cnf`, 'not-an-entry']);
      expect(existsSync(path.join(dir, `${dead.pid}-abc.cnf`))).toBe(false);
    } finally {
      orphan.kill('SIGKILL');
      stranger.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
