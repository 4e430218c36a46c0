// `checksum` level, before any byte is read: the manifest describes a finished run whose files are
// all there, at the sizes it recorded, with nothing left over from an unfinished write.
import { storageOf } from '../storage/index.js';
import type { Manifest, ManifestFile } from '../contract/manifest.js';
import { problem, type VerifyProblem } from './problems.js';

export interface Completeness {
  problems: VerifyProblem[];
  /** Listed files that exist: the ones to read. */
  readable: ManifestFile[];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Internal consistency of the manifest: a hand-edited one rarely keeps its totals right. */
function manifestProblems(m: Manifest): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  if (m.status !== 'success' && m.status !== 'partial') out.push(problem('manifest', `the backup's status is ${m.status}: it never completed`));
  if (m.files.length === 0) out.push(problem('manifest', 'the manifest lists no files'));
  const names = m.files.map((f) => f.name);
  if (new Set(names).size !== names.length) out.push(problem('manifest', 'the manifest lists a file twice'));
  if (m.files.length > 0 && m.bytes !== sum(m.files.map((f) => f.bytes))) {
    out.push(problem('manifest', `bytes is ${m.bytes} but the files add up to ${sum(m.files.map((f) => f.bytes))}`));
  }
  if (m.files.length > 0 && m.rawBytes !== sum(m.files.map((f) => f.rawBytes))) {
    out.push(problem('manifest', `rawBytes is ${m.rawBytes} but the files add up to ${sum(m.files.map((f) => f.rawBytes))}`));
  }
  if (m.rows !== sum(m.tables.map((t) => t.rows))) out.push(problem('manifest', `rows is ${m.rows} but the tables add up to ${sum(m.tables.map((t) => t.rows))}`));
  const single = m.files.length === 1 ? m.files[0] : undefined;
  if (m.sha256 !== null && single && m.sha256 !== single.sha256) out.push(problem('manifest', `sha256 differs from the sha256 of ${single.name}`));
  for (const f of m.files) {
    if (f.role === 'data' && !f.table) out.push(problem('manifest', `data file ${f.name} does not name its table`));
  }
  return out;
}

export async function completeness(dir: string, manifest: Manifest): Promise<Completeness> {
  const problems = manifestProblems(manifest);
  const storage = storageOf(dir);
  const readable: ManifestFile[] = [];
  for (const file of manifest.files) {
    let size: number | null;
    try {
      size = await storage.size(storage.join(dir, file.name));
    } catch (err) {
      problems.push(problem('missing-file', `${file.name} is listed in the manifest but cannot be read (${(err as NodeJS.ErrnoException).code})`));
      continue;
    }
    if (size === null) {
      problems.push(problem('missing-file', `${file.name} is listed in the manifest but does not exist`));
      continue;
    }
    if (size !== file.bytes) problems.push(problem('size', `${file.name} is ${size} bytes; the manifest says ${file.bytes}`));
    readable.push(file);
  }
  const leftovers = await storage.unfinished(dir);
  for (const name of leftovers) problems.push(problem('manifest', `unexpected ${name}: a write that never finished`));
  return { problems, readable };
}
