// The HTTP API of `warden serve` (docs/api.md), over real HTTP against a real agent process and a
// throwaway MariaDB.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_ID } from '../backend/src/catalog/paths.js';
import { agentEventSchema, agentInfoSchema, backupSummarySchema, startedRunSchema, targetInfoSchema } from '../backend/src/contract/api.js';
import { manifestSchema } from '../backend/src/contract/manifest.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { openEvents, rawGet, request, serve, type Served, TOKEN } from './helpers/serve.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

function workspace(extra: Record<string, unknown> = {}) {
  const server = getServer();
  return makeWorkspace(
    [
      targetFor(server, 'shop', { databases: ['shop'], verifyAfterBackup: 'none' }),
      { name: 'gone', host: '127.0.0.1', port: 1, user: 'root', databases: ['shop'], retry: { maxAttempts: 1 } },
    ],
    extra,
  );
}

async function backUp(s: Served, target = 'shop'): Promise<{ id: string; finished: Record<string, unknown> }> {
  const events = await openEvents(s);
  try {
    const r = await request(s, 'POST', `/api/v1/targets/${target}/backups`);
    expect(r.status, r.text).toBe(202);
    const finished = await events.next((e) => e.name === 'run-finished' && e.data.id === r.json.id, 60_000, 'the run to finish');
    return { id: r.json.id, finished: finished.data };
  } finally {
    events.close();
  }
}

describe('warden serve: HTTP API', () => {
  it('answers a trigger with 202, streams run-started, run-progress and run-finished, and refuses a second run with 409', async () => {
    const ws = workspace();
    const s = await serve(ws.config);
    const events = await openEvents(s);
    const release = await lockTable(getServer(), 'shop.orders');
    let id: string;
    try {
      const r = await request(s, 'POST', '/api/v1/targets/shop/backups');
      expect(r.status, r.text).toBe(202);
      expect(r.json).toEqual({ id: expect.stringMatching(BACKUP_ID), target: 'shop' });
      id = r.json.id;
      await waitForLockWait(getServer(), 'shop.orders');

      const second = await request(s, 'POST', '/api/v1/targets/shop/backups');
      expect(second.status).toBe(409);
      expect(second.json).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/running/) }, id });

      const t = await request(s, 'GET', '/api/v1/targets/shop', { token: null });
      expect(t.json).toMatchObject({ name: 'shop', state: 'running', running: { id, kind: 'backup' } });

      const progress = await events.next((e) => e.name === 'run-progress' && e.data.id === id, 10_000, 'a progress event');
      expect(progress.data).toMatchObject({ id, target: 'shop', progress: { rawBytes: expect.any(Number), tablesTotal: expect.any(Number) } });
      const metrics = (await request(s, 'GET', '/metrics', { token: null })).text;
      expect(metrics).toContain('mysql_backup_in_progress{target="shop"} 1');
      expect(Number(/^mysql_backup_progress_bytes\{target="shop"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    } finally {
      await release();
    }
    const finished = await events.next((e) => e.name === 'run-finished' && e.data.id === id, 60_000, 'the run to finish');
    events.close();
    const started = events.events.find((e) => e.name === 'run-started' && e.data.id === id)!;
    expect(started.data).toEqual({ id, target: 'shop', kind: 'backup', startedAt: expect.any(String) });
    expect(finished.data).toEqual({ id, target: 'shop', kind: 'backup', status: 'success', class: 'none', severity: 'info', hint: '', durationSeconds: expect.any(Number) });
    const order = events.events.filter((e) => e.data.id === id).map((e) => e.name);
    expect(order[0]).toBe('run-started');
    expect(order.at(-1)).toBe('run-finished');

    // The manifest served is the file on disk, byte for byte.
    const dir = path.join(ws.repository, 'shop', id);
    const manifest = await request(s, 'GET', `/api/v1/backups/${id}`, { token: null });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/json/);
    expect(manifest.text).toBe(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.json).toMatchObject({ id, status: 'success' });

    const log = await request(s, 'GET', `/api/v1/backups/${id}/log`, { token: null });
    expect(log.json.lines.map((l: { msg: string }) => l.msg)).toContain('backup finished');
    expect(log.json.lines[0]).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });

    const target = await request(s, 'GET', '/api/v1/targets', { token: null });
    expect(target.json.targets.map((x: { name: string }) => x.name)).toEqual(['shop', 'gone']);
    expect(target.json.targets[0]).toMatchObject({ state: 'ok', running: null, lastRun: { id }, lastSuccess: { id, status: 'success', tables: expect.any(Number) }, lastFailure: null });
    expect(target.json.targets[1]).toMatchObject({ name: 'gone', state: 'never', lastRun: null, endpoint: '127.0.0.1:1' });
    await s.stop();
  });

  it('answers and streams exactly the shapes of the contract (backend/src/contract/api.ts)', async () => {
    const ws = workspace();
    const s = await serve(ws.config);
    const events = await openEvents(s);
    const ok = await backUp(s);
    const failed = await backUp(s, 'gone');
    const verifying = await request(s, 'POST', `/api/v1/backups/${ok.id}/verify`, { body: { level: 'checksum' } });
    expect(startedRunSchema.safeParse(verifying.json).error).toBeUndefined();
    await events.next((e) => e.name === 'verify-finished', 60_000, 'the verification to finish');
    events.close();
    for (const e of events.events) expect(agentEventSchema.safeParse({ type: e.name, ...e.data }).error, e.name).toBeUndefined();
    // run-progress comes only when a dump lasts long enough to report; the first test sees it.
    for (const name of ['run-started', 'run-finished', 'verify-finished']) expect(events.events.map((e) => e.name)).toContain(name);

    const targets = await request(s, 'GET', '/api/v1/targets', { token: null });
    for (const t of targets.json.targets) expect(targetInfoSchema.safeParse(t).error, t.name).toBeUndefined();
    const backups = await request(s, 'GET', '/api/v1/backups', { token: null });
    expect(backups.json.backups.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining([ok.id, failed.id]));
    for (const b of backups.json.backups) expect(backupSummarySchema.safeParse(b).error, b.id).toBeUndefined();
    for (const id of [ok.id, failed.id]) expect(manifestSchema.safeParse((await request(s, 'GET', `/api/v1/backups/${id}`, { token: null })).json).error).toBeUndefined();
    expect(agentInfoSchema.safeParse((await request(s, 'GET', '/api/v1/agent', { token: null })).json).error).toBeUndefined();
    await s.stop();
  });

  it('lists, verifies and deletes backups, and reports failures with their class', async () => {
    const ws = workspace();
    const s = await serve(ws.config);
    const first = await backUp(s);
    const failed = await backUp(s, 'gone');
    expect(failed.finished).toMatchObject({ status: 'failed', class: 'connection', severity: 'warning', hint: expect.any(String) });
    const second = await backUp(s);

    const list = await request(s, 'GET', '/api/v1/backups', { token: null });
    expect(list.json.backups.map((b: { id: string }) => b.id)).toEqual([second.id, failed.id, first.id]);
    expect(list.json.backups[1]).toMatchObject({ target: 'gone', status: 'failed', class: 'connection', error: { class: 'connection', code: 2003 }, attempts: 1 });
    const filtered = await request(s, 'GET', '/api/v1/backups?target=shop&status=success&limit=1', { token: null });
    expect(filtered.json.backups.map((b: { id: string }) => b.id)).toEqual([second.id]);
    const gone = await request(s, 'GET', '/api/v1/targets/gone', { token: null });
    expect(gone.json).toMatchObject({ state: 'failing', lastFailure: { id: failed.id }, lastSuccess: null });

    // Verification: 202, then the result as events and in the manifest.
    const events = await openEvents(s);
    const v = await request(s, 'POST', `/api/v1/backups/${first.id}/verify`, { body: { level: 'checksum' } });
    expect(v.status, v.text).toBe(202);
    expect(v.json).toEqual({ id: first.id, level: 'checksum' });
    const verified = await events.next((e) => e.name === 'verify-finished' && e.data.id === first.id);
    expect(verified.data).toEqual({ id: first.id, target: 'shop', level: 'checksum', ok: true, problems: [] });
    await events.next((e) => e.name === 'run-finished' && e.data.kind === 'verify' && e.data.id === first.id);
    events.close();
    const m = await request(s, 'GET', `/api/v1/backups/${first.id}`, { token: null });
    expect(m.json.verification).toMatchObject({ level: 'checksum', ok: true });
    expect((await request(s, 'POST', `/api/v1/backups/${failed.id}/verify`, { body: { level: 'parse' } })).status).toBe(409);
    // The scrape after real runs is valid exposition.
    const scrape = (await request(s, 'GET', '/metrics', { token: null })).text;
    expect(scrape).toContain('mysql_backup_last_verify_success{target="shop",level="checksum"} 1');
    expect(scrape).toContain('mysql_backup_runs_total{target="gone",result="failed"} 1');
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);

    // The newest verified backup is never deleted, nor the newest successful one though nothing
    // verified it (verifyAfterBackup: none); another one is, and its space is reported.
    const keep = await request(s, 'DELETE', `/api/v1/backups/${first.id}`);
    expect(keep.status).toBe(409);
    expect(keep.json.error.message).toMatch(/newest verified/);
    const newest = await request(s, 'DELETE', `/api/v1/backups/${second.id}`);
    expect(newest.status, newest.text).toBe(409);
    expect(newest.json).toEqual({ error: { code: 'conflict', message: `backup ${second.id} is the newest successful backup of target "shop"; it is never deleted` } });
    expect(existsSync(path.join(ws.repository, 'shop', second.id))).toBe(true);
    const third = await backUp(s);
    const del = await request(s, 'DELETE', `/api/v1/backups/${second.id}`);
    expect(del.status, del.text).toBe(200);
    expect(del.json).toEqual({ deleted: second.id, freedBytes: expect.any(Number) });
    expect(del.json.freedBytes).toBeGreaterThan(1000);
    expect(existsSync(path.join(ws.repository, 'shop', second.id))).toBe(false);
    expect((await request(s, 'GET', `/api/v1/backups/${second.id}`)).status).toBe(404);
    const t = await request(s, 'GET', '/api/v1/targets/shop');
    expect(t.json).toMatchObject({ lastSuccess: { id: third.id }, lastVerified: { id: first.id, verification: { level: 'checksum', ok: true } } });
    // A failed run is evidence, not a backup: it may go.
    expect((await request(s, 'DELETE', `/api/v1/backups/${failed.id}`)).status).toBe(200);
    await s.stop();
  });

  it('refuses mutations without the token or with a wrong one, and never logs it', async () => {
    const ws = workspace();
    const s = await serve(ws.config);
    const none = await request(s, 'POST', '/api/v1/targets/shop/backups', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.json).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) } });
    const wrong = await request(s, 'POST', '/api/v1/targets/shop/backups', { token: 'wrong-token-0f9a8b' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toBe('invalid API token');
    // A token of the same length but different content, and a prefix of the real one.
    expect((await request(s, 'POST', '/api/v1/targets/shop/backups', { token: TOKEN.replace(/.$/, 'X') })).status).toBe(401);
    expect((await request(s, 'POST', '/api/v1/targets/shop/backups', { token: TOKEN.slice(0, 10) })).status).toBe(401);
    expect((await request(s, 'DELETE', '/api/v1/backups/20261122T014512.345Z-3fa9', { token: null })).status).toBe(401);
    expect((await request(s, 'POST', '/api/v1/backups/20261122T014512.345Z-3fa9/verify', { token: null, body: { level: 'parse' } })).status).toBe(401);
    // Reads are open by default.
    expect((await request(s, 'GET', '/api/v1/targets', { token: null })).status).toBe(200);
    expect(readdirRuns(ws.repository)).toEqual([]);
    const result = await s.stop();
    expect(result.code).toBe(0);
    expect(s.stderr()).not.toContain(TOKEN);
    expect(s.stderr()).not.toContain('wrong-token-0f9a8b');
    expect(s.stderr()).toContain('"status":401');
  });

  it('answers 404 for unknown targets and ids, and 400 for malformed input and bodies', async () => {
    const ws = workspace();
    const s = await serve(ws.config);
    const expectError = async (method: string, url: string, status: number, code: string, body?: unknown, headers?: Record<string, string>) => {
      const r = await request(s, method, url, { body, headers });
      expect(r.status, `${method} ${url}: ${r.text}`).toBe(status);
      expect(r.json.error.code, `${method} ${url}`).toBe(code);
      return r;
    };
    await expectError('GET', '/api/v1/targets/nope', 404, 'not_found');
    await expectError('POST', '/api/v1/targets/nope/backups', 404, 'not_found');
    await expectError('GET', '/api/v1/targets/Bad!Name', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups/not-an-id', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups/20261122T014512.345Z-3fa9', 404, 'not_found');
    await expectError('GET', '/api/v1/backups/20261122T014512.345Z-3fa9/log', 404, 'not_found');
    await expectError('DELETE', '/api/v1/backups/20261122T014512.345Z-3fa9', 404, 'not_found');
    await expectError('GET', '/api/v1/nothing-here', 404, 'not_found');
    // Bodies: strict schemas, JSON only, 16 kB at most.
    const unknownKey = await expectError('POST', '/api/v1/targets/shop/backups', 400, 'bad_request', { force: true });
    expect(unknownKey.json.error.message).toMatch(/unknown key.*force/);
    await expectError('POST', '/api/v1/backups/20261122T014512.345Z-3fa9/verify', 400, 'bad_request', { level: 'thorough' });
    await expectError('POST', '/api/v1/backups/20261122T014512.345Z-3fa9/verify', 400, 'bad_request', { level: 'parse', extra: 1 });
    await expectError('POST', '/api/v1/backups/20261122T014512.345Z-3fa9/verify', 400, 'bad_request', {});
    await expectError('POST', '/api/v1/backups/20261122T014512.345Z-3fa9/verify', 400, 'bad_request', '{"level": "parse"', {});
    await expectError('POST', '/api/v1/targets/shop/backups', 400, 'bad_request', 'level=parse', { 'content-type': 'application/x-www-form-urlencoded' });
    await expectError('POST', '/api/v1/targets/shop/backups', 400, 'bad_request', '[]');
    await expectError('POST', '/api/v1/backups/20261122T014512.345Z-3fa9/verify', 413, 'too_large', { level: 'parse', pad: 'x'.repeat(20_000) });
    // Query strings too.
    await expectError('GET', '/api/v1/backups?limit=0', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?limit=1001', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?limit=ten', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?status=good', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?target=../../etc', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?target=a&target=b', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?order=asc', 400, 'bad_request');
    await expectError('GET', '/api/v1/backups?target=nope', 404, 'not_found');
    expect(readdirRuns(ws.repository)).toEqual([]);
    await s.stop();
  });

  it('rejects path traversal in ids and names, whatever the encoding', async () => {
    const ws = workspace();
    // A file a traversal would reach from the repository.
    writeFileSync(path.join(ws.dir, 'secret.txt'), 'TOP-SECRET-CONTENT-91f2');
    const s = await serve(ws.config);
    const attempts = [
      '/api/v1/backups/..%2F..%2Fsecret.txt',
      '/api/v1/backups/..%2F..',
      '/api/v1/backups/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/api/v1/backups/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/api/v1/backups/..%252F..%252Fsecret.txt',
      '/api/v1/backups/..%5C..%5Csecret.txt',
      '/api/v1/backups/20261122T014512.345Z-3fa9%2F..%2F..%2Fsecret.txt',
      '/api/v1/backups/..%2F..%2Fsecret.txt/log',
      '/api/v1/backups/%00/log',
      '/api/v1/targets/..%2F..%2Fetc',
      '/api/v1/targets/..',
      '/api/v1/backups/../../etc/passwd',
      '/api/v1/backups/../../../../etc/passwd/log',
      '/api/v1/../../secret.txt',
      '/api/v1/backups?target=..%2F..',
    ];
    for (const p of attempts) {
      const r = await rawGet(s, p);
      expect([400, 404], `${p} -> ${r.status} ${r.text}`).toContain(r.status);
      expect(r.text, p).not.toMatch(/TOP-SECRET|root:x:0/);
      expect(JSON.parse(r.text).error.code, p).toMatch(/^(bad_request|not_found)$/);
    }
    // Encoded ids are decoded, then rejected for their form: 400, not a lookup.
    expect((await rawGet(s, '/api/v1/backups/..%2F..%2Fsecret.txt')).status).toBe(400);
    await s.stop();
  });

  it('refuses every mutation with a hint when no token is configured, and refuses a token file others can read', async () => {
    const ws = workspace();
    const s = await serve(ws.config, {});
    const r = await request(s, 'POST', '/api/v1/targets/shop/backups', { token: 'anything' });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toMatch(/no API token is configured.*WARDEN_API_TOKEN.*api\.tokenFile/);
    await s.stop();

    const tokenFile = path.join(ws.dir, 'api.token');
    writeFileSync(tokenFile, 'from-a-file-7c2d\n', { mode: 0o644 });
    const loose = workspace({ api: { tokenFile } });
    const refused = await runWarden(['serve', '--config', loose.config, '--listen', '127.0.0.1:0']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/api\.tokenFile: .*readable by others \(mode 644\); run chmod 600/);

    chmodSync(tokenFile, 0o600);
    const s2 = await serve(loose.config, {});
    expect((await request(s2, 'POST', '/api/v1/targets/nope/backups', { token: 'from-a-file-7c2d' })).status).toBe(404);
    expect((await request(s2, 'POST', '/api/v1/targets/nope/backups', { token: TOKEN })).status).toBe(401);
    await s2.stop();
  });

  it('protects reads with api.protectReads, keeps CORS off unless origins are allowed, and answers health probes', async () => {
    const origin = 'https://grafana.example.com';
    const ws = workspace({ api: { protectReads: true, corsOrigins: [origin] } });
    const s = await serve(ws.config);
    expect((await request(s, 'GET', '/api/v1/targets', { token: null })).status).toBe(401);
    expect((await request(s, 'GET', '/metrics', { token: null })).status).toBe(401);
    expect((await request(s, 'GET', '/api/v1/targets')).status).toBe(200);
    expect((await request(s, 'GET', '/healthz', { token: null })).json).toEqual({ status: 'ok' });
    expect((await request(s, 'GET', '/readyz', { token: null })).json).toEqual({ status: 'ready' });

    const allowed = await request(s, 'GET', '/api/v1/targets', { headers: { origin } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    const preflight = await request(s, 'OPTIONS', '/api/v1/targets/shop/backups', { token: null, headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const other = await request(s, 'GET', '/api/v1/targets', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await s.stop();

    const plain = await serve(workspace().config);
    const r = await request(plain, 'GET', '/api/v1/targets', { headers: { origin } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('x-powered-by')).toBeNull();
    await plain.stop();
  });
});

/** Run folders of a target: a refused request must never create one. */
function readdirRuns(repository: string, target = 'shop'): string[] {
  const dir = path.join(repository, target);
  return existsSync(dir) ? readdirSync(dir).filter((n) => BACKUP_ID.test(n)) : [];
}
