// Repositories of fake-but-valid runs with chosen dates, for retention, metrics and scheduler tests.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Manifest, manifestSchema, type RunStatus, type Verification } from '../../backend/src/contract/manifest.js';
import { newBackupId } from '../../backend/src/catalog/paths.js';
import type { RunClass } from '../../backend/src/contract/classes.js';
import type { BackupMethod } from '../../backend/src/contract/vocabulary.js';

export interface FakeRun {
  startedAt: Date | string;
  status?: RunStatus;
  class?: RunClass;
  method?: BackupMethod;
  /** Size of the dump file (successful runs only). */
  bytes?: number;
  rows?: number;
  durationSeconds?: number;
  verification?: Partial<Verification> & Pick<Verification, 'level' | 'ok'>;
  /** Classes of the attempts, in order ('none' for the successful last one). */
  attempts?: RunClass[];
  /** A physical incremental's chain and LSNs. */
  chain?: Manifest['chain'];
  lsn?: Manifest['lsn'];
}

/** Writes one run folder (manifest, log, dump file) and returns its id and folder. */
export function fakeRun(repository: string, target: string, run: FakeRun): { id: string; dir: string; manifest: Manifest } {
  const started = new Date(run.startedAt);
  const status = run.status ?? 'success';
  const id = newBackupId(started);
  const dir = path.join(repository, target, id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const duration = run.durationSeconds ?? 60;
  const finishedAt = status === 'running' ? null : new Date(started.getTime() + duration * 1000).toISOString();
  const cls: RunClass = run.class ?? (status === 'success' ? 'none' : status === 'interrupted' ? 'killed' : 'connection');
  const content = Buffer.alloc(status === 'success' ? (run.bytes ?? 1000) : 0, 'x');
  const sha = createHash('sha256').update(content).digest('hex');
  const failureOf = (c: RunClass) =>
    c === 'none' ? null : { class: c, retryable: true, severity: 'warning' as const, code: null, hint: 'a hint', message: `fake ${c} failure` };
  const failure = failureOf(cls);
  const attempts = (run.attempts ?? [cls]).map((c, i) => ({
    attempt: i + 1,
    startedAt: started.toISOString(),
    finishedAt,
    server: '127.0.0.1:3306',
    class: c,
    error: failureOf(c),
  }));
  const manifest = manifestSchema.parse({
    format: 1,
    id,
    target,
    status,
    class: cls,
    method: run.method ?? 'single-stream',
    startedAt: started.toISOString(),
    finishedAt,
    durationSeconds: finishedAt ? duration : null,
    agent: { host: 'test', pid: 1 },
    server: { endpoint: '127.0.0.1:3306', version: '11.0.0-MariaDB', flavor: 'mariadb' },
    tool: null,
    options: [],
    databases: ['shop'],
    compression: 'none',
    files: content.length ? [{ name: 'dump.sql', role: 'dump', bytes: content.length, sha256: sha, rawBytes: content.length, rawSha256: sha }] : [],
    bytes: content.length,
    rawBytes: content.length,
    sha256: content.length ? sha : null,
    rows: run.rows ?? (status === 'success' ? 42 : 0),
    tables: [{ name: 'shop.t', rows: run.rows ?? 42 }],
    objects: { view: [], trigger: [], procedure: [], function: [], event: [] },
    binlog: null,
    attempts,
    error: failure,
    warnings: [],
    resumedFrom: null,
    lsn: run.lsn ?? null,
    chain: run.chain ?? null,
    verification: run.verification
      ? { at: finishedAt ?? started.toISOString(), problems: [], durationSeconds: 1, restoreSeconds: null, ...run.verification }
      : null,
  });
  if (content.length) writeFileSync(path.join(dir, 'dump.sql'), content, { mode: 0o600 });
  writeFileSync(path.join(dir, 'log.jsonl'), `${JSON.stringify({ level: 30, time: started.getTime(), msg: 'fake run' })}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { id, dir, manifest };
}
