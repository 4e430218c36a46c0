import { describe, expect, it } from 'vitest';
import type { Manifest } from '../contract/manifest.js';
import { copyOrder } from './index.js';

interface Run {
  manifest: Manifest;
  copied: boolean;
}

/** Runs named by id, newest first as listBackups gives them; `prev` makes an incremental on top of it. */
function runs(...specs: { id: string; prev?: string; copied?: boolean; status?: string; ok?: boolean }[]): Run[] {
  return specs.map(({ id, prev, copied = false, status = 'success', ok = true }) => ({
    manifest: { id, status, verification: { ok }, chain: prev ? { baseId: 'f1', previousId: prev, position: 1 } : null } as unknown as Manifest,
    copied,
  }));
}
const order = (list: Run[]) => copyOrder(list, (r) => r.copied).map((r) => r.manifest.id);

describe('the order of the offsite copies', () => {
  it('the newest good backup first, then the backlog oldest first', () => {
    expect(order(runs({ id: 'r4' }, { id: 'r3' }, { id: 'r2', copied: true }, { id: 'r1' }))).toEqual(['r4', 'r1', 'r3']);
    // Newest copied already: the backlog alone, oldest first; not good: never.
    expect(order(runs({ id: 'r3', copied: true }, { id: 'r2' }, { id: 'r1', status: 'failed' }, { id: 'r0', ok: false }))).toEqual(['r2']);
  });

  it('an incremental newest backup comes after the links of its chain it is restored on top of', () => {
    const list = runs({ id: 'i2', prev: 'i1' }, { id: 'i1', prev: 'f1' }, { id: 'f1' }, { id: 'old' });
    expect(order(list)).toEqual(['f1', 'i1', 'i2', 'old']);
    list[2]!.copied = true;
    expect(order(list)).toEqual(['i1', 'i2', 'old']);
  });

  it('a damaged chain that loops or names a missing backup ends', () => {
    expect(order(runs({ id: 'a', prev: 'b' }, { id: 'b', prev: 'a' }))).toEqual(['b', 'a']);
    expect(order(runs({ id: 'a', prev: 'gone' }, { id: 'z' }))).toEqual(['a', 'z']);
  });
});
