// Agent answers as docs/api.md describes them, with sensible defaults to override per test.
import type { AgentConfig } from '../shared/api/settings';
import type { BackupSummary, Failure, Manifest, TargetInfo } from '../../backend/src/contract/index.js';
import type { LogLine } from '../shared/api/client';

export const AGENT: AgentConfig = { slot: 0, name: 'db-host-1', url: 'http://10.0.0.5:9207' };

export const NOW = Date.parse('2025-03-01T12:00:00Z');
export const hoursAgo = (h: number) => new Date(NOW - h * 3600_000).toISOString();

export function failure(overrides: Partial<Failure> = {}): Failure {
  return {
    class: 'auth',
    retryable: false,
    severity: 'error',
    code: 1045,
    hint: 'Fix the credentials of the backup user (user, password source, host).',
    message: "Access denied for user 'backup'@'localhost' (using password: YES)",
    ...overrides,
  };
}

export function backup(overrides: Partial<BackupSummary> = {}): BackupSummary {
  return {
    id: '20250301T100000Z-shop',
    target: 'shop',
    status: 'success',
    class: 'none',
    method: 'single-stream',
    startedAt: hoursAgo(2),
    finishedAt: hoursAgo(1.99),
    durationSeconds: 42,
    bytes: 3 * 1024 * 1024,
    rawBytes: 20 * 1024 * 1024,
    rows: 120_000,
    tables: 12,
    compression: 'zstd',
    server: '127.0.0.1:3306',
    verification: { level: 'parse', ok: true, at: hoursAgo(1.9), restoreSeconds: null, problems: [] },
    error: null,
    attempts: 1,
    chain: null,
    offsite: null,
    ...overrides,
  };
}

export function target(overrides: Partial<TargetInfo> = {}): TargetInfo {
  const last = backup();
  return {
    name: 'shop',
    endpoint: '127.0.0.1:3306',
    databases: ['shop'],
    method: 'single-stream',
    schedule: '0 2 * * *',
    verifySchedule: null,
    nextRunAt: new Date(NOW + 14 * 3600_000).toISOString(),
    nextVerifyAt: null,
    rpoSeconds: 26 * 3600,
    state: 'ok',
    running: null,
    lastRun: last,
    lastSuccess: last,
    lastVerified: last,
    lastFailure: null,
    ...overrides,
  };
}

export function failingTarget(): TargetInfo {
  const failed = backup({
    id: '20250301T110000Z-crm',
    target: 'crm',
    status: 'failed',
    class: 'auth',
    bytes: 0,
    rawBytes: 0,
    rows: 0,
    tables: 0,
    verification: null,
    error: failure(),
  });
  return target({ name: 'crm', state: 'failing', lastRun: failed, lastFailure: failed, lastSuccess: null, lastVerified: null });
}

export function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    format: 1,
    id: '20250301T100000Z-shop',
    target: 'shop',
    status: 'success',
    class: 'none',
    method: 'single-stream',
    startedAt: hoursAgo(2),
    finishedAt: hoursAgo(1.99),
    durationSeconds: 42,
    agent: { host: 'db-backup-1', pid: 4242 },
    server: { endpoint: '127.0.0.1:3306', version: '10.11.6-MariaDB', flavor: 'mariadb' },
    tool: { name: 'mariadb-dump', path: '/usr/bin/mariadb-dump', version: 'mariadb-dump from 11.8.3-MariaDB' },
    options: ['--single-transaction', '--quick'],
    databases: ['shop'],
    compression: 'zstd',
    files: [
      {
        name: 'dump.sql.zst',
        role: 'dump',
        bytes: 3_145_728,
        sha256: 'a'.repeat(64),
        rawBytes: 20_971_520,
        rawSha256: 'b'.repeat(64),
      },
    ],
    bytes: 3_145_728,
    rawBytes: 20_971_520,
    sha256: 'a'.repeat(64),
    rows: 120_000,
    tables: [
      { name: 'shop.customers', rows: 20_000 },
      { name: 'shop.orders', rows: 100_000 },
    ],
    objects: { view: ['shop.order_totals'], trigger: [], procedure: [], function: [], event: [] },
    binlog: { file: 'binlog.000042', position: 1337, gtid: '0-1-4242' },
    attempts: [
      {
        attempt: 1,
        startedAt: hoursAgo(2.1),
        finishedAt: hoursAgo(2.05),
        server: '127.0.0.1:3306',
        class: 'connection',
        error: failure({ class: 'connection', code: 2003, hint: 'Check that the server is up and reachable.', message: "Can't connect to MySQL server" }),
      },
      { attempt: 2, startedAt: hoursAgo(2), finishedAt: hoursAgo(1.99), server: '127.0.0.1:3306', class: 'none', error: null },
    ],
    error: null,
    warnings: [],
    resumedFrom: null,
    lsn: null,
    chain: null,
    verification: { level: 'parse', ok: true, at: hoursAgo(1.9), durationSeconds: 2.1, restoreSeconds: null, problems: [] },
    ...overrides,
  };
}

export const LOG: LogLine[] = [
  { level: 30, time: NOW - 7200_000, msg: 'backup started' },
  { level: 40, time: NOW - 7190_000, msg: 'attempt 1 failed: connection', class: 'connection' },
  { level: 30, time: NOW - 7100_000, msg: 'backup published' },
];
