// GET /api/v1/events: the run manager's events as server-sent events.
import type { RequestHandler, Response } from 'express';
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
/** Seconds a refused client should wait; EventSource itself retries after `retry:` (3 s). */
const RETRY_AFTER_S = 30;
/** A client that stops reading has this much queued for it at most, then is dropped. */
const MAX_QUEUED_BYTES = 256 * 1024;

export class EventStream {
  private readonly clients = new Set<Response>();

  constructor(manager: RunManager) {
    manager.on((e) => this.broadcast(e));
  }

  readonly handler: RequestHandler = (_req, res) => {
    if (this.clients.size >= MAX_EVENT_CLIENTS) {
      res.set('Retry-After', String(RETRY_AFTER_S));
      throw new HttpError('unavailable', `the agent already serves ${MAX_EVENT_CLIENTS} event streams; retry later or close some`);
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx would otherwise hold events back
    });
    res.write('retry: 3000\n\n');
    this.clients.add(res);
    const keepalive = setInterval(() => this.send(res, ': keepalive\n\n'), KEEPALIVE_MS);
    // The response's close, not the request's: it fires when the connection goes, whoever closes it.
    res.on('close', () => {
      clearInterval(keepalive);
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
    for (const res of this.clients) this.send(res, chunk);
  }

  /** Ends every stream (shutdown): an open stream would keep the server from closing. */
  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
