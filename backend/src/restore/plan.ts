// The order files are loaded in. A single-stream backup is one file; a per-table backup is its
// schema first, then every table's data (in parallel: tables do not depend on each other once
// foreign key checks are off, which dumps do), then triggers last so they do not fire on restored rows.
import type { Manifest, ManifestFile } from '../catalog/manifest.js';

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

/** Calls `fn` on each item with at most `limit` calls in flight; stops at the first non-null result. */
export async function forEachLimit<T, F>(items: readonly T[], limit: number, fn: (item: T) => Promise<F | null>): Promise<F | null> {
  let next = 0;
  let failure: F | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const result = await fn(items[next++]!);
      if (result !== null) failure ??= result;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return failure;
}
