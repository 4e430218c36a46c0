// The catalog's records in the repository: each run folder's manifest, read and written through
// the repository's storage.
import { TARGET_NAME } from '../config/schema.js';
import { type Manifest, manifestSchema, type OffsiteRecord } from '../contract/manifest.js';
import { readOffsiteRecord } from './offsite.js';
import { storageOf } from '../storage/index.js';
import { isBackupId, MANIFEST_FILE } from './paths.js';

/**
 * Writes a run's manifest. One that records an ended run is first checked against the contract:
 * what the plugin and later runs read back must parse. (A running per-table run rewrites its
 * manifest after every table; checking each of those would cost time quadratic in the tables.)
 */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  if (manifest.status !== 'running') manifestSchema.parse(manifest);
  const storage = storageOf(dir);
  await storage.writeText(storage.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

export class ManifestError extends Error {
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`${storageOf(dir).join(dir, MANIFEST_FILE)}: ${detail}`);
    this.name = 'ManifestError';
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    // The storage refuses a symbolic link: a run's files are its own, never a pointer elsewhere.
    const storage = storageOf(dir);
    text = await storage.readText(storage.join(dir, MANIFEST_FILE));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ManifestError(dir, code === 'ELOOP' ? 'is a symbolic link: refused' : `cannot read (${code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(dir, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ManifestError(dir, `not a valid manifest: ${first.join('; ')}`);
  }
  return parsed.data;
}

/** Real folders in `dir` (not symbolic links). */
async function subdirs(dir: string): Promise<string[]> {
  return (await storageOf(dir).list(dir)).filter((e) => e.kind === 'folder').map((e) => e.name);
}

export interface CatalogEntry {
  dir: string;
  manifest: Manifest;
  /** Where its offsite copy stands; null or absent when none was attempted. */
  offsite?: OffsiteRecord | null;
}

export interface ListResult {
  entries: CatalogEntry[];
  /** Backup folders whose manifest is missing or unreadable: shown, never counted as good. */
  unreadable: { dir: string; error: string }[];
}

/** Every run in the repository (optionally of one target), newest first. */
export async function listBackups(repository: string, target?: string): Promise<ListResult> {
  const targets = target ? [target] : (await subdirs(repository)).filter((t) => TARGET_NAME.test(t));
  const result: ListResult = { entries: [], unreadable: [] };
  for (const t of targets) {
    const storage = storageOf(repository);
    const ids = (await subdirs(storage.join(repository, t))).filter(isBackupId);
    const read = await Promise.all(
      ids.map(async (id): Promise<CatalogEntry | { dir: string; error: string }> => {
        const dir = storage.join(repository, t, id);
        try {
          const manifest = await readManifest(dir);
          // The folder, not what the file claims, says which run this is: a copied or edited
          // manifest must not stand in for another run, or another target's.
          if (manifest.id !== id || manifest.target !== t) {
            throw new ManifestError(dir, `its id ${manifest.id} / target ${manifest.target} disagrees with its folder ${t}/${id}: damaged`);
          }
          return { dir, manifest, offsite: manifest.status === 'success' ? await readOffsiteRecord(dir) : null };
        } catch (err) {
          return { dir, error: (err as Error).message };
        }
      }),
    );
    for (const r of read) {
      if ('manifest' in r) result.entries.push(r);
      else result.unreadable.push(r);
    }
  }
  result.entries.sort((a, b) => (a.manifest.id < b.manifest.id ? 1 : a.manifest.id > b.manifest.id ? -1 : 0));
  return result;
}
