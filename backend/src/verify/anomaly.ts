// Anomalies: a backup that is valid but suspicious next to the previous good one of its target.
// A table that vanished or a sudden drop in rows or size is more often an accident (a truncated
// table, a dropped database, a wrong target) than a real change, so it is worth a warning.
import type { Manifest } from '../contract/manifest.js';

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** Warnings (one sentence each) for `current` compared with `previous`; none without a previous backup. */
export function findAnomalies(current: Manifest, previous: Manifest | null, threshold: number): string[] {
  if (!previous) return [];
  const since = `since backup ${previous.id}`;
  const warnings: string[] = [];
  const measures: [string, number, number][] = [
    ['total rows', previous.rows, current.rows],
    ['stored size', previous.bytes, current.bytes],
    ['SQL size', previous.rawBytes, current.rawBytes],
  ];
  for (const [what, before, now] of measures) {
    const drop = before > 0 ? (before - now) / before : 0;
    if (drop > threshold) warnings.push(`${what} dropped ${percent(drop)} ${since} (${before} → ${now}), more than the ${percent(threshold)} threshold`);
  }
  const present = new Set(current.tables.map((t) => t.name));
  const gone = previous.tables.map((t) => t.name).filter((name) => !present.has(name));
  for (const name of gone) warnings.push(`table ${name} disappeared ${since}`);
  return warnings;
}
