// Every path that records binary log coordinates, against a real MariaDB with its binary log on:
// the dump tool's own (--master-data), the agent's under a short global read lock (for a tool that
// cannot ask the server, e.g. a MariaDB client against MySQL 8.4: backend/src/mysql/dialect.ts),
// per-table runs under one lock, and none by choice (what the pre-flight asks for when RELOAD is missing).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB({ binlog: true });

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

/** The server's own coordinates now (nothing writes meanwhile, so a backup's must equal them). */
async function serverCoordinates() {
  const [status] = await getServer().query<{ File: string; Position: number }>('SHOW MASTER STATUS');
  const [g] = await getServer().query<{ gtid: string }>('SELECT @@GLOBAL.gtid_binlog_pos AS gtid');
  return { file: status!.File, position: Number(status!.Position), gtid: g!.gtid };
}

async function backUp(extra: Record<string, unknown>, user?: { user: string; passwordEnv: string }) {
  const ws = makeWorkspace([{ ...targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', ...extra }), ...(user ?? {}) }]);
  const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { BACKUP_PW: 'reload-less-1' });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json;
}

describe('binlog coordinates', () => {
  it('are written by the dump tool when it can ask the server (--master-data, --gtid)', async () => {
    const now = await serverCoordinates();
    const b = await backUp({});
    expect(b.binlog).toEqual(now);
    expect(b.binlog.gtid).toMatch(/^\d+-\d+-\d+/);
  });

  it('are read by the agent under a short global read lock when asked to (or when the tool cannot)', async () => {
    const now = await serverCoordinates();
    const b = await backUp({ binlogCoordinates: 'agent' });
    expect(b.binlog).toEqual(now);
    expect(b.warnings.join('\n')).not.toMatch(/not recorded/);
  });

  it('are read once, under the lock that opens every snapshot, for a consistent per-table run', async () => {
    const now = await serverCoordinates();
    const b = await backUp({ method: 'per-table', consistent: true, parallel: 2 });
    expect(b.binlog).toEqual(now);
  });

  it('are not recorded when the target says so', async () => {
    expect((await backUp({ binlogCoordinates: 'none' })).binlog).toBeNull();
  });

  it('need RELOAD and PROCESS when the agent reads them: the pre-flight says so, and how to do without', async () => {
    await getServer().createUser('noreload', 'reload-less-1', ['SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT ON *.*', 'BINLOG MONITOR ON *.*']);
    const user = { user: 'noreload', passwordEnv: 'BACKUP_PW' };
    const ws = makeWorkspace([{ ...targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', binlogCoordinates: 'agent' }), ...user }]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { BACKUP_PW: 'reload-less-1' });
    expect(r.json).toMatchObject({ status: 'failed', class: 'privilege' });
    expect(r.json.error.message).toMatch(/RELOAD ON \*\.\* \(binlog coordinates\).*PROCESS ON \*\.\* \(binlog coordinates read by the agent\)/);
    expect(r.json.error.hint).toMatch(/binlogCoordinates: none/);
    const without = await backUp({ binlogCoordinates: 'none' }, user);
    expect(without).toMatchObject({ status: 'success', binlog: null });
  });
});
