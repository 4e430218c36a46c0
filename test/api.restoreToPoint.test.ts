// POST /api/v1/restore-to-point/:id (docs/api.md) over real HTTP against a real agent that archives
// a real MariaDB's binary log: the dry run's plan, the real run as a `restore` run with its events,
// and the guards (token, bodies, points, hostile database names).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreToPointAnswerSchema, targetInfoSchema } from '../backend/src/contract/api.js';
import { useMariaDB } from './harness/mariadb.js';
import { waitFor } from './helpers/proc.js';
import { openEvents, request, serve, type Served } from './helpers/serve.js';
import { makeWorkspace, targetFor } from './helpers/warden.js';

const getServer = useMariaDB({ binlog: true });
const q = (sql: string, params?: unknown[]) => getServer().query(sql, params);
const count = async (db: string) => Number((await q(`SELECT COUNT(*) AS n FROM \`${db}\`.orders`))[0].n);

let s: Served;
let backupId: string;
/** recoverable-to once the rows after the backup are archived; later rows come after it. */
let T: string;
let rowsAtT: number;

const post = (id: string, body: unknown, token?: string | null) => request(s, 'POST', `/api/v1/restore-to-point/${id}`, { body, token });

beforeAll(async () => {
  await getServer().createDatabase('shop');
  await q('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40))');
  await q("INSERT INTO shop.orders (note) VALUES ('before-1'), ('before-2')");
  const ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', binlog: { archive: true, flushSeconds: 1 } })]);
  s = await serve(ws.config);
  const events = await openEvents(s);
  const started = await request(s, 'POST', '/api/v1/targets/shop/backups');
  expect(started.status, started.text).toBe(202);
  backupId = started.json.id;
  const finished = await events.next((e) => e.name === 'run-finished' && e.data.id === backupId, 60_000, 'the backup');
  events.close();
  expect(finished.data.status).toBe('success');

  await q("INSERT INTO shop.orders (note) VALUES ('after-1'), ('after-2'), ('after-3')");
  const written = Date.now();
  const binlog = await waitFor(async () => {
    const t = targetInfoSchema.parse((await request(s, 'GET', '/api/v1/targets/shop')).json);
    return t.binlog?.recoverableTo && Date.parse(t.binlog.recoverableTo) >= Math.floor(written / 1000) * 1000 ? t.binlog : null;
  }, 30_000, 'recoverable-to to pass the rows after the backup');
  T = binlog.recoverableTo!;
  rowsAtT = await count('shop');
  // After T, in a later second: the restore must leave it out.
  await new Promise((r) => setTimeout(r, 1100));
  await q("INSERT INTO shop.orders (note) VALUES ('after-T')");
}, 120_000);

afterAll(async () => {
  const r = await s?.stop();
  expect(r?.code, r?.stderr).toBe(0);
});

describe('POST /api/v1/restore-to-point/:id', () => {
  it('answers a dry run with the plan from that backup, and changes nothing', async () => {
    const r = await post(backupId, { to: T, database: 'shop_at_t', dryRun: true });
    expect(r.status, r.text).toBe(200);
    const answer = restoreToPointAnswerSchema.parse(r.json);
    expect(answer).toMatchObject({ id: backupId, target: 'shop', dryRun: true, sourceDatabase: 'shop', database: 'shop_at_t' });
    // Binlog events carry whole seconds: the point is T's second.
    expect(answer.plan.point).toEqual({ kind: 'time', value: new Date(Math.floor(Date.parse(T) / 1000) * 1000).toISOString() });
    expect(answer.plan.backup.id).toBe(backupId);
    expect(answer.plan.files.length).toBeGreaterThan(0);
    expect(Date.parse(answer.plan.lastTransaction!.time)).toBeLessThanOrEqual(Date.parse(T));
    expect(await q("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_at_t'")).toEqual([]);
  });

  it('runs a real restore as a run of kind restore, announced by events, into the new database as it was at the point', async () => {
    const events = await openEvents(s);
    try {
      const r = await post(backupId, { to: T, database: 'shop_at_t' });
      expect(r.status, r.text).toBe(202);
      expect(restoreToPointAnswerSchema.parse(r.json)).toMatchObject({ id: backupId, dryRun: false, database: 'shop_at_t' });
      const finished = await events.next((e) => e.name === 'run-finished' && e.data.kind === 'restore', 120_000, 'the restore');
      expect(finished.data).toMatchObject({ id: backupId, target: 'shop', kind: 'restore', status: 'success', class: 'none' });
      expect(events.events.find((e) => e.name === 'run-started' && e.data.kind === 'restore')?.data).toMatchObject({ id: backupId, target: 'shop' });
    } finally {
      events.close();
    }
    expect(await count('shop_at_t')).toBe(rowsAtT);
    expect(await count('shop')).toBe(rowsAtT + 1);
    // The database now exists: a second run into it fails as a run (never over it: the API does not force).
    const again = await openEvents(s);
    try {
      expect((await post(backupId, { to: T, database: 'shop_at_t' })).status).toBe(202);
      const failed = await again.next((e) => e.name === 'run-finished' && e.data.kind === 'restore', 60_000, 'the second restore');
      expect(failed.data).toMatchObject({ status: 'failed', hint: expect.any(String) });
    } finally {
      again.close();
    }
    expect(await count('shop_at_t')).toBe(rowsAtT);
  });

  it('matches its path case and all, as the Admin-only Grafana route does: another case reaches nothing', async () => {
    for (const path of [`/api/v1/Restore-To-Point/${backupId}`, `/api/v1/RESTORE-TO-POINT/${backupId}`, `/API/v1/restore-to-point/${backupId}`]) {
      const r = await request(s, 'POST', path, { body: { to: T, database: 'case_probe' } });
      expect(r.status, path).toBe(404);
    }
    expect(await getServer().query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'case_probe'")).toEqual([]);
  });

  it('needs the token like every mutation', async () => {
    expect((await post(backupId, { to: T, database: 'x', dryRun: true }, null)).status).toBe(401);
    const wrong = await post(backupId, { to: T, database: 'x', dryRun: true }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('unauthorized');
  });

  it.each([
    ['no point', { database: 'x' }, /exactly one of to, toGtid, toPosition/],
    ['two points', { to: '2026-01-01T00:00:00Z', toGtid: '0-1-5', database: 'x' }, /exactly one/],
    ['no database', { to: '2026-01-01T00:00:00Z' }, /database/],
    ['an unknown key', { to: '2026-01-01T00:00:00Z', database: 'x', force: true }, /unknown key\(s\) force/],
    ['a dryRun that is not a boolean', { to: '2026-01-01T00:00:00Z', database: 'x', dryRun: 'yes' }, /dryRun/],
    ['a database over 64 characters', { to: '2026-01-01T00:00:00Z', database: 'x'.repeat(65) }, /database/],
  ])('refuses %s with 400', async (_what, body, message) => {
    const r = await post(backupId, body);
    expect(r.status, r.text).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(message) });
  });

  it.each([
    [{ to: 'yesterday at noon' }, /"yesterday at noon" is not a time/, /ISO 8601/],
    [{ toGtid: '1-2' }, /is not one GTID/, /domain-server-sequence/],
    [{ toPosition: '../etc/passwd:4' }, /is not a binlog position/, /FILE:POSITION/],
    [{ to: '2001-01-01T00:00:00Z' }, /no good full backup of shop was taken before/, /oldest usable one/],
  ])('refuses the point %j with 400, its message and hint', async (point, message, hint) => {
    const r = await post(backupId, { ...point, database: 'x', dryRun: true });
    expect(r.status, r.text).toBe(400);
    expect(r.json.error).toEqual({ code: 'bad_request', message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
  });

  it.each(['a`b', 'a/b', 'a.b', 'a\0b', ' lead', 'trail ', 'mysql', 'INFORMATION_SCHEMA', 'x->y'])('refuses the database name %j with 400 and a hint', async (database) => {
    const r = await post(backupId, { to: T, database, dryRun: true });
    expect(r.status, r.text).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'bad_request', hint: expect.any(String) });
  });

  it('takes an odd but valid name as one name, quoted wherever it goes', async () => {
    const database = "o'neil; DROP DATABASE shop; -- $(id)";
    const r = await post(backupId, { to: T, database, dryRun: true });
    expect(r.status, r.text).toBe(200);
    expect(r.json.database).toBe(database);
    expect(await count('shop')).toBe(rowsAtT + 1);
  });

  it('refuses a source database the backup does not hold, and says which backup cannot start', async () => {
    const r = await post(backupId, { to: T, database: 'x', sourceDatabase: 'other', dryRun: true });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain(`backup ${backupId} of shop cannot start a point-in-time restore`);
  });

  it('answers 400 to a malformed backup id and 404 to an unknown one', async () => {
    expect((await post('..%2Fetc', { to: T, database: 'x', dryRun: true })).status).toBe(400);
    const unknown = await post('20261122T014512.345Z-3fa9', { to: T, database: 'x', dryRun: true });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
  });
});
