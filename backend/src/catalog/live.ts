// Which `running` manifests belong to a run that is still alive. A process that dies mid-run leaves
// its manifest saying `running`; every surface (CLI, API, metrics) reports such a run `interrupted`.
import { TARGET_NAME } from '../config/schema.js';
import { isTargetLocked } from './lock.js';
import type { Manifest, RunStatus } from '../contract/manifest.js';
import { targetDir } from './paths.js';
import type { CatalogEntry } from './store.js';

/** Only the newest `running` run of a locked target is alive; older ones were left by dead processes. */
export async function liveRunIds(repository: string, entries: readonly CatalogEntry[]): Promise<Set<string>> {
  const newestRunning = new Map<string, Manifest>();
  for (const { manifest: m } of entries) {
    const seen = newestRunning.get(m.target);
    if (m.status === 'running' && (!seen || m.id > seen.id)) newestRunning.set(m.target, m);
  }
  const live = new Set<string>();
  for (const [target, m] of newestRunning) {
    if (TARGET_NAME.test(target) && (await isTargetLocked(targetDir(repository, target)))) live.add(m.id);
  }
  return live;
}

/**
 * A manifest still saying `running` whose run is not live is reported as `interrupted`: it can never
 * finish and must not look like work in progress.
 */
export function effectiveStatus(m: Manifest, live: boolean): RunStatus {
  return m.status === 'running' && !live ? 'interrupted' : m.status;
}
