// The binlog archiver's pre-flight (`warden check` for a target with `binlog.archive: true`)
// against real MariaDB servers: the binary log's settings, the archiver's grants and its replica id.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Check, runPreflight } from '../backend/src/check/index.js';
import { findTarget, loadConfig } from '../backend/src/config/load.js';
import { endpointOf } from '../backend/src/mysql/server.js';
import { type TestServer, useMariaDB } from './harness/mariadb.js';
import { waitFor } from './helpers/proc.js';
import { makeWorkspace, runWarden, targetFor, type TestTarget } from './helpers/warden.js';

const PW = 'archive-check-password';
const ENV = { ARCHIVE_PW: PW };
const BACKUP_GRANTS = 'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, BINLOG MONITOR ON *.*';
const ARCHIVE_CHECKS = ['archive-log-bin', 'archive-format', 'archive-row-image', 'archive-grants', 'archive-server-id'];

const getSource = useMariaDB({ binlog: true });

async function withShop(server: TestServer): Promise<void> {
  await server.createDatabase('shop');
  await server.query('CREATE TABLE shop.orders (id INT PRIMARY KEY, total DECIMAL(10,2))');
  await server.query('INSERT INTO shop.orders VALUES (1, 9.90), (2, 19.90)');
}

function archiveTarget(server: TestServer, user: string, binlog: Record<string, unknown> = {}): TestTarget {
  return targetFor(server, user.replace(/_/g, '-'), { user, passwordEnv: user === 'root' ? undefined : 'ARCHIVE_PW', databases: ['shop'], binlog: { archive: true, ...binlog } });
}

/** The archiver's checks of the pre-flight of `target`, by name. */
async function archiveChecks(target: TestTarget): Promise<Record<string, Check>> {
  const config = loadConfig(makeWorkspace([target]).config);
  const t = findTarget(config, target.name);
  const report = await runPreflight({ config, target: t, endpoint: endpointOf(t), env: ENV });
  return Object.fromEntries(report.checks.filter((c) => c.name.startsWith('archive-')).map((c) => [c.name, c]));
}

beforeAll(async () => {
  await withShop(getSource());
});

describe('a source with a row-based binary log', () => {
  it('warden check shows every archiver check, OK for a user with the grants', async () => {
    await getSource().createUser('streamer', PW, [BACKUP_GRANTS, 'REPLICATION SLAVE ON *.*']);
    const ws = makeWorkspace([archiveTarget(getSource(), 'streamer')]);
    const json = await runWarden(['check', '--config', ws.config, '--json'], ENV);
    expect(json.code, json.stdout).toBe(0);
    const checks: Check[] = json.json.targets[0].checks;
    expect(checks.filter((c) => c.name.startsWith('archive-')).map((c) => [c.name, c.status])).toEqual(ARCHIVE_CHECKS.map((name) => [name, 'OK']));
    const serverId = checks.find((c) => c.name === 'archive-server-id')!;
    // SHOW SLAVE HOSTS wants REPLICATION MASTER ADMIN, which the archiver does not need.
    expect(serverId.detail).toMatch(/distinct from server_id 1 and the replicas, not listed \(.*REPLICATION MASTER ADMIN/);

    const text = await runWarden(['check', '--config', ws.config], ENV);
    for (const name of ARCHIVE_CHECKS) expect(text.stdout).toMatch(new RegExp(`\\t${name}: OK`));
  });

  it('a user without REPLICATION SLAVE: FAIL privilege with the GRANT to run, which then passes', async () => {
    await getSource().createUser('no_stream', PW, [BACKUP_GRANTS]);
    const target = archiveTarget(getSource(), 'no_stream');
    const before = (await archiveChecks(target))['archive-grants']!;
    expect(before).toMatchObject({ status: 'FAIL', class: 'privilege' });
    expect(before.detail).toBe('missing: REPLICATION SLAVE (to stream the binary logs)');
    expect(before.hint).toMatch(/^GRANT REPLICATION SLAVE ON \*\.\* TO `no_stream`@`[^`]+`;$/);

    await getSource().query(before.hint!);
    expect((await archiveChecks(target))['archive-grants']).toMatchObject({ status: 'OK', detail: 'REPLICATION SLAVE, BINLOG MONITOR' });
  });

  it('a user with neither grant: both named, in the GRANT for MariaDB 10.11', async () => {
    await getSource().createUser('dump_only', PW, ['SELECT, SHOW VIEW, TRIGGER, EVENT ON *.*']);
    const c = (await archiveChecks(archiveTarget(getSource(), 'dump_only', { serverId: 77 })))['archive-grants']!;
    expect(c).toMatchObject({ status: 'FAIL', class: 'privilege' });
    expect(c.hint).toMatch(/^GRANT REPLICATION SLAVE, BINLOG MONITOR ON \*\.\* TO `dump_only`@`[^`]+`;$/);
  });

  it('the archiver failing its checks does not stop a backup: the run warns', async () => {
    await getSource().createUser('backup_only', PW, [BACKUP_GRANTS]);
    const ws = makeWorkspace([archiveTarget(getSource(), 'backup_only')]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'backup-only', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(r.json.dir, 'manifest.json'), 'utf8'));
    expect(manifest.status).toBe('success');
    expect(manifest.warnings).toContain('archive-grants: missing: REPLICATION SLAVE (to stream the binary logs)');

    const check = await runWarden(['check', '--config', ws.config, '--json'], ENV);
    expect(check.code).toBe(1);
  });

  it('a serverId equal to the server_id: FAIL config', async () => {
    const c = (await archiveChecks(archiveTarget(getSource(), 'root', { serverId: 1 })))['archive-server-id']!;
    expect(c).toMatchObject({ status: 'FAIL', class: 'config', detail: "the archiver's replica id 1 is the server's own server_id" });
    expect(c.hint).toMatch(/binlog\.serverId/);
  });
});

describe('a replica with a statement-based log and minimal row images', () => {
  const getReplica = useMariaDB({ binlog: true, extraArgs: ['--server-id=2', '--binlog-format=STATEMENT', '--binlog-row-image=MINIMAL'] });

  beforeAll(async () => {
    await getSource().createUser('repl', PW, ['REPLICATION SLAVE ON *.*']);
    await getReplica().query(`CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=?, MASTER_USER='repl', MASTER_PASSWORD=?`, [getSource().port, PW]);
    await getReplica().query('START SLAVE');
    await waitFor(async () => (await getSource().query('SHOW SLAVE HOSTS')).length > 0, 10_000, 'the replica to register');
    // The replica gets the source's shop database through replication.
    await waitFor(async () => (await getReplica().query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop'")).length > 0, 10_000, 'shop on the replica');
  });

  it('binlog_format STATEMENT and binlog_row_image MINIMAL: WARN, saying what replay loses', async () => {
    const checks = await archiveChecks(archiveTarget(getReplica(), 'root'));
    expect(checks['archive-format']).toMatchObject({ status: 'WARN', hint: expect.stringMatching(/binlog_format=ROW/) });
    expect(checks['archive-format']!.detail).toMatch(/^STATEMENT: a point-in-time replay runs the statements again/);
    expect(checks['archive-row-image']).toMatchObject({ status: 'WARN', hint: expect.stringMatching(/binlog_row_image=FULL/) });
    expect(checks['archive-row-image']!.detail).toMatch(/^MINIMAL: .*cannot show what a row held before a change/);
    expect(checks['archive-log-bin']).toMatchObject({ status: 'OK' });
  });

  it("the replica's server id on the source: FAIL config for an archiver using it", async () => {
    await getSource().createUser('watcher', PW, [BACKUP_GRANTS, 'REPLICATION SLAVE, REPLICATION MASTER ADMIN ON *.*']);
    const taken = (await archiveChecks(archiveTarget(getSource(), 'watcher', { serverId: 2 })))['archive-server-id']!;
    expect(taken).toMatchObject({ status: 'FAIL', class: 'config' });
    expect(taken.detail).toMatch(/replica id 2 is used by a replica of the server/);

    const free = (await archiveChecks(archiveTarget(getSource(), 'watcher', { serverId: 3 })))['archive-server-id']!;
    expect(free).toMatchObject({ status: 'OK', detail: 'replica id 3, distinct from server_id 1 and 1 registered replica(s)' });
  });
});

describe('a server without a binary log', () => {
  const getPlain = useMariaDB();

  it('log_bin OFF: FAIL config, naming log_bin', async () => {
    await withShop(getPlain());
    const checks = await archiveChecks(archiveTarget(getPlain(), 'root'));
    expect(checks['archive-log-bin']).toMatchObject({ status: 'FAIL', class: 'config', hint: expect.stringMatching(/log_bin/) });
    expect(checks['archive-log-bin']!.detail).toMatch(/log_bin is OFF/);
  });
});
