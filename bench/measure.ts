// Timing and resource use of commands: wall time, exact CPU time of the whole process tree,
// per-program CPU and peak RSS sampled from /proc, and exact figures for node processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** USER_HZ: the unit of CPU times in /proc; 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 100;
const OUTPUT_LIMIT = 1 << 20;

export interface ProcessStats {
  /** program name (comm) */
  name: string;
  count: number;
  cpuSeconds: number;
  peakRssBytes: number;
}

export interface Measurement {
  wallSeconds: number;
  /** CPU time of the whole tree, exact: what the kernel adds to our children times once it is reaped */
  cpuSeconds: number;
  /** per program in the tree, sampled every SAMPLE_MS (misses at most the last interval of each) */
  processes: ProcessStats[];
  stdout: string;
  stderr: string;
}

export interface NodeMeasurement extends Measurement {
  /** exact figures of the node process itself, recorded by exit-probe.mjs as it exits */
  node: { peakRssBytes: number; cpuSeconds: number; childCpuSeconds: number };
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function which(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** bash -o pipefail -c: a pipeline fails when any of its commands does. */
export function measurePipeline(script: string, opts?: MeasureOptions): Promise<Measurement> {
  return measure('bash', ['-o', 'pipefail', '-c', script], opts);
}

/** Runs a command to completion; throws unless it exits 0. */
export async function measure(cmd: string, args: string[], opts: MeasureOptions = {}): Promise<Measurement> {
  const cpuBefore = childrenCpuTicks();
  const started = process.hrtime.bigint();
  // Its own process group, so that an interrupted benchmark can kill the whole pipeline.
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  const sampler = new TreeSampler(child.pid);
  const stdout = collect(child.stdout!);
  const stderr = collect(child.stderr!);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  }).finally(() => sampler.stop());
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) {
    const why = signal ? `killed by ${signal}` : `exit ${code}`;
    const tail = (text: string) => text.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${cmd} ${args.join(' ')}: ${why}\n${tail(stderr())}\n${tail(stdout())}`.trimEnd());
  }
  return {
    wallSeconds,
    cpuSeconds: (childrenCpuTicks() - cpuBefore) / TICKS_PER_SECOND,
    processes: sampler.byProgram(),
    stdout: stdout(),
    stderr: stderr(),
  };
}

const PROBE_URL = pathToFileURL(path.join(import.meta.dirname, 'exit-probe.mjs')).href;
let probes = 0;

/** Runs `node <args>` (this node binary) with exit-probe.mjs preloaded. */
export async function measureNode(args: string[], opts: MeasureOptions = {}): Promise<NodeMeasurement> {
  const probeFile = path.join(os.tmpdir(), `bench-probe-${process.pid}-${++probes}.json`);
  try {
    const env = { ...(opts.env ?? process.env), BENCH_EXIT_PROBE: probeFile };
    const m = await measure(process.execPath, ['--import', PROBE_URL, ...args], { ...opts, env });
    const p = JSON.parse(await readFile(probeFile, 'utf8')) as { hwmKb: number; cpuMicros: number; childTicks: number };
    return { ...m, node: { peakRssBytes: p.hwmKb * 1024, cpuSeconds: p.cpuMicros / 1e6, childCpuSeconds: p.childTicks / TICKS_PER_SECOND } };
  } finally {
    await rm(probeFile, { force: true });
  }
}

export interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
}

/** The value below which a fraction `q` of the values lie (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export function stats(values: number[]): Stats {
  if (values.length === 0) throw new Error('stats of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, median, min: s[0]!, max: s[s.length - 1]! };
}

/**
 * Runs every variant `runs` times, interleaved, in the opposite order every other round
 * (ABC CBA ABC ...), so that drift in the machine's load and caches spreads over all of them.
 */
export async function alternate<K extends string, R>(
  variants: readonly K[],
  runs: number,
  runOne: (variant: K, round: number) => Promise<R>,
): Promise<Map<K, R[]>> {
  const results = new Map<K, R[]>(variants.map((v) => [v, []]));
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) results.get(v)!.push(await runOne(v, round));
  }
  return results;
}

/**
 * Starts a command that runs until it is stopped (e.g. an agent under load), in its own process
 * group and killed if the benchmark exits early; its stderr is kept for when it fails.
 */
export function spawnTracked(cmd: string, args: string[], opts: MeasureOptions = {}): { child: ChildProcess; stderr: () => string } {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  track(child);
  return { child, stderr: collect(child.stderr!) };
}

/** The resident set size of a process now (VmRSS) and its program name, or null once it has gone. */
export function residentBytes(pid: number): { name: string; bytes: number } | null {
  const stat = readStat(pid);
  try {
    const kb = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return stat && kb ? { name: stat.comm, bytes: Number(kb) * 1024 } : null;
  } catch {
    return null;
  }
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (s: string) => {
    text = (text + s).slice(-OUTPUT_LIMIT);
  });
  return () => text;
}

// Process groups still running, killed if the benchmark exits early (error, Ctrl-C).
const running = new Set<number>();
let exitHooked = false;

function track(child: ChildProcess): void {
  if (!exitHooked) process.on('exit', killRunning);
  exitHooked = true;
  const pid = child.pid;
  if (pid === undefined) return;
  running.add(pid);
  child.once('exit', () => running.delete(pid));
}

function killRunning(): void {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Fields of /proc/<pid>/stat after "pid (comm) ", and the comm. */
function readStat(pid: number | 'self'): { comm: string; fields: string[] } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
  } catch {
    return undefined;
  }
}

function childrenCpuTicks(): number {
  const f = readStat('self')!.fields;
  return Number(f[13]) + Number(f[14]); // cutime + cstime
}

/** The pids of a process and its descendants, from /proc/<pid>/task/<tid>/children. */
export function treePids(root: number): number[] {
  const pids: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    pids.push(pid);
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) queue.push(...children.split(' ').map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Polls a process tree: the latest CPU time and peak RSS (VmHWM) seen for every pid. */
class TreeSampler {
  private readonly seen = new Map<number, { comm: string; cpuTicks: number; hwmKb: number }>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly root: number | undefined) {
    if (root === undefined) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  private sample(): void {
    for (const pid of treePids(this.root!)) {
      const stat = readStat(pid);
      if (!stat) continue;
      let hwmKb = 0;
      try {
        hwmKb = Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        // exited meanwhile
      }
      const prev = this.seen.get(pid);
      this.seen.set(pid, {
        comm: stat.comm,
        cpuTicks: Number(stat.fields[11]) + Number(stat.fields[12]), // utime + stime
        hwmKb: Math.max(prev?.hwmKb ?? 0, hwmKb),
      });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  byProgram(): ProcessStats[] {
    const by = new Map<string, ProcessStats>();
    for (const p of this.seen.values()) {
      const s = by.get(p.comm) ?? { name: p.comm, count: 0, cpuSeconds: 0, peakRssBytes: 0 };
      s.count++;
      s.cpuSeconds += p.cpuTicks / TICKS_PER_SECOND;
      s.peakRssBytes = Math.max(s.peakRssBytes, p.hwmKb * 1024);
      by.set(p.comm, s);
    }
    return [...by.values()];
  }
}
