import { statSync } from 'node:fs';
import type { ManifestFile } from '../contract/manifest.js';
import type { FailureEvidence } from '../classify/types.js';
import type { ScanEvents } from '../dumpfile/scanner.js';
import { type DumpPart, buildDumpArgs } from './dumpArgs.js';
import { writeDefaultsFile } from '../mysql/credentials.js';
import type { DumpContext } from './context.js';
import { canCompressDirect, type DumpProcessOutcome, runDumpProcess } from './dumpProcess.js';
import { dumpEvidence, summarize } from './evidence.js';
import { FileSink } from '../catalog/sink.js';
import { type PendingFile, storageOf } from '../storage/index.js';
import { RawTap } from '../dumpfile/stream.js';

export interface DumpToFileResult {
  outcome: DumpProcessOutcome;
  file: ManifestFile | null;
  evidence: FailureEvidence | null;
  message: string | null;
  args: string[];
}

/** One dump process into one stored file, published only when everything ended well. */
export async function dumpToFile(
  ctx: DumpContext,
  part: DumpPart,
  fileName: string,
  role: ManifestFile['role'],
  events?: ScanEvents,
  /** About once a second: raw SQL read and bytes stored so far. */
  onBytes?: (rawBytes: number, storedBytes: number) => void,
  /** Accepts an outcome that is not clean but still usable (per-table: errors that each name a table). */
  tolerate?: (o: DumpProcessOutcome) => boolean,
): Promise<DumpToFileResult> {
  const { target, tool, log } = ctx;
  const defaults = writeDefaultsFile(target.user, ctx.password);
  const args = buildDumpArgs(tool, target, ctx.endpoint, ctx.server, defaults.path, part);
  const shownArgs = args.filter((a) => !a.startsWith('--defaults-file='));
  const storage = storageOf(ctx.dir);
  const pending = storage.create(storage.join(ctx.dir, fileName));
  let sink: FileSink | null = null;
  try {
    if (target.compression === 'zstd' && canCompressDirect() && pending.localPath !== null) {
      return await direct(ctx, pending, pending.localPath, args, shownArgs, fileName, role, events, onBytes, tolerate);
    }
    sink = new FileSink(pending, fileName, target.compression, target.compressionLevel);
    const current = sink;
    const outcome = await runDumpProcess({ tool, args, consumer: sink.input, signal: ctx.signal, stallSeconds: target.stallTimeout, log, events, onBytes: (raw) => onBytes?.(raw, current.storedBytes) });
    if (!outcome.ok && !tolerate?.(outcome)) {
      const evidence = dumpEvidence(tool.name, outcome, await sink.abort());
      log.error({ file: fileName, exitCode: outcome.exitCode, signal: outcome.signal, stopReason: outcome.stopReason, trailer: outcome.trailerPresent, cut: outcome.scan.cut, stderr: outcome.stderr }, 'dump failed');
      return { outcome, file: null, evidence, message: summarize(evidence), args: shownArgs };
    }
    const published = await sink.finish({ role });
    if ('failure' in published) {
      const evidence = dumpEvidence(tool.name, outcome, published.failure);
      return { outcome, file: null, evidence, message: summarize(evidence), args: shownArgs };
    }
    log.info({ file: fileName, rawBytes: published.file.rawBytes, bytes: published.file.bytes }, 'file published');
    return { outcome, file: published.file, evidence: null, message: null, args: shownArgs };
  } catch (err) {
    await sink?.abort();
    throw err;
  } finally {
    defaults.remove();
  }
}

/** zstd writes the file itself; the agent hashes and scans the dump on its way to zstd. */
async function direct(
  ctx: DumpContext,
  pending: PendingFile,
  partial: string,
  args: string[],
  shownArgs: string[],
  fileName: string,
  role: ManifestFile['role'],
  events: ScanEvents | undefined,
  onBytes: ((rawBytes: number, storedBytes: number) => void) | undefined,
  tolerate: ((o: DumpProcessOutcome) => boolean) | undefined,
): Promise<DumpToFileResult> {
  const { target, tool, log } = ctx;
  const tap = new RawTap(events);
  const outcome = await runDumpProcess({
    tool,
    args,
    tap,
    signal: ctx.signal,
    stallSeconds: target.stallTimeout,
    log,
    // zstd writes the file itself: its size on disk is what has been stored.
    onBytes: (raw) => onBytes?.(raw, statSync(partial, { throwIfNoEntry: false })?.size ?? 0),
    direct: { file: partial, level: target.compressionLevel ?? 3 },
  });
  if (!outcome.ok && !(outcome.helperFailure === null && tolerate?.(outcome))) {
    await pending.abort();
    const evidence = dumpEvidence(tool.name, outcome, null);
    log.error({ file: fileName, exitCode: outcome.exitCode, signal: outcome.signal, stopReason: outcome.stopReason, trailer: outcome.trailerPresent, cut: outcome.scan.cut, helper: outcome.helperFailure, stderr: outcome.stderr }, 'dump failed');
    return { outcome, file: null, evidence, message: summarize(evidence), args: shownArgs };
  }
  const stored = await pending.commit();
  const file: ManifestFile = { name: fileName, role, bytes: stored.bytes, sha256: stored.sha256, rawBytes: tap.bytes, rawSha256: tap.hash.digest('hex') };
  log.info({ file: fileName, rawBytes: file.rawBytes, bytes: file.bytes }, 'file published');
  return { outcome, file, evidence: null, message: null, args: shownArgs };
}
