import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../catalog/events.js';
import type { RunManager } from '../runs.js';
import { errorHandler } from './errors.js';
import { EventStream, type EventStreamOptions, MAX_ANONYMOUS_CLIENTS, MAX_EVENT_CLIENTS } from './events.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const TOKEN = 'the-api-token';

async function start(opts: Pick<EventStreamOptions, 'maxStreamMs'> = {}) {
  let emit: (e: AgentEvent) => void = () => undefined;
  const manager = { on: (listener: (e: AgentEvent) => void) => (emit = listener) } as unknown as RunManager;
  const events = new EventStream(manager, { carriesToken: (req) => req.get('authorization') === `Bearer ${TOKEN}`, ...opts });
  const app = express();
  app.get('/events', events.handler);
  app.use(errorHandler(pino({ level: 'silent' })));
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, emit: (e: AgentEvent) => emit(e) };
}

/** A client on a raw socket, paused: it reads nothing until told to. */
async function client(port: number, token?: string) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /events HTTP/1.1\r\nHost: localhost\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`);
  socket.pause();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return { socket, closed };
}

const progress = (i: number): AgentEvent => ({
  type: 'run-progress',
  id: '20261122T014512.345Z-3fa9',
  target: 'shop',
  progress: { rawBytes: i, bytes: i, tablesDone: 0, tablesTotal: 1, currentTable: 'x'.repeat(200) },
});

describe('EventStream', () => {
  it('drops a client that stops reading once a bounded amount is queued for it, and keeps the others', async () => {
    const { port, emit } = await start();
    const stalled = await client(port);
    const reading = await client(port);
    reading.socket.resume();
    let readingClosed = false;
    void reading.closed.then(() => (readingClosed = true));
    await new Promise((r) => setTimeout(r, 100));
    // Far more than the kernel's socket buffers and the queue bound together.
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < 500; j++) emit(progress(i * 500 + j));
      await new Promise((r) => setImmediate(r));
    }
    stalled.socket.resume();
    await stalled.closed;
    expect(readingClosed).toBe(false);
  });

  it('keeps slots for clients with the token: strangers that never read hold a few, never all', async () => {
    const { port } = await start();
    const strangers = await Promise.all(Array.from({ length: MAX_ANONYMOUS_CLIENTS }, () => client(port)));
    await new Promise((r) => setTimeout(r, 100));
    expect(await status(port)).toBe(503);
    expect(await status(port, TOKEN)).toBe(200);
    // With every slot taken, a client with the token pushes out the oldest stranger.
    const tokened = await Promise.all(Array.from({ length: MAX_EVENT_CLIENTS - MAX_ANONYMOUS_CLIENTS }, () => client(port, TOKEN)));
    await new Promise((r) => setTimeout(r, 100));
    expect(await status(port, TOKEN)).toBe(200);
    // A paused socket reports its end once it reads again; the stream was closed meanwhile.
    strangers[0]!.socket.resume();
    await strangers[0]!.closed;
    // When only clients with the token hold the slots, the next one waits.
    for (const c of strangers) c.socket.destroy();
    const more = await Promise.all(Array.from({ length: MAX_ANONYMOUS_CLIENTS }, () => client(port, TOKEN)));
    await new Promise((r) => setTimeout(r, 100));
    expect(await status(port, TOKEN)).toBe(503);
    for (const c of [...tokened, ...more]) c.socket.destroy();
  });

  it('ends every stream after its lifetime, so a socket that never reads gives its slot back', async () => {
    const { port } = await start({ maxStreamMs: 200 });
    const idle = await client(port);
    await new Promise((r) => setTimeout(r, 400));
    // A paused socket reports its end once it reads again: the agent closed it meanwhile.
    idle.socket.resume();
    await idle.closed;
  });
});

/** The status of a fresh stream request (the stream, if opened, is closed at once). */
function status(port: number, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ port, host: '127.0.0.1', path: '/events', headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      resolve(res.statusCode!);
      res.destroy();
    });
    req.on('error', reject);
  });
}
