// A physical incremental holds only the pages changed since the backup before it, so it is restored
// on top of its whole chain: the full backup it starts from, then every incremental up to it.
import path from 'node:path';
import type { Manifest } from '../contract/manifest.js';
import { storageOf } from '../storage/index.js';
import type { CatalogEntry } from './store.js';
import { readManifest } from './store.js';

/** One link: a run folder and its manifest; a string says why the run could not be read. */
export type LinkLookup = (id: string) => Promise<CatalogEntry | string>;

export interface Chain {
  /** The links found, the full backup first and the backup asked about last (when whole). */
  links: CatalogEntry[];
  /** Why the chain cannot be restored, or null when it can. */
  problem: string | null;
}

/** A good link: it succeeded and no later verification failed it. */
export function isGoodLink(m: Manifest): boolean {
  return m.status === 'success' && m.verification?.ok !== false;
}

/** Walks `previousId` back from `last` to its full backup, checking every link is there, good and joins the next. */
export async function resolveChain(last: CatalogEntry, lookup: LinkLookup): Promise<Chain> {
  const links = [last];
  for (let current = last.manifest; current.chain; ) {
    const { previousId } = current.chain;
    const broken = (why: string): Chain => ({ links, problem: `backup ${last.manifest.id} is an incremental that needs ${previousId}, which ${why}` });
    // Ids sort by start time: a link is always older, so the walk cannot loop.
    if (previousId >= current.id) return broken('is not older than the backup built on it');
    const found = await lookup(previousId);
    if (typeof found === 'string') return broken(`is missing (${found})`);
    const prev = found.manifest;
    if (!isGoodLink(prev)) return broken(`is not a good backup (${prev.status}${prev.verification?.ok === false ? ', failed verification' : ''})`);
    if (prev.lsn?.toLsn !== current.lsn?.fromLsn) return broken(`ends at LSN ${prev.lsn?.toLsn ?? 'unknown'}, not at ${current.lsn?.fromLsn ?? 'unknown'} where the next link starts`);
    links.unshift(found);
    current = prev;
  }
  const base = links[0]!.manifest;
  if (last.manifest.chain && base.id !== last.manifest.chain.baseId) {
    return { links, problem: `backup ${last.manifest.id} names ${last.manifest.chain.baseId} as its full backup, but its links lead to ${base.id}` };
  }
  return { links, problem: null };
}

/** Links looked up among runs already listed. */
export function lookupIn(entries: CatalogEntry[]): LinkLookup {
  const byId = new Map(entries.map((e) => [e.manifest.id, e]));
  return async (id) => byId.get(id) ?? 'no such run in the repository';
}

/** Links read from the folders beside a run's folder (its target's folder). */
export function lookupBeside(dir: string): LinkLookup {
  const storage = storageOf(dir);
  const targetFolder = path.posix.dirname(dir);
  return async (id) => {
    const linkDir = storage.join(targetFolder, id);
    try {
      return { dir: linkDir, manifest: await readManifest(linkDir) };
    } catch (err) {
      return (err as Error).message;
    }
  };
}
