// A run's offsite record (offsite.json beside its manifest): read by every listing, written by the
// offsite copy (offsite/). Replaced in one step by the storage's writeText; the manifest is never touched.
import { type OffsiteRecord, offsiteRecordSchema } from '../contract/manifest.js';
import { storageOf } from '../storage/index.js';
import { OFFSITE_FILE } from './paths.js';

export async function writeOffsiteRecord(dir: string, record: OffsiteRecord): Promise<void> {
  const storage = storageOf(dir);
  await storage.writeText(storage.join(dir, OFFSITE_FILE), `${JSON.stringify(offsiteRecordSchema.parse(record), null, 2)}\n`);
}

/** A record is a few hundred bytes: a larger file is damaged, and never read whole (every listing reads each). */
const MAX_RECORD_BYTES = 64 << 10;

async function readBounded(dir: string): Promise<string> {
  const storage = storageOf(dir);
  const chunks: Buffer[] = [];
  let bytes = 0;
  // The storage's read follows no link (storage/types.ts).
  for await (const chunk of storage.read(storage.join(dir, OFFSITE_FILE), { highWaterMark: 16 << 10 }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_RECORD_BYTES) throw new Error(`${OFFSITE_FILE} is larger than ${MAX_RECORD_BYTES} bytes: damaged`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The run's record; null when none was written, or when it cannot be read (then no copy is assumed, and the next run copies again). */
export async function readOffsiteRecord(dir: string): Promise<OffsiteRecord | null> {
  try {
    const parsed = offsiteRecordSchema.safeParse(JSON.parse(await readBounded(dir)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
