import type { BackupSummary } from '../../../backend/src/contract/index.js';

/** How a backup was taken, as the list and the details say it: a physical incremental names its full backup. */
export function describeMethod(b: Pick<BackupSummary, 'method' | 'chain'>): string {
  return b.chain ? `${b.method}, incremental of ${b.chain.baseId}` : b.method;
}
