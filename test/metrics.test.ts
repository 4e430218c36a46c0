// /metrics of `warden serve`: valid exposition (promtool), the documented series and conventions,
// state rebuilt from the catalog across restarts, and a real Prometheus scraping it.
import { spawn, spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../backend/src/contract/metrics.js';
import { freePort } from './harness/mariadb.js';
import { fakeRun } from './helpers/catalog.js';
import { dashboardExpressions, metricNames } from './helpers/promql.js';
import { waitFor } from './helpers/proc.js';
import { request, type Served, serve } from './helpers/serve.js';
import { makeWorkspace } from './helpers/warden.js';

const DAY = 86_400_000;

/** A repository with a history: retries, a failure, verifications; and a target that never ran. */
function historyWorkspace() {
  const target = (name: string, extra: Record<string, unknown> = {}) => ({ name, host: '127.0.0.1', port: 1, user: 'root', ...extra });
  const ws = makeWorkspace([target('shop', { rpo: '26h' }), target('never', { method: 'physical' })]);
  const now = Date.now();
  fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 3 * DAY), verification: { level: 'restore', ok: true, restoreSeconds: 12.5 } });
  fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 2 * DAY), status: 'failed', class: 'auth' });
  const last = fakeRun(ws.repository, 'shop', {
    startedAt: new Date(now - DAY),
    bytes: 4096,
    rows: 1234,
    durationSeconds: 90,
    attempts: ['connection', 'connection', 'none'],
    verification: { level: 'parse', ok: true },
  });
  return { ws, last };
}

async function scrape(s: Served): Promise<string> {
  const r = await request(s, 'GET', '/metrics', { token: null });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.text;
}

/** `name{labels} value` lines as a map, for the series of our prefix. */
function series(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(mysql_backup_\S+) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

describe('warden serve: metrics', () => {
  it('exposes valid Prometheus text with the documented series, rebuilt from the catalog at every start', async () => {
    const { ws, last } = historyWorkspace();
    const s = await serve(ws.config);
    const text = await scrape(s);

    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect((lint.stdout + lint.stderr).trim()).toBe('');

    const m = series(text);
    const finished = Date.parse(last.manifest.finishedAt!) / 1000;
    expect(m.get('mysql_backup_last_success_timestamp_seconds{target="shop"}')).toBe(finished);
    expect(m.get('mysql_backup_last_attempt_timestamp_seconds{target="shop"}')).toBe(Date.parse(last.manifest.startedAt) / 1000);
    expect(m.get('mysql_backup_last_run_success{target="shop"}')).toBe(1);
    expect(m.get('mysql_backup_last_size_bytes{target="shop",method="single-stream"}')).toBe(4096);
    expect(m.get('mysql_backup_last_raw_bytes{target="shop"}')).toBe(4096);
    expect(m.get('mysql_backup_last_rows{target="shop"}')).toBe(1234);
    expect(m.get('mysql_backup_runs_total{target="shop",result="success"}')).toBe(2);
    expect(m.get('mysql_backup_runs_total{target="shop",result="failed"}')).toBe(1);
    expect(m.get('mysql_backup_failures_total{target="shop",class="auth"}')).toBe(1);
    expect(m.get('mysql_backup_failures_total{target="shop",class="disk_full"}')).toBe(0);
    expect(m.get('mysql_backup_retries_total{target="shop",class="connection"}')).toBe(2);
    expect(m.get('mysql_backup_duration_seconds_count{target="shop",method="single-stream"}')).toBe(3);
    expect(m.get('mysql_backup_duration_seconds_bucket{le="120",target="shop",method="single-stream"}')).toBe(3);
    expect(m.get('mysql_backup_duration_seconds_bucket{le="60",target="shop",method="single-stream"}')).toBe(2);
    expect(m.get('mysql_backup_last_verify_success{target="shop",level="restore"}')).toBe(1);
    expect(m.get('mysql_backup_last_verify_success{target="shop",level="parse"}')).toBe(1);
    expect(m.get('mysql_backup_last_verified_timestamp_seconds{target="shop"}')).toBe(finished);
    expect(m.get('mysql_backup_restore_seconds{target="shop"}')).toBe(12.5);
    expect(m.get('mysql_backup_artifacts{target="shop"}')).toBe(2);
    expect(m.get('mysql_backup_repository_used_bytes{target="shop"}')).toBeGreaterThan(5000);
    expect(m.get('mysql_backup_repository_free_bytes')).toBeGreaterThan(0);
    expect(m.get('mysql_backup_rpo_seconds{target="shop"}')).toBe(26 * 3600);
    expect(m.get('mysql_backup_in_progress{target="shop"}')).toBe(0);
    expect(m.get('mysql_backup_progress_bytes{target="shop"}')).toBe(0);
    // A target that never ran is visible: 0 for its last success and its last run.
    expect(m.get('mysql_backup_last_success_timestamp_seconds{target="never"}')).toBe(0);
    expect(m.get('mysql_backup_last_run_success{target="never"}')).toBe(0);
    expect(m.get('mysql_backup_last_size_bytes{target="never",method="physical"}')).toBe(0);
    expect(m.get('mysql_backup_runs_total{target="never",result="success"}')).toBe(0);
    expect(m.has('mysql_backup_rpo_seconds{target="never"}')).toBe(false);
    // Every series but the file system's free space is per target.
    for (const key of m.keys()) if (!key.startsWith('mysql_backup_repository_free_bytes')) expect(key).toMatch(/[{,]target="/);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);

    // A restart rebuilds the same state from the catalog.
    await s.stop();
    const again = await serve(ws.config);
    const after = series(await scrape(again));
    for (const [key, value] of m) if (!key.includes('free_bytes')) expect(after.get(key), key).toBe(value);
    await again.stop();
  });

  it("labels the duration by method, and the last size with the newest success's method alone", async () => {
    // Configured single-stream now, after a physical backup: the configured method's zero series goes.
    const ws = makeWorkspace([{ name: 'shop', host: '127.0.0.1', port: 1, user: 'root' }]);
    const now = Date.now();
    fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 2 * DAY), bytes: 500, durationSeconds: 30 });
    fakeRun(ws.repository, 'shop', { startedAt: new Date(now - DAY), method: 'physical', bytes: 2000, durationSeconds: 10 });
    const s = await serve(ws.config);
    const m = series(await scrape(s));
    await s.stop();
    expect(m.get('mysql_backup_duration_seconds_sum{target="shop",method="single-stream"}')).toBe(30);
    expect(m.get('mysql_backup_duration_seconds_sum{target="shop",method="physical"}')).toBe(10);
    expect([...m].filter(([k]) => k.startsWith('mysql_backup_last_size_bytes'))).toEqual([['mysql_backup_last_size_bytes{target="shop",method="physical"}', 2000]]);
  });

  it('describes the offsite copies from the records beside the manifests', async () => {
    const offsite = { repository: 's3://offsite/warden', window: '2h' };
    const ws = makeWorkspace([{ name: 'shop', host: '127.0.0.1', port: 1, user: 'root' }], { s3: { endpoint: 'http://127.0.0.1:1' }, offsite });
    const now = Date.now();
    const record = ({ id, dir }: { id: string; dir: string }, state: 'copied' | 'failed', at: Date, cls?: string) =>
      writeFileSync(
        path.join(dir, 'offsite.json'),
        JSON.stringify({
          format: 1, state, location: `s3://offsite/warden/shop/${id}`, at: at.toISOString(), verifiedAt: state === 'copied' ? at.toISOString() : null, bytes: 1000, attempts: 1,
          error: cls ? { class: cls, retryable: false, severity: 'error', code: 'SignatureDoesNotMatch', hint: 'h', message: 'm' } : null,
        }),
      );
    const copied = fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 3 * DAY) });
    record(copied, 'copied', new Date(now - 3 * DAY + 3_600_000));
    const failed = fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 2 * DAY) });
    record(failed, 'failed', new Date(now - 2 * DAY + 3_600_000), 'storage_credentials');
    fakeRun(ws.repository, 'shop', { startedAt: new Date(now - DAY) });
    fakeRun(ws.repository, 'shop', { startedAt: new Date(now - DAY / 2), status: 'failed' });
    const s = await serve(ws.config);
    const m = series(await scrape(s));
    await s.stop();
    expect(m.get('mysql_backup_offsite_window_seconds{target="shop"}')).toBe(7200);
    expect(m.get('mysql_backup_offsite_newest_copied{target="shop"}')).toBe(0);
    expect(m.get('mysql_backup_offsite_last_copy_timestamp_seconds{target="shop"}')).toBe((now - 3 * DAY + 3_600_000) / 1000);
    expect(m.get('mysql_backup_offsite_waiting_backups{target="shop"}')).toBe(2);
    expect([...m].filter(([k]) => k.startsWith('mysql_backup_offsite_copy_failed'))).toEqual([['mysql_backup_offsite_copy_failed{target="shop",class="storage_credentials"}', 1]]);
  });

  it('a damaged or hostile offsite record counts as no copy: no NaN, no trust in a link, nothing read past its bound', async () => {
    const ws = makeWorkspace([{ name: 'shop', host: '127.0.0.1', port: 1, user: 'root' }], { s3: { endpoint: 'http://127.0.0.1:1' }, offsite: { repository: 's3://offsite/warden' } });
    const now = Date.now();
    const runs = [1, 2, 3, 4, 5].map((d) => fakeRun(ws.repository, 'shop', { startedAt: new Date(now - d * DAY) }));
    const good = (i: number) => ({ format: 1, state: 'copied', location: `s3://offsite/warden/shop/${runs[i]!.id}`, at: new Date(now).toISOString(), verifiedAt: new Date(now).toISOString(), bytes: 1, attempts: 1, error: null });
    // Not a time; a link to a good record; terminal escapes where a location goes; a record far larger than one is; a copy in another place.
    writeFileSync(path.join(runs[0]!.dir, 'offsite.json'), JSON.stringify({ ...good(0), verifiedAt: 'yesterday' }));
    writeFileSync(path.join(ws.dir, 'elsewhere.json'), JSON.stringify(good(1)));
    symlinkSync(path.join(ws.dir, 'elsewhere.json'), path.join(runs[1]!.dir, 'offsite.json'));
    writeFileSync(path.join(runs[2]!.dir, 'offsite.json'), JSON.stringify({ ...good(2), location: `${good(2).location}\u001b]0;owned\u0007\u001b[2J` }));
    writeFileSync(path.join(runs[3]!.dir, 'offsite.json'), JSON.stringify({ ...good(3), pad: 'x'.repeat(4 << 20) }));
    writeFileSync(path.join(runs[4]!.dir, 'offsite.json'), JSON.stringify({ ...good(4), location: good(4).location.replace('s3://offsite/', 's3://old-offsite/') }));
    const s = await serve(ws.config);
    const m = series(await scrape(s));
    const api = await request(s, 'GET', '/api/v1/backups?target=shop', { token: null });
    await s.stop();
    expect(m.get('mysql_backup_offsite_newest_copied{target="shop"}')).toBe(0);
    expect(m.get('mysql_backup_offsite_last_copy_timestamp_seconds{target="shop"}')).toBe(0);
    expect(m.get('mysql_backup_offsite_waiting_backups{target="shop"}')).toBe(5);
    // The copy in another place is shown where it is; the others are no records at all.
    expect(api.json.backups.map((b: { offsite: { location: string } | null }) => b.offsite?.location ?? null)).toEqual([null, null, null, null, expect.stringMatching(/^s3:\/\/old-offsite\//)]);
  });

  it('exposes every metric the bundled Grafana dashboard queries', async () => {
    const { ws } = historyWorkspace();
    const s = await serve(ws.config);
    const text = await scrape(s);
    await s.stop();
    const families = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const expressions = dashboardExpressions();
    expect(expressions.length).toBeGreaterThan(15);
    for (const expr of expressions) {
      for (const name of metricNames(expr)) {
        const histogram = name.replace(/_(bucket|sum|count)$/, '');
        expect(families.has(name) || families.get(histogram) === 'histogram', `${name} in ${expr}`).toBe(true);
      }
    }
  });

  it('exposes exactly the metrics of the contract table, each with its type, help and labels', async () => {
    const { ws } = historyWorkspace();
    const s = await serve(ws.config);
    const text = await scrape(s);
    await s.stop();
    const types = new Map([...text.matchAll(/^# TYPE (mysql_backup_\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const helps = new Map([...text.matchAll(/^# HELP (mysql_backup_\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect([...types.keys()].sort()).toEqual(Object.values(METRICS).map((m) => m.name).sort());
    for (const m of Object.values(METRICS)) {
      expect(types.get(m.name), m.name).toBe(m.type);
      expect(helps.get(m.name), m.name).toBe(m.help);
      const sample = new RegExp(`^${m.name}(?:_bucket|_sum|_count)?(?:\\{([^}]*)\\})? `, 'm').exec(text);
      const labels = (sample?.[1] ?? '').split(',').filter(Boolean).map((l) => l.slice(0, l.indexOf('='))).filter((l) => l !== 'le');
      // Series some targets have only later (pre-flight results, schedules) are checked when present.
      if (sample) expect(labels.sort(), m.name).toEqual([...m.labels].sort());
    }
  });

  it('is scraped by a real Prometheus, which answers queries for mysql_backup_last_success_timestamp_seconds', async () => {
    const { ws, last } = historyWorkspace();
    const s = await serve(ws.config);
    const port = await freePort();
    const configFile = path.join(ws.dir, 'prometheus.yml');
    writeFileSync(
      configFile,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: warden\n    static_configs:\n      - targets: ['127.0.0.1:${s.port}']\n`,
    );
    const prometheus = spawn(
      'prometheus',
      [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(ws.dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prometheus.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
    try {
      const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('mysql_backup_last_success_timestamp_seconds')}`;
      const result = await waitFor(
        async () => {
          const r = await fetch(url).catch(() => null);
          if (!r?.ok) return null;
          const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
          return body.data.result.length === 2 ? body.data.result : null;
        },
        30_000,
        `Prometheus to scrape the agent (its log:\n${log})`,
      );
      const byTarget = Object.fromEntries(result.map((r) => [r.metric.target, Number(r.value[1])]));
      expect(byTarget).toEqual({ shop: Date.parse(last.manifest.finishedAt!) / 1000, never: 0 });
      expect(result[0]!.metric).toMatchObject({ job: 'warden', instance: `127.0.0.1:${s.port}` });
    } finally {
      prometheus.kill('SIGTERM');
      await new Promise((r) => prometheus.once('close', r));
      await s.stop();
    }
  });
});
