// One backup, verification or point-in-time restore in a worker thread (see jobs.ts): the same functions the CLI calls,
// with their callbacks turned into messages to the agent's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { setLogLevel } from '../util/log.js';
import { backup } from '../backup/index.js';
import { verifyBackup } from '../verify/index.js';
import { restoreToPoint, targetRequest } from '../restore/pointInTime.js';
import type { Failure } from '../contract/index.js';
import type { FromWorker, Job, ToWorker } from './jobs.js';
import { useRepository } from '../storage/index.js';

const job = workerData as Job;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const controller = new AbortController();
let inUseReply: ((ids: ReadonlySet<string>) => void) | null = null;
port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') controller.abort();
  else inUseReply?.(new Set(m.ids));
});
setLogLevel(job.logLevel);

/** The backups the agent verifies now: the main thread knows them, retention here asks. */
function askInUse(): Promise<ReadonlySet<string>> {
  return new Promise((resolve) => {
    inUseReply = resolve;
    post({ type: 'in-use?' });
  });
}

async function run(): Promise<unknown> {
  const { signal } = controller;
  // A worker thread has its own modules: the repository is made reachable here as well.
  await useRepository(job.config);
  if (job.kind === 'verify') return verifyBackup({ dir: job.dir, level: job.level, config: job.config, signal });
  // Never over an existing database (no force): the API offers restores into new ones only.
  if (job.kind === 'restore' || job.kind === 'plan') return restoreToPoint({ ...targetRequest(job.config, job.target), ...job.restore, force: false, dryRun: job.kind === 'plan', signal });
  const { config, target } = job;
  return backup({
    config,
    target,
    signal,
    onStart: (id) => post({ type: 'start', id }),
    onProgress: (progress) => post({ type: 'progress', progress }),
    onPreflight: (checks) => post({ type: 'preflight', checks }),
    inUse: askInUse,
  });
}

run().then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => {
    const { name = 'Error', message = String(err), stack, hint, failure } = (err ?? {}) as Error & { hint?: string; failure?: Failure };
    post({ type: 'error', name, message, stack, hint, failure });
  },
);
