// An agent that answers the reads the pages and panels make, with fixed answers that the contract's
// schemas accept, and keeps its event streams open: for browser tests about the plugin's own
// behaviour (how many streams it opens, how it shows times), where a real `warden serve` and a
// database would only add time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { backupSummarySchema, targetInfoSchema, type BackupSummary } from '../../backend/src/contract/api.js';

export interface FakeAgent {
  url: string;
  /** event streams open now */
  readonly openStreams: number;
  /** event streams ever opened */
  readonly streamsOpened: number;
  close(): Promise<void>;
}

/** One good run of target `shop` that started at `startedAt`. */
export function fakeBackup(startedAt: string): BackupSummary {
  return backupSummarySchema.parse({
    id: `${startedAt.replace(/[-:]/g, '')}-shop`,
    target: 'shop',
    status: 'success',
    class: 'none',
    method: 'single-stream',
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 42_000).toISOString(),
    durationSeconds: 42,
    bytes: 3 * 1024 * 1024,
    rawBytes: 20 * 1024 * 1024,
    rows: 1200,
    compression: 'zstd',
    error: null,
    tables: 3,
    server: '127.0.0.1:3306',
    verification: null,
    attempts: 1,
    offsite: null,
  });
}

export async function startFakeAgent(backups: BackupSummary[]): Promise<FakeAgent> {
  const newest = backups[0] ?? null;
  const targets = [
    targetInfoSchema.parse({
      name: 'shop',
      endpoint: '127.0.0.1:3306',
      databases: ['shop'],
      method: 'single-stream',
      schedule: null,
      verifySchedule: null,
      nextRunAt: null,
      nextVerifyAt: null,
      rpoSeconds: null,
      state: newest ? 'ok' : 'never',
      running: null,
      lastRun: newest,
      lastSuccess: newest,
      lastVerified: null,
      lastFailure: null,
    }),
  ];
  const counts = { open: 0, opened: 0 };
  const answers: Record<string, unknown> = { '/api/v1/targets': { targets }, '/api/v1/backups': { backups } };

  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://agent');
    if (pathname === '/api/v1/events') {
      counts.open++;
      counts.opened++;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': hello\n\n');
      res.on('close', () => counts.open--);
      return;
    }
    const answer = answers[pathname];
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer ?? { error: { code: 'not_found', message: `no ${pathname}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get openStreams() {
      return counts.open;
    },
    get streamsOpened() {
      return counts.opened;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
