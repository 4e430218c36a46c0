// Waiting on a target's binlog archive (binlogfile/archive.ts): its index as the archiver last wrote it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ArchiveIndex, archiveIndexSchema } from '../../backend/src/binlogfile/archive.js';
import type { TestServer } from '../harness/mariadb.js';
import { waitFor } from './proc.js';

/** The archive's index; null until the archiver has written one. */
export function readArchiveIndexOf(repository: string, target: string): ArchiveIndex | null {
  try {
    return archiveIndexSchema.parse(JSON.parse(readFileSync(path.join(repository, target, 'binlog', 'index.json'), 'utf8')));
  } catch {
    return null;
  }
}

/** Until the archive holds everything the server has written, and knew so at `since` (ms) or later. */
export async function archiveCaughtUp(server: TestServer, repository: string, target: string, since: number): Promise<void> {
  const [status] = await server.query('SHOW MASTER STATUS');
  await waitFor(
    () => {
      const current = readArchiveIndexOf(repository, target)?.current;
      return !!current && current.name === status.File && current.bytes >= Number(status.Position) && current.caughtUpAt !== null && Date.parse(current.caughtUpAt) >= since;
    },
    30_000,
    'the archive to catch up',
  );
}
