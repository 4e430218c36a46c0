// The server id the binlog archiver connects with as a replica: the archiver uses it, the
// pre-flight checks that nothing else on the server uses it.
import type { TargetConfig } from '../config/schema.js';

/** A replica id of its own for each target, unless configured: the low bits of a hash of its name. */
export function defaultServerId(target: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(target)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  // In [2^30, 2^31): clear of the small ids operators give their servers.
  return (h % 0x40000000) + 0x40000000;
}

/** The id the archiver of `target` connects with. */
export function archiverServerId(target: Pick<TargetConfig, 'name' | 'binlog'>): number {
  return target.binlog?.serverId ?? defaultServerId(target.name);
}
