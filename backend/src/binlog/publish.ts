// One finished binary log into the archive: read once from incoming/, its events walked and its
// bytes hashed, compressed and published (storage/types.ts: visible only once complete), then
// named in the index. The incoming copy goes only after the index holds the archived one.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ArchiveIndex, type ArchivedFile, binlogDir, writeArchiveIndex } from '../binlogfile/archive.js';
import { BinlogReader } from '../binlogfile/events.js';
import { FileSink, type SinkFailure } from '../catalog/sink.js';
import type { Compression } from '../config/schema.js';
import { storageOf } from '../storage/index.js';

const EXTENSION: Record<Compression, string> = { zstd: '.zst', gzip: '.gz', none: '' };

export class PublishError extends Error {
  constructor(
    message: string,
    readonly failure: SinkFailure | null,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

/** Archives `localFile` (a finished binlog of the server) and records it in `index`, which it updates. */
export async function publishFinished(repository: string, index: ArchiveIndex, localFile: string, compression: Compression, level?: number): Promise<ArchivedFile> {
  const storage = storageOf(repository);
  const name = path.basename(localFile);
  const object = `${name}${EXTENSION[compression]}`;
  const already = index.files.find((f) => f.name === name);
  if (already) {
    // Archived before a crash took the agent between the index and removing the incoming copy.
    const local = createHash('sha256');
    await pipeline(createReadStream(localFile), local);
    if (local.digest('hex') === already.rawSha256) {
      await rm(localFile, { force: true });
      return already;
    }
    // A second file of the same name is another server's: the archived one is never replaced.
    throw new PublishError(`${name} is already archived with other bytes: the server now has another file of that name`, null);
  }
  const sink = new FileSink(storage.create(storage.join(binlogDir(repository, index.target), object)), object, compression, level);
  const reader = new BinlogReader();
  const walk = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        reader.push(chunk);
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
  try {
    await pipeline(createReadStream(localFile), walk, sink.input);
  } catch (err) {
    const failure = await sink.abort();
    throw new PublishError(`could not archive ${name}: ${(err as Error).message}`, failure);
  }
  const stored = await sink.publish();
  if ('failure' in stored) throw new PublishError(`could not archive ${name}`, stored.failure);
  const facts = reader.facts;
  if (facts.completeBytes !== stored.digests.rawBytes) {
    // The tool left the file with a torn last event: only a file the tool finished is archived.
    await storage.remove(storage.join(binlogDir(repository, index.target), object));
    throw new PublishError(`${name} ends inside an event (${stored.digests.rawBytes} bytes, the last whole event ends at ${facts.completeBytes})`, null);
  }
  const archived: ArchivedFile = {
    name,
    object,
    ...stored.digests,
    events: facts.events,
    transactions: facts.transactions,
    firstEventTime: iso(facts.firstEventTime),
    lastEventTime: iso(facts.lastEventTime),
    serverId: facts.serverId,
    gtidsBefore: facts.gtidsBefore,
    gtidsIn: facts.gtidsIn,
    nextFile: facts.nextFile,
    archivedAt: new Date().toISOString(),
  };
  index.files = [...index.files, archived];
  await writeArchiveIndex(repository, index);
  await rm(localFile, { force: true });
  return archived;
}
