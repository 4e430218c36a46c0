import pino, { type Logger } from 'pino';

export type { Logger };

export const COMPONENTS = ['backup', 'verify', 'retention', 'schedule', 'api', 'cli', 'binlog'] as const;
export type Component = (typeof COMPONENTS)[number];

/** Never let a secret reach a log line, whatever object is logged. */
const redact = {
  paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization'],
  censor: '[redacted]',
};

let main: Logger | null = null;

/** The process logger: JSON lines on stderr (stdout is kept for command results). */
export function mainLogger(level = process.env.WARDEN_LOG_LEVEL ?? 'warn'): Logger {
  main ??= pino({ level, redact, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
  return main;
}

export function setLogLevel(level: string): void {
  mainLogger().level = level;
}

/**
 * A run's logger: every line goes to the run's own log.jsonl (kept beside its manifest and served
 * by the API) and, at the process level, to the main log.
 */
export function runLogger(file: string, component: Component, bindings: Record<string, unknown>): { log: Logger; close: () => void } {
  const dest = pino.destination({ dest: file, sync: true, mode: 0o600, mkdir: false });
  const parent = mainLogger();
  // A log line that cannot be written (a full disk) must not end the run it describes: the run
  // log stops, says so once on stderr, and the run goes on to record how it ended.
  let failed = false;
  const runLog = {
    write(line: string) {
      if (failed) return;
      try {
        dest.write(line);
      } catch (err) {
        failed = true;
        parent.error({ err, file }, 'the run log cannot be written any more; the rest goes to stderr only');
      }
    },
  };
  const streams = pino.multistream([
    { level: 'debug', stream: runLog },
    { level: parent.level as pino.Level, stream: pino.destination({ dest: 2, sync: true }) },
  ]);
  const log = pino({ level: 'debug', redact, base: { component, ...bindings } }, streams);
  // sonic-boom's flushSync retries a failed write forever (it rethrows only EAGAIN/EBUSY past their
  // retries): after a write error, what is left is given up, not flushed.
  const close = () => {
    if (!failed) dest.flushSync();
  };
  return { log, close };
}
