// GET /api/v1/events: the run manager's events as server-sent events.
import type { Request, RequestHandler, Response } from 'express';
import { type AgentEvent, publicEvent } from '../../catalog/events.js';
import type { RunManager } from '../runs.js';
import { HttpError } from './errors.js';

/** Proxies drop connections that stay silent; a comment line keeps them open. */
const KEEPALIVE_MS = 15_000;
/**
 * Each stream holds a socket and a timer for as long as the client likes. A Grafana page opens one
 * per agent and browser tab, so 32 is far more than a team uses and far less than exhausts the agent.
 */
export const MAX_EVENT_CLIENTS = 32;
/**
 * Streams of clients without the API token (reads are open unless api.protectReads): a stranger
 * who opens sockets and never reads holds at most these, and a client with the token (Grafana's
 * proxy sends it) takes the slot of the oldest of them when all are taken.
 */
export const MAX_ANONYMOUS_CLIENTS = 8;
/** A stream ends after this long and the client reconnects (EventSource does, after `retry:`): no slot is held forever. */
export const MAX_STREAM_MS = 10 * 60_000;
/** Seconds a refused client should wait; EventSource itself retries after `retry:` (3 s). */
const RETRY_AFTER_S = 30;
/** A client that stops reading has this much queued for it at most, then is dropped. */
const MAX_QUEUED_BYTES = 256 * 1024;

export interface EventStreamOptions {
  /** Whether the request carries the API token. */
  carriesToken?: (req: Request) => boolean;
  maxStreamMs?: number;
}

export class EventStream {
  /** Each stream, and whether its client came without the token; in the order they opened. */
  private readonly clients = new Map<Response, { anonymous: boolean }>();

  constructor(
    manager: RunManager,
    private readonly opts: EventStreamOptions = {},
  ) {
    manager.on((e) => this.broadcast(e));
  }

  /** Whether a new stream may open; a client with the token may push out the oldest one without. */
  private admit(anonymous: boolean): boolean {
    const anonymousStreams = [...this.clients].filter(([, c]) => c.anonymous);
    if (anonymous) return anonymousStreams.length < MAX_ANONYMOUS_CLIENTS && this.clients.size < MAX_EVENT_CLIENTS;
    if (this.clients.size < MAX_EVENT_CLIENTS) return true;
    const oldest = anonymousStreams[0]?.[0];
    if (!oldest) return false;
    this.clients.delete(oldest);
    oldest.destroy();
    return true;
  }

  readonly handler: RequestHandler = (req, res) => {
    const anonymous = !(this.opts.carriesToken?.(req) ?? false);
    if (!this.admit(anonymous)) {
      res.set('Retry-After', String(RETRY_AFTER_S));
      const limit = anonymous ? `${MAX_ANONYMOUS_CLIENTS} event streams to clients without the API token` : `${MAX_EVENT_CLIENTS} event streams`;
      throw new HttpError('unavailable', `the agent already serves ${limit}; retry later or close some`);
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx would otherwise hold events back
    });
    res.write('retry: 3000\n\n');
    this.clients.set(res, { anonymous });
    const keepalive = setInterval(() => this.send(res, ': keepalive\n\n'), KEEPALIVE_MS);
    // A client that reads reconnects at once; one that never reads loses its socket.
    const lifetime = setTimeout(() => res.destroy(), this.opts.maxStreamMs ?? MAX_STREAM_MS);
    // The response's close, not the request's: it fires when the connection goes, whoever closes it.
    res.on('close', () => {
      clearInterval(keepalive);
      clearTimeout(lifetime);
      this.clients.delete(res);
    });
  };

  private send(res: Response, chunk: string): void {
    if (res.writableLength > MAX_QUEUED_BYTES) res.destroy();
    else res.write(chunk);
  }

  private broadcast(e: AgentEvent): void {
    const { name, data } = publicEvent(e);
    const chunk = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients.keys()) this.send(res, chunk);
  }

  /** Ends every stream (shutdown): an open stream would keep the server from closing. */
  closeAll(): void {
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }
}
