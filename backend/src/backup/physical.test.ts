import { describe, expect, it } from 'vitest';
import { checkSample, CHECK_SAMPLE } from '../verify/physical.js';
import { settleCounts } from './physical.js';

describe('row counts of a physical backup', () => {
  it('keeps a count that held still, and marks one that moved, or was never exact, an estimate', () => {
    const before = [
      { name: 'shop.customers', rows: 10, estimated: false },
      { name: 'shop.orders', rows: 5, estimated: false },
      { name: 'shop.events', rows: 250_000, estimated: true },
    ];
    const after = [
      { name: 'shop.customers', rows: 10, estimated: false },
      { name: 'shop.orders', rows: 7, estimated: false },
      { name: 'shop.events', rows: 251_000, estimated: true },
      { name: 'shop.created_meanwhile', rows: 1, estimated: false },
    ];
    expect(settleCounts(before, after)).toEqual([
      { name: 'shop.customers', rows: 10 },
      { name: 'shop.orders', rows: 7, estimated: true },
      { name: 'shop.events', rows: 251_000, estimated: true },
      { name: 'shop.created_meanwhile', rows: 1, estimated: true },
    ]);
  });
});

describe('the CHECK TABLE sample', () => {
  const tables = Array.from({ length: 50 }, (_, i) => ({ name: `shop.t${i}`, rows: i }));

  it('takes every table of a small backup, and CHECK_SAMPLE of a large one', () => {
    expect(checkSample({ id: 'a', tables: tables.slice(0, 5) }).sort()).toEqual(tables.slice(0, 5).map((t) => t.name).sort());
    expect(checkSample({ id: 'a', tables })).toHaveLength(CHECK_SAMPLE);
  });

  it('is the same for one backup and rotates from one backup to the next', () => {
    expect(checkSample({ id: 'a', tables })).toEqual(checkSample({ id: 'a', tables }));
    expect(checkSample({ id: 'b', tables })).not.toEqual(checkSample({ id: 'a', tables }));
  });
});
