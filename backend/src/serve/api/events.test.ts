import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../catalog/events.js';
import type { RunManager } from '../runs.js';
import { EventStream } from './events.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function start() {
  let emit: (e: AgentEvent) => void = () => undefined;
  const manager = { on: (listener: (e: AgentEvent) => void) => (emit = listener) } as unknown as RunManager;
  const events = new EventStream(manager);
  const app = express();
  app.get('/events', events.handler);
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, emit: (e: AgentEvent) => emit(e) };
}

/** A client on a raw socket, paused: it reads nothing until told to. */
async function client(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n');
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
});
