// A run's offsite record (offsite.json beside its manifest): read by every listing, written by the
// offsite copy (offsite/). Replaced in one step by the storage's writeText; the manifest is never touched.
import { type OffsiteRecord, offsiteRecordSchema } from '../contract/manifest.js';
import { storageOf } from '../storage/index.js';
import { OFFSITE_FILE } from './paths.js';

export async function writeOffsiteRecord(dir: string, record: OffsiteRecord): Promise<void> {
  const storage = storageOf(dir);
  await storage.writeText(storage.join(dir, OFFSITE_FILE), `${JSON.stringify(offsiteRecordSchema.parse(record), null, 2)}\n`);
}

/** The run's record; null when none was written, or when it cannot be read (then no copy is assumed, and the next run copies again). */
export async function readOffsiteRecord(dir: string): Promise<OffsiteRecord | null> {
  const storage = storageOf(dir);
  try {
    const parsed = offsiteRecordSchema.safeParse(JSON.parse(await storage.readText(storage.join(dir, OFFSITE_FILE))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
