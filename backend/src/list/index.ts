// `list`: the runs in the repository, newest first, each with its effective status (a run whose
// process died reads `interrupted`, catalog/live.ts). The CLI and the agent's catalog view both read
// the repository through it, so every surface reports a run the same way.
import { effectiveStatus, liveRunIds } from '../catalog/live.js';
import { type CatalogEntry, listBackups } from '../catalog/store.js';
import type { RunStatus } from '../contract/vocabulary.js';

export interface ListedRun extends CatalogEntry {
  /** The run's process is still running it. */
  live: boolean;
  status: RunStatus;
}

export interface Listing {
  runs: ListedRun[];
  /** Folders whose manifest cannot be read, with why. */
  unreadable: Awaited<ReturnType<typeof listBackups>>['unreadable'];
}

export async function listRuns(repository: string, target?: string): Promise<Listing> {
  const { entries, unreadable } = await listBackups(repository, target);
  const live = await liveRunIds(repository, entries);
  const runs = entries.map((e) => ({ ...e, live: live.has(e.manifest.id), status: effectiveStatus(e.manifest, live.has(e.manifest.id)) }));
  return { runs, unreadable };
}
