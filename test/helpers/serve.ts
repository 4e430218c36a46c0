// `warden serve` as a child process, and ways to talk to it: JSON requests, raw requests (paths
// exactly as written) and a server-sent-events reader.
import http from 'node:http';
import { afterAll } from 'vitest';
import { waitFor } from './proc.js';
import { type RunResult, startWarden } from './warden.js';

export const TOKEN = 'test-token-5b1c9e0f-never-in-logs';

export interface Served {
  url: string;
  port: number;
  pid: number;
  /** Everything the agent wrote on stderr so far (its JSON log). */
  stderr(): string;
  logLines(): Record<string, unknown>[];
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
  done: Promise<RunResult>;
}

const running = new Set<Served>();
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop('SIGKILL')));
});

/** Starts `warden serve` on a free port and waits until it listens; rejects with its output if it exits first. */
export async function serve(config: string, env: NodeJS.ProcessEnv = { WARDEN_API_TOKEN: TOKEN }, extraArgs: string[] = []): Promise<Served> {
  const run = startWarden(['serve', '--config', config, '--listen', '127.0.0.1:0', ...extraArgs], env);
  run.child.stdin!.end();
  let stderr = '';
  run.child.stderr!.on('data', (s: string) => (stderr += s));
  let exited: RunResult | null = null;
  void run.done.then((r) => (exited = r));
  const logLines = () =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const port = await waitFor(
    () => {
      if (exited) throw new Error(`warden serve exited (${exited.code}) before listening:\n${exited.stdout}${exited.stderr}`);
      const line = logLines().find((l) => l.msg === 'listening');
      return (line?.address as { port: number } | undefined)?.port;
    },
    20_000,
    'warden serve to listen',
  );
  const served: Served = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: run.child.pid!,
    stderr: () => stderr,
    logLines,
    done: run.done,
    stop: async (signal = 'SIGTERM') => {
      running.delete(served);
      if (!exited) run.child.kill(signal);
      return run.done;
    },
  };
  running.add(served);
  return served;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function request(
  s: Served,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(s.url + path, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * A request whose path is sent byte for byte (fetch would resolve `..` segments first), with any
 * headers, Host included (fetch would not send another).
 */
export function rawGet(s: Served, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, path, method: 'GET', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface SseEvent {
  name: string;
  data: any;
}

export interface EventReader {
  events: SseEvent[];
  /** Waits for the first event (from the start of the stream) matching `match`. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  close(): void;
}

export async function openEvents(s: Served, token: string | null = null): Promise<EventReader> {
  const controller = new AbortController();
  const res = await fetch(`${s.url}/api/v1/events`, { signal: controller.signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error(`events: ${res.status}`);
  const events: SseEvent[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) events.push({ name, data: JSON.parse(data) });
        }
      }
    } catch {
      // closed
    }
  })();
  return {
    events,
    next: (match, timeoutMs = 60_000, what = 'an event') => waitFor(() => events.find(match), timeoutMs, what),
    close: () => controller.abort(),
  };
}
