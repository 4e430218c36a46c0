import { describe, expect, it } from 'vitest';
import type { Manifest } from '../contract/manifest.js';
import { lookupIn, resolveChain } from './chain.js';

/** Only the fields a chain reads; the rest of a manifest does not matter here. */
function link(id: string, lsn: Manifest['lsn'], chain: Manifest['chain']): { dir: string; manifest: Manifest } {
  return { dir: `/r/shop/${id}`, manifest: { id, status: 'success', verification: null, lsn, chain } as Manifest };
}

const full = link('20260101T000000.000Z-a', { fromLsn: 0, toLsn: 100, lastLsn: 120 }, null);
const inc1 = link('20260101T010000.000Z-b', { fromLsn: 100, toLsn: 200, lastLsn: 210 }, { baseId: full.manifest.id, previousId: full.manifest.id, position: 1 });
const inc2 = link('20260101T020000.000Z-c', { fromLsn: 200, toLsn: 300, lastLsn: 300 }, { baseId: full.manifest.id, previousId: inc1.manifest.id, position: 2 });

/** inc2 with some of its manifest's fields changed, resolved among the three. */
async function resolveChanged(change: (m: Manifest) => void, entries = [full, inc1]) {
  const last = structuredClone(inc2);
  change(last.manifest);
  return resolveChain(last, lookupIn([...entries, last]));
}

describe('a physical chain whose manifests are hostile', () => {
  it('resolves a whole chain in order', async () => {
    expect(await resolveChanged(() => undefined)).toEqual({ links: [full, inc1, inc2], problem: null });
  });

  it('refuses, as corrupt, a position that is not the link\'s index (two links would share a folder)', async () => {
    for (const position of [1, 3, 7]) {
      const c = await resolveChanged((m) => (m.chain!.position = position));
      expect(c).toMatchObject({ corrupt: true, problem: `backup ${inc2.manifest.id} says it is link ${position} of its chain; it is link 2` });
    }
  });

  it('refuses LSNs that are not what the chain implies, or not whole numbers', async () => {
    const cases: [(m: Manifest) => void, string][] = [
      [(m) => (m.lsn!.fromLsn = 150), `backup ${inc2.manifest.id} starts at LSN 150, not at 200 where ${inc1.manifest.id} ends`],
      [(m) => (m.lsn!.toLsn = 199), `backup ${inc2.manifest.id} records LSNs out of order: from 200, to 199, last 300`],
      [(m) => (m.lsn!.lastLsn = 250), `backup ${inc2.manifest.id} records LSNs out of order: from 200, to 300, last 250`],
      [(m) => (m.lsn = null), `backup ${inc2.manifest.id} has no whole log sequence numbers (null)`],
      [(m) => ((m.lsn as unknown as Record<string, unknown>).toLsn = '300'), `backup ${inc2.manifest.id} has no whole log sequence numbers ({"fromLsn":200,"toLsn":"300","lastLsn":300})`],
      [(m) => (m.lsn!.toLsn = 2 ** 60), `backup ${inc2.manifest.id} has no whole log sequence numbers ({"fromLsn":200,"toLsn":${2 ** 60},"lastLsn":300})`],
    ];
    for (const [change, problem] of cases) expect(await resolveChanged(change)).toMatchObject({ corrupt: true, problem });
  });

  it('refuses a chain whose first link is not a full backup from LSN 0, or a base that is not the one named', async () => {
    const badFull = structuredClone(full);
    badFull.manifest.lsn!.fromLsn = 5;
    expect(await resolveChanged(() => undefined, [badFull, inc1])).toMatchObject({ corrupt: true, problem: `backup ${full.manifest.id} starts the chain but is not a full backup (position 0, from LSN 5)` });
    expect(await resolveChanged((m) => (m.chain!.baseId = '20260101T000000.000Z-z'))).toMatchObject({
      corrupt: true,
      problem: `backup ${inc2.manifest.id} names 20260101T000000.000Z-z as its full backup, but its links lead to ${full.manifest.id}`,
    });
  });

  it('says a missing link is missing, not corrupt', async () => {
    const c = await resolveChanged(() => undefined, [inc1]);
    expect(c.corrupt).toBeUndefined();
    expect(c.problem).toBe(`backup ${inc2.manifest.id} is an incremental that needs ${full.manifest.id}, which is missing (no such run in the repository)`);
  });
});
