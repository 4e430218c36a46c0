import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../contract/manifest.js';
import { type Candidate, decide } from './policy.js';

const NOW = new Date('2026-06-15T12:00:00Z');

function run(startedAt: string, status: RunStatus = 'success', extra: Partial<Candidate> = {}): Candidate {
  return { id: startedAt, status, startedAt: new Date(startedAt), verifiedOk: false, live: false, ...extra };
}

/** One successful backup a day at 01:00 UTC for `days` days up to NOW. */
function daily(days: number): Candidate[] {
  return Array.from({ length: days }, (_, i) => run(new Date(Date.UTC(2026, 5, 15 - i, 1)).toISOString()));
}

const kept = (cands: Candidate[], policy: Parameters<typeof decide>[1]) =>
  decide(cands, policy, NOW)
    .filter((d) => d.keep)
    .map((d) => d.id.slice(0, 10));

describe('retention policy', () => {
  it('keeps everything without a policy', () => {
    const cands = [...daily(5), run('2026-06-01T00:00:00.000Z', 'failed')];
    expect(decide(cands, null, NOW).every((d) => d.keep && d.reasons.includes('no-policy'))).toBe(true);
  });

  it('keepLast keeps the newest N successes', () => {
    expect(kept(daily(10), { keepLast: 3 })).toEqual(['2026-06-15', '2026-06-14', '2026-06-13']);
  });

  it('keepDays keeps successes younger than N days', () => {
    // NOW is 12:00; the backup of 06-12 01:00 is 3 days 11 hours old.
    expect(kept(daily(10), { keepDays: 3 })).toEqual(['2026-06-15', '2026-06-14', '2026-06-13']);
    expect(kept(daily(10), { keepDays: 4 })).toHaveLength(4);
  });

  it('keepDaily keeps the newest backup of each of the last N days that have one', () => {
    const cands = [run('2026-06-15T09:00:00.000Z'), run('2026-06-15T01:00:00.000Z'), run('2026-06-12T01:00:00.000Z'), run('2026-06-10T01:00:00.000Z')];
    const d = decide(cands, { keepDaily: 2 }, NOW);
    expect(d.filter((x) => x.keep).map((x) => x.id)).toEqual(['2026-06-15T09:00:00.000Z', '2026-06-12T01:00:00.000Z']);
  });

  it('keepWeekly uses ISO weeks (Monday first) and keepMonthly calendar months, in UTC', () => {
    // 2026-06-15 is a Monday: 06-14 (Sunday) belongs to the week before.
    const cands = [run('2026-06-15T01:00:00.000Z'), run('2026-06-14T23:00:00.000Z'), run('2026-06-08T01:00:00.000Z'), run('2026-06-07T01:00:00.000Z')];
    expect(decide(cands, { keepWeekly: 2 }, NOW).filter((x) => x.keep).map((x) => x.id)).toEqual(['2026-06-15T01:00:00.000Z', '2026-06-14T23:00:00.000Z']);
    const months = [run('2026-06-02T00:00:00.000Z'), run('2026-05-31T23:59:00.000Z'), run('2026-05-01T00:00:00.000Z'), run('2026-03-10T00:00:00.000Z')];
    expect(decide(months, { keepMonthly: 2 }, NOW).filter((x) => x.keep).map((x) => x.id)).toEqual(['2026-06-02T00:00:00.000Z', '2026-05-31T23:59:00.000Z']);
  });

  it('keeps the union of all rules (grandfather-father-son)', () => {
    // 120 daily backups, 02-16 to 06-15. Weeks: Monday 06-15 is a week of its own; 06-14, 06-07
    // and 05-31 are the Sundays closing the three before. Months: the newest of June, May, April,
    // March and February (only five months have backups).
    const ids = kept(daily(120), { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 });
    expect(ids).toEqual([
      '2026-06-15', '2026-06-14', '2026-06-13', '2026-06-12', '2026-06-11', '2026-06-10', '2026-06-09',
      '2026-06-07', '2026-05-31', '2026-04-30', '2026-03-31', '2026-02-28',
    ]);
  });

  it('never deletes the newest verified backup, the newest success or a live run', () => {
    const cands = [
      run('2026-06-15T01:00:00.000Z'),
      run('2026-06-14T01:00:00.000Z'),
      run('2026-05-01T01:00:00.000Z', 'success', { verifiedOk: true }),
      run('2026-04-01T01:00:00.000Z', 'success', { verifiedOk: true }),
      run('2026-03-01T01:00:00.000Z', 'running', { live: true }),
    ];
    const d = decide(cands, { keepLast: 1 }, NOW);
    expect(d.filter((x) => x.keep).map((x) => [x.id.slice(0, 10), x.reasons])).toEqual([
      ['2026-06-15', ['last', 'newest-success']],
      ['2026-05-01', ['newest-verified']],
      ['2026-03-01', ['live']],
    ]);
    // Even a policy that would keep nothing (every backup older than keepDays) keeps the newest success.
    expect(kept([run('2026-01-01T00:00:00.000Z'), run('2025-12-01T00:00:00.000Z')], { keepDays: 1 })).toEqual(['2026-01-01']);
  });

  it('prunes runs that did not succeed once a newer success exists, and keeps newer ones as evidence', () => {
    const cands = [
      run('2026-06-15T03:00:00.000Z', 'failed'),
      run('2026-06-15T02:00:00.000Z', 'interrupted'),
      run('2026-06-15T01:00:00.000Z'),
      run('2026-06-14T03:00:00.000Z', 'failed'),
      run('2026-06-14T02:00:00.000Z', 'partial'),
      run('2026-06-14T01:30:00.000Z', 'running'), // left by a dead process
      run('2026-06-14T01:00:00.000Z'),
    ];
    const d = decide(cands, { keepLast: 5 }, NOW);
    expect(d.filter((x) => !x.keep).map((x) => x.id)).toEqual(['2026-06-14T03:00:00.000Z', '2026-06-14T02:00:00.000Z', '2026-06-14T01:30:00.000Z']);
    expect(d.find((x) => x.id === '2026-06-15T03:00:00.000Z')!.reasons).toEqual(['newer-than-success']);
    // With no success at all, every failure is newer than "the newest success": all kept.
    expect(decide([run('2026-06-01T00:00:00.000Z', 'failed')], { keepLast: 1 }, NOW)[0]!.keep).toBe(true);
  });

  it('keeps runs dated in the future (a clock once ahead) without letting them rank as the newest', () => {
    const future = [run('2027-06-15T01:00:00.000Z', 'success', { verifiedOk: true }), run('2027-06-14T01:00:00.000Z')];
    const cands = [...future, ...daily(4)];
    const d = decide(cands, { keepLast: 2 }, NOW);
    const keep = new Map(d.map((x) => [x.id.slice(0, 10), x]));
    // The two newest correctly dated backups are what keepLast keeps, and the newest success stays.
    expect(keep.get('2026-06-15')).toMatchObject({ keep: true, reasons: expect.arrayContaining(['last', 'newest-success']) });
    expect(keep.get('2026-06-14')).toMatchObject({ keep: true, reasons: ['last'] });
    expect(keep.get('2026-06-13')!.keep).toBe(false);
    for (const f of ['2027-06-15', '2027-06-14']) expect(keep.get(f)).toMatchObject({ keep: true, reasons: ['future-dated'] });
    // Within the tolerance (clocks of two hosts a few minutes apart) a run still ranks.
    const soon = run(new Date(NOW.getTime() + 5 * 60_000).toISOString());
    expect(decide([soon, ...daily(2)], { keepLast: 1 }, NOW).find((x) => x.id === soon.id)!.reasons).toEqual(['last', 'newest-success']);
  });

  it('keeps every link a kept incremental is restored from, and lets a chain go whole once nothing kept needs it', () => {
    // Two chains: a full backup on 06-13 with incrementals at 06-13 and 06-14, a full on 06-15 with one at 06-15.
    const full1 = run('2026-06-13T01:00:00.000Z');
    const inc11 = run('2026-06-13T13:00:00.000Z', 'success', { needs: [full1.id] });
    const inc12 = run('2026-06-14T01:00:00.000Z', 'success', { needs: [full1.id, inc11.id] });
    const full2 = run('2026-06-15T01:00:00.000Z');
    const inc21 = run('2026-06-15T09:00:00.000Z', 'success', { needs: [full2.id] });
    const cands = [inc21, full2, inc12, inc11, full1];
    const reasons = (policy: Parameters<typeof decide>[1]) => new Map(decide(cands, policy, NOW).map((d) => [d.id, d.reasons]));

    // keepLast 3 keeps 06-15 09:00, 06-15 01:00 and 06-14: the 06-14 incremental holds its whole chain.
    const three = reasons({ keepLast: 3 });
    expect(three.get(inc12.id)).toEqual(['last']);
    expect(three.get(inc11.id)).toEqual(['chain']);
    expect(three.get(full1.id)).toEqual(['chain']);
    // keepLast 1 keeps the newest incremental and, for it, only its own full backup.
    const one = reasons({ keepLast: 1 });
    expect(one.get(inc21.id)).toEqual(['last', 'newest-success']);
    expect(one.get(full2.id)).toEqual(['chain']);
    for (const gone of [inc12, inc11, full1]) expect(one.get(gone.id), gone.id).toEqual([]);
    // A failed incremental is evidence, not a backup to restore: what it names is not kept for it.
    const failedInc = run('2026-06-15T11:00:00.000Z', 'failed', { needs: [full1.id] });
    const withFailure = new Map(decide([failedInc, ...cands], { keepLast: 1 }, NOW).map((d) => [d.id, d.reasons]));
    expect(withFailure.get(failedInc.id)).toEqual(['newer-than-success']);
    expect(withFailure.get(full1.id)).toEqual([]);
  });
});
