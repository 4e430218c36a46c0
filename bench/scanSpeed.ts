// The dump scanner's and the grammar validator's own speed, without a database: a synthetic dump
// (bench/syntheticDump.ts) read in pipe-sized chunks and scanned by each in this process, with
// sha256 of the same chunks for scale. The scanner is what a backup runs; the validator is what
// `verify --level parse` runs.
// Standalone: `node --import tsx bench/scanSpeed.ts [--size-mb 200] [--runs 5] [--chunk-kb 64] [--fresh]`
// keeps the generated file in the temp folder between invocations, so the scanner can be iterated on.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DumpValidator } from '../backend/src/dumpfile/grammar.js';
import { DumpScanner, type ScanSummary } from '../backend/src/dumpfile/scanner.js';
import { stats, type Stats } from './measure.js';
import { type SyntheticDump, writeSyntheticDump } from './syntheticDump.js';

/** Bump when the generator changes, so a cached file is not reused. */
const GENERATOR_VERSION = 1;

export interface ScanSpeedOptions {
  sizeMb: number;
  runs: number;
  chunkBytes: number;
  /** where the dump is kept; reused when it is there already (with its facts beside it) */
  file: string;
  fresh?: boolean;
  log(message: string): void;
}

export interface ScanSpeed {
  dump: SyntheticDump;
  generateSeconds: number | null;
  /** scanner MB/s of each run, in order (the first includes the JIT warming up) */
  scanMbPerSecond: number[];
  validateMbPerSecond: number[];
  sha256MbPerSecond: number[];
  scan: Stats;
  validate: Stats;
  sha256: Stats;
}

function factsFile(file: string): string {
  return `${file}.json`;
}

/** The cached dump, if it was written by this generator at this size and is complete. */
function cachedDump(file: string, sizeMb: number): SyntheticDump | null {
  try {
    const facts = JSON.parse(readFileSync(factsFile(file), 'utf8')) as SyntheticDump & { version: number; sizeMb: number };
    if (facts.version !== GENERATOR_VERSION || facts.sizeMb !== sizeMb || statSync(file).size !== facts.bytes) return null;
    return { bytes: facts.bytes, rows: facts.rows };
  } catch {
    return null;
  }
}

export function prepareDump(o: Pick<ScanSpeedOptions, 'file' | 'sizeMb' | 'fresh' | 'log'>): { dump: SyntheticDump; seconds: number | null } {
  const cached = o.fresh ? null : cachedDump(o.file, o.sizeMb);
  if (cached) return { dump: cached, seconds: null };
  o.log(`generating a ${o.sizeMb} MB synthetic dump in ${o.file}`);
  const started = performance.now();
  const dump = writeSyntheticDump(o.file, o.sizeMb);
  writeFileSync(factsFile(o.file), JSON.stringify({ version: GENERATOR_VERSION, sizeMb: o.sizeMb, ...dump }));
  return { dump, seconds: (performance.now() - started) / 1000 };
}

/** One pass over the file: the scanner's, the validator's and sha256's time on the same chunks, read outside the clocks. */
function scanOnce(file: string, chunkBytes: number): { scanSeconds: number; validateSeconds: number; hashSeconds: number; summary: ScanSummary; validated: ScanSummary; problems: number } {
  const fd = openSync(file, 'r');
  const scanner = new DumpScanner();
  const validator = new DumpValidator();
  const hash = createHash('sha256');
  let scanNs = 0n;
  let validateNs = 0n;
  let hashNs = 0n;
  try {
    for (;;) {
      // A fresh buffer per chunk, as a stream hands them over.
      const buf = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      const t0 = process.hrtime.bigint();
      scanner.write(chunk);
      const t1 = process.hrtime.bigint();
      validator.write(chunk);
      const t2 = process.hrtime.bigint();
      hash.update(chunk);
      hashNs += process.hrtime.bigint() - t2;
      validateNs += t2 - t1;
      scanNs += t1 - t0;
    }
    const t0 = process.hrtime.bigint();
    const summary = scanner.end();
    const t1 = process.hrtime.bigint();
    const v = validator.end();
    validateNs += process.hrtime.bigint() - t1;
    scanNs += t1 - t0;
    hash.digest();
    return {
      scanSeconds: Number(scanNs) / 1e9,
      validateSeconds: Number(validateNs) / 1e9,
      hashSeconds: Number(hashNs) / 1e9,
      summary,
      validated: v.summary,
      problems: v.problems.length,
    };
  } finally {
    closeSync(fd);
  }
}

/** Whether the scan found exactly what the generator wrote. */
function checkSummary(summary: ScanSummary, dump: SyntheticDump): void {
  const found = Object.fromEntries(summary.tables);
  const problems: string[] = [];
  for (const [table, rows] of Object.entries(dump.rows)) if (found[table] !== rows) problems.push(`${table}: ${found[table]} rows, expected ${rows}`);
  if (Object.keys(found).length !== Object.keys(dump.rows).length) problems.push(`tables found: ${Object.keys(found).join(', ')}`);
  if (summary.cut !== null) problems.push(`cut: ${summary.cut}`);
  if (summary.contentAfterLastComment || !/^Dump completed on/.test(summary.lastComment ?? '')) problems.push(`trailer not last: ${summary.lastComment}`);
  if (summary.objects.trigger.length !== 1) problems.push(`triggers: ${summary.objects.trigger.join(', ')}`);
  if (problems.length > 0) throw new Error(`the scanner disagrees with the generated dump: ${problems.join('; ')}`);
}

export function measureScanSpeed(o: ScanSpeedOptions): ScanSpeed {
  const { dump, seconds } = prepareDump(o);
  const scanMbPerSecond: number[] = [];
  const validateMbPerSecond: number[] = [];
  const sha256MbPerSecond: number[] = [];
  for (let run = 0; run < o.runs; run++) {
    const r = scanOnce(o.file, o.chunkBytes);
    checkSummary(r.summary, dump);
    checkSummary(r.validated, dump);
    if (r.problems > 0) throw new Error(`the validator found ${r.problems} grammar problem(s) in the generated dump`);
    scanMbPerSecond.push(dump.bytes / 1e6 / r.scanSeconds);
    validateMbPerSecond.push(dump.bytes / 1e6 / r.validateSeconds);
    sha256MbPerSecond.push(dump.bytes / 1e6 / r.hashSeconds);
    o.log(
      `run ${run + 1}/${o.runs}: scanner ${scanMbPerSecond.at(-1)!.toFixed(0)} MB/s, validator ${validateMbPerSecond.at(-1)!.toFixed(0)} MB/s, ` +
        `sha256 ${sha256MbPerSecond.at(-1)!.toFixed(0)} MB/s`,
    );
  }
  return {
    dump,
    generateSeconds: seconds,
    scanMbPerSecond,
    validateMbPerSecond,
    sha256MbPerSecond,
    scan: stats(scanMbPerSecond),
    validate: stats(validateMbPerSecond),
    sha256: stats(sha256MbPerSecond),
  };
}

export function removeDump(file: string): void {
  rmSync(file, { force: true });
  rmSync(factsFile(file), { force: true });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'size-mb': { type: 'string', default: '200' },
      runs: { type: 'string', default: '5' },
      'chunk-kb': { type: 'string', default: '64' },
      fresh: { type: 'boolean', default: false },
    },
  });
  const sizeMb = Number(values['size-mb']);
  const runs = Number(values.runs);
  const chunkBytes = Number(values['chunk-kb']) * 1024;
  if (!(sizeMb > 0) || !(runs >= 1) || !(chunkBytes >= 1)) throw new Error('--size-mb, --runs and --chunk-kb must be positive');
  const file = path.join(os.tmpdir(), `warden-scan-speed-${sizeMb}mb.sql`);
  const log = (m: string) => process.stderr.write(`[scan-speed] ${m}\n`);
  const r = measureScanSpeed({ sizeMb, runs, chunkBytes, file, fresh: values.fresh, log });
  console.log(
    `${(r.dump.bytes / 1e6).toFixed(1)} MB in ${chunkBytes / 1024} KiB chunks: scanner median ${r.scan.median.toFixed(0)} MB/s ` +
      `(${r.scan.min.toFixed(0)}–${r.scan.max.toFixed(0)}), validator median ${r.validate.median.toFixed(0)} MB/s ` +
      `(${r.validate.min.toFixed(0)}–${r.validate.max.toFixed(0)}), sha256 median ${r.sha256.median.toFixed(0)} MB/s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
