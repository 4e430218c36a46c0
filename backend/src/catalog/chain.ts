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
  /** The manifests contradict what the chain implies (positions, LSNs): forged or damaged, not just incomplete. */
  corrupt?: boolean;
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
    links.unshift(found);
    current = prev;
  }
  const contradiction = links.map((l, i) => linkContradiction(l.manifest, i, links[0]!.manifest, links[i - 1]?.manifest)).find((p) => p !== null);
  return contradiction ? { links, problem: contradiction, corrupt: true } : { links, problem: null };
}

const isLsn = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * A manifest is written by whoever can write the repository, so its chain fields are checked
 * against what the walk found: the link at index i must say position i (the restore unpacks it
 * into a folder named by i), name the full backup the walk reached, and carry whole LSNs that
 * start where the link before ended (a full backup starts at 0).
 */
function linkContradiction(m: Manifest, index: number, base: Manifest, previous: Manifest | undefined): string | null {
  const lsn = m.lsn;
  if (!lsn || ![lsn.fromLsn, lsn.toLsn, lsn.lastLsn].every(isLsn)) return `backup ${m.id} has no whole log sequence numbers (${JSON.stringify(lsn)})`;
  if (lsn.toLsn < lsn.fromLsn || lsn.lastLsn < lsn.toLsn) return `backup ${m.id} records LSNs out of order: from ${lsn.fromLsn}, to ${lsn.toLsn}, last ${lsn.lastLsn}`;
  if (index === 0) return m.chain === null && lsn.fromLsn === 0 ? null : `backup ${m.id} starts the chain but is not a full backup (position ${m.chain?.position ?? 0}, from LSN ${lsn.fromLsn})`;
  if (m.chain?.position !== index) return `backup ${m.id} says it is link ${String(m.chain?.position)} of its chain; it is link ${index}`;
  if (m.chain.baseId !== base.id) return `backup ${m.id} names ${m.chain.baseId} as its full backup, but its links lead to ${base.id}`;
  return previous?.lsn?.toLsn === lsn.fromLsn ? null : `backup ${m.id} starts at LSN ${lsn.fromLsn}, not at ${String(previous?.lsn?.toLsn)} where ${previous?.id} ends`;
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
