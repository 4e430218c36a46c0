// GET /api/v1/events: the run manager's events as server-sent events.
import type { RequestHandler, Response } from 'express';
import { type AgentEvent, publicEvent } from '../service/events.js';
import type { RunManager } from '../service/runs.js';

/** Proxies drop connections that stay silent; a comment line keeps them open. */
const KEEPALIVE_MS = 15_000;

export class EventStream {
  private readonly clients = new Set<Response>();

  constructor(manager: RunManager) {
    manager.on((e) => this.broadcast(e));
  }

  readonly handler: RequestHandler = (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx would otherwise hold events back
    });
    res.write('retry: 3000\n\n');
    this.clients.add(res);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    req.on('close', () => {
      clearInterval(keepalive);
      this.clients.delete(res);
    });
  };

  private broadcast(e: AgentEvent): void {
    const { name, data } = publicEvent(e);
    const chunk = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients) res.write(chunk);
  }

  /** Ends every stream (shutdown): an open stream would keep the server from closing. */
  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
