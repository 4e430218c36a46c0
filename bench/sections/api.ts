// Issue "The agent as a service": latency of /metrics and GET /api/v1/targets under a steady load
// while `warden serve` runs a backup, and what that load costs the backup's wall time.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import { stringify } from 'yaml';
import { type BenchContext, MAIN_DATABASE, type Section } from '../context.js';
import { alternate, stats } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';

const ENDPOINTS = ['/metrics', '/api/v1/targets'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
/** Requests per second in all, shared equally by the endpoints. */
const RATE = 100;
const LOAD_SECONDS = 30;
const REFERENCE_SECONDS = 10;
/** Load before any measurement: the agent's code paths compile on first use (JIT), not under test. */
const WARMUP_SECONDS = 5;
const CONNECTIONS = 4;
const POLL_MS = 500;
const TARGETS = { p99Ms: 50, slowdown: 1.1 };
const VARIANTS = ['idle', 'loaded'] as const;
type Variant = (typeof VARIANTS)[number];

interface Agent {
  url: string;
  token: string;
  child: ChildProcess;
}

/** `warden serve` on a free port, with one target for the main dataset. */
async function startAgent(ctx: BenchContext): Promise<Agent> {
  const { server } = await ctx.main();
  const config = path.join(ctx.tmpDir, 'warden.yaml');
  const target = { name: MAIN_DATABASE, host: server.host, port: server.port, user: 'root', databases: [MAIN_DATABASE], tool: ctx.dumpTool.name, verifyAfterBackup: 'none' };
  await writeFile(config, stringify({ repository: path.join(ctx.tmpDir, 'repository'), targets: [target] }));
  const token = randomBytes(16).toString('hex');
  const cli = path.join(ctx.repoRoot, 'backend', 'bin', 'warden.js');
  const child = spawn(process.execPath, [cli, 'serve', '--config', config, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, WARDEN_API_TOKEN: token, WARDEN_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`warden serve exited (${code}) before listening: ${buffer.slice(-2000)}`)));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      buffer = (buffer + s).slice(-100_000);
      const line = buffer.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve((JSON.parse(line) as { address: { port: number } }).address.port);
    });
  });
  return { url: `http://127.0.0.1:${port}`, token, child };
}

async function call(agent: Agent, method: string, p: string): Promise<any> {
  const res = await fetch(agent.url + p, { method, headers: { authorization: `Bearer ${agent.token}` } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** One backup through the API; its wall time as the agent recorded it. Deleted afterwards to keep disk use flat. */
async function backupOnce(agent: Agent): Promise<number> {
  const { id } = await call(agent, 'POST', `/api/v1/targets/${MAIN_DATABASE}/backups`);
  // The run has ended for the agent (retention included) once the target no longer shows it running.
  do await new Promise((r) => setTimeout(r, POLL_MS));
  while ((await call(agent, 'GET', `/api/v1/targets/${MAIN_DATABASE}`)).running?.id === id);
  const m = await call(agent, 'GET', `/api/v1/backups/${id}`);
  if (m.status !== 'success') throw new Error(`backup ${id} ${m.status}: ${m.error?.message}`);
  await call(agent, 'DELETE', `/api/v1/backups/${id}`);
  return m.durationSeconds as number;
}

interface Round {
  backupSeconds: number;
  latency?: Record<Endpoint, autocannon.Result>;
}

const execFileAsync = promisify(execFile);

/**
 * autocannon in its own process per endpoint, like an outside client: in the bench process its
 * timers would share an event loop with the bench's own polling and inflate the latencies it measures.
 */
async function loadOne(ctx: BenchContext, url: string, rate: number, seconds: number): Promise<autocannon.Result> {
  const cli = path.join(ctx.repoRoot, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [cli, '--json', '-c', String(CONNECTIONS), '-R', String(rate), '-d', String(seconds), url];
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as autocannon.Result;
}

/** RATE requests/s shared by the endpoints for `seconds`; the results by endpoint. */
async function load(ctx: BenchContext, agent: Agent, seconds: number): Promise<Record<Endpoint, autocannon.Result>> {
  const rate = RATE / ENDPOINTS.length;
  const results = await Promise.all(ENDPOINTS.map((p) => loadOne(ctx, agent.url + p, rate, seconds)));
  return Object.fromEntries(ENDPOINTS.map((p, i) => [p, results[i]!])) as Record<Endpoint, autocannon.Result>;
}

/** The load for LOAD_SECONDS, with backups back to back all along; the first backup is the sample. */
async function loadedRound(ctx: BenchContext, agent: Agent): Promise<Round> {
  const latency = load(ctx, agent, LOAD_SECONDS);
  let loading = true;
  void latency.finally(() => (loading = false));
  const backupSeconds = await backupOnce(agent);
  while (loading) await backupOnce(agent);
  return { backupSeconds, latency: await latency };
}

export const section: Section = {
  name: 'api',
  title: 'API: latency under load while a backup runs',
  async run(ctx) {
    const agent = await startAgent(ctx);
    let rounds: Map<Variant, Round[]>;
    let reference: Record<Endpoint, autocannon.Result>;
    try {
      ctx.log(`warm-up: ${RATE} requests/s for ${WARMUP_SECONDS} s (not measured)`);
      await load(ctx, agent, WARMUP_SECONDS);
      // The same load with no backup running: what the machine gives without one.
      ctx.log(`reference: ${RATE} requests/s for ${REFERENCE_SECONDS} s, no backup`);
      reference = await load(ctx, agent, REFERENCE_SECONDS);
      rounds = await alternate(VARIANTS, ctx.runs, async (v, round) => {
        ctx.log(`round ${round + 1}/${ctx.runs}: backup ${v === 'idle' ? 'alone' : `under ${RATE} requests/s`}`);
        return v === 'idle' ? { backupSeconds: await backupOnce(agent) } : loadedRound(ctx, agent);
      });
    } finally {
      agent.child.kill('SIGTERM');
    }
    const idle = stats(rounds.get('idle')!.map((r) => r.backupSeconds));
    const loaded = stats(rounds.get('loaded')!.map((r) => r.backupSeconds));
    const slowdown = loaded.median / idle.median;
    const perEndpoint = ENDPOINTS.map((p) => {
      const results = rounds.get('loaded')!.map((r) => r.latency![p]);
      return {
        p,
        p50: stats(results.map((r) => r.latency.p50)).median,
        p99: Math.max(...results.map((r) => r.latency.p99)),
        requests: results.reduce((n, r) => n + r.requests.total, 0),
        failed: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
      };
    });

    const latency: Table = {
      headers: ['endpoint', 'p50 (median of rounds)', 'p99 (worst round)', 'requests', 'non-2xx / errors', `no backup: p50 / p99 (${REFERENCE_SECONDS} s)`],
      rows: perEndpoint.map((e) => {
        const ref = reference[e.p].latency;
        return [`GET ${e.p}`, `${e.p50.toFixed(1)} ms`, `${e.p99.toFixed(1)} ms`, String(e.requests), String(e.failed), `${ref.p50.toFixed(1)} / ${ref.p99.toFixed(1)} ms`];
      }),
    };
    const checks: [string, string, string, boolean][] = [
      ...perEndpoint.map((e): [string, string, string, boolean] => [`p99 of GET ${e.p}`, `${e.p99.toFixed(1)} ms`, `< ${TARGETS.p99Ms} ms`, e.p99 < TARGETS.p99Ms && e.failed === 0]),
      [
        `backup wall time under load (median ${fmt.seconds(loaded.median)}) vs alone (${fmt.seconds(idle.median)})`,
        fmt.ratio(slowdown),
        `≤ ${fmt.ratio(TARGETS.slowdown)}`,
        slowdown <= TARGETS.slowdown,
      ],
    ];
    const targets: Table = { headers: ['target', 'measured', 'limit', 'verdict'], rows: checks.map(([w, got, limit, ok]) => [w, got, limit, fmt.verdict(ok)]) };

    const markdown = [
      await ctx.environment(),
      '',
      `### Latency (${fmt.count(ctx.runs, 'loaded round')} of ${LOAD_SECONDS} s, ${RATE} requests/s in all, ${RATE / ENDPOINTS.length}/s per endpoint, ${CONNECTIONS} connections each)`,
      '',
      markdownTable(latency),
      '',
      '### Targets',
      '',
      markdownTable(targets),
      '',
      `Method: one \`warden serve\` (token auth, reads open); rounds alternate a backup of \`${MAIN_DATABASE}\` alone with one under load`,
      `(autocannon with \`overallRate\`, one process per endpoint, on the same CPUs, after ${WARMUP_SECONDS} s of unmeasured warm-up load). Under load, backups run back to back for the whole ${LOAD_SECONDS} s; the`,
      "first one is the sample. Wall times are the manifests' `durationSeconds`; every backup is started through",
      `\`POST /api/v1/targets/${MAIN_DATABASE}/backups\`, followed by polling \`GET /api/v1/targets/${MAIN_DATABASE}\` every ${POLL_MS} ms, and deleted afterwards.`,
      'The agent runs each backup in a worker thread, so its stream work does not hold the event loop that answers',
      'requests; the backup still shares the CPUs with it (and with the dump tool, zstd, the server and the load generator).',
    ].join('\n');
    const lines = [...textTable(latency), '', ...textTable(targets)];
    return { markdown, lines };
  },
};
