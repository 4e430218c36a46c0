// The order files are loaded in. A single-stream backup is one file; a per-table backup is its
// schema first, then every table's data (in parallel: tables do not depend on each other once
// foreign key checks are off, which dumps do), then triggers last so they do not fire on restored rows.
import { forEachLimit } from '../util/concurrency.js';
import type { Manifest, ManifestFile } from '../contract/manifest.js';

export type Phase = { role: ManifestFile['role']; files: ManifestFile[]; parallel: boolean };

const ORDER: ManifestFile['role'][] = ['dump', 'schema', 'data', 'post'];

/** The files to load, phase by phase; `tables` (when given) limits data files to those tables. */
export function restorePhases(manifest: Pick<Manifest, 'files'>, tables?: ReadonlySet<string>): Phase[] {
  return ORDER.map((role) => ({
    role,
    files: manifest.files.filter((f) => f.role === role && (role !== 'data' || !tables || (f.table !== undefined && tables.has(f.table)))),
    parallel: role === 'data',
  })).filter((p) => p.files.length > 0);
}

/**
 * Runs `load` over every file, phase after phase, at most `parallel` at once within a parallel
 * phase. The first failure stops new loads (running ones finish) and is returned.
 */
export async function runPhases<F>(phases: Phase[], parallel: number, load: (file: ManifestFile) => Promise<F | null>): Promise<F | null> {
  for (const phase of phases) {
    const failure = await forEachLimit(phase.files, phase.parallel ? parallel : 1, load);
    if (failure !== null) return failure;
  }
  return null;
}
