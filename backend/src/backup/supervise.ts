// Stops a backup process the run no longer wants: shutdown or the deadline (the run's signal), or
// no output for too long. SIGTERM first, SIGKILL after a grace period, the whole process group.
import type { ChildProcess } from 'node:child_process';
import { killChild } from '../mysql/children.js';
import type { Logger } from '../util/log.js';

/** Why the agent stopped a dump: shutdown (SIGTERM/SIGINT), the run's deadline, or no bytes for too long. */
export type StopReason = 'shutdown' | 'deadline' | 'stall';

export interface Supervisor {
  /** Null while the agent has not stopped the process. */
  reason(): StopReason | null;
  /** With reason `stall`: how long nothing came. */
  stalledSeconds(): number;
  /** Stops watching (call once the process has exited). */
  dispose(): void;
}

const KILL_GRACE_MS = 5000;

export function superviseChild(
  child: ChildProcess,
  o: { signal?: AbortSignal; stallSeconds: number; log: Logger; lastDataAt: () => number; onTick?: () => void },
): Supervisor {
  let stopReason: StopReason | null = null;
  let stalledSeconds = 0;
  const stop = (reason: StopReason) => {
    if (stopReason || child.exitCode !== null) return;
    stopReason = reason;
    stalledSeconds = Math.round((Date.now() - o.lastDataAt()) / 1000);
    o.log.warn({ reason }, 'stopping the dump');
    killChild(child, 'SIGTERM');
    setTimeout(() => killChild(child, 'SIGKILL'), KILL_GRACE_MS).unref();
  };
  const onAbort = () => stop(o.signal?.reason === 'deadline' ? 'deadline' : 'shutdown');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const watch = setInterval(() => {
    o.onTick?.();
    if (Date.now() - o.lastDataAt() > o.stallSeconds * 1000) stop('stall');
  }, 1000);
  return {
    reason: () => stopReason,
    stalledSeconds: () => stalledSeconds,
    dispose() {
      clearInterval(watch);
      o.signal?.removeEventListener('abort', onAbort);
    },
  };
}
