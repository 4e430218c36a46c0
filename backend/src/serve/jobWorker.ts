// One backup or verification in a worker thread (see jobs.ts): the same functions the CLI calls,
// with their callbacks turned into messages to the agent's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { setLogLevel } from '../util/log.js';
import { runBackup } from '../backup/run.js';
import { verifyBackup } from '../verify/index.js';
import type { Job, FromWorker } from './jobs.js';

const job = workerData as Job;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const controller = new AbortController();
port.on('message', () => controller.abort()); // the only message the main thread sends
setLogLevel(job.logLevel);

async function run(): Promise<unknown> {
  const { signal } = controller;
  if (job.kind === 'verify') return verifyBackup({ dir: job.dir, level: job.level, config: job.config, signal });
  const { config, target } = job;
  return runBackup({
    config,
    target,
    signal,
    onStart: (id) => post({ type: 'start', id }),
    onProgress: (progress) => post({ type: 'progress', progress }),
    onPreflight: (checks) => post({ type: 'preflight', checks }),
    // A per-table run the agent's own stop (or a crash) interrupted continues where it stopped.
    resume: true,
  });
}

run().then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => post({ type: 'error', name: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err), stack: (err as Error)?.stack }),
);
