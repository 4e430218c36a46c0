import { describe, expect, it } from 'vitest';
import type { Manifest } from '../contract/manifest.js';
import { findAnomalies } from './anomaly.js';

function manifest(id: string, over: Partial<Manifest> & { tables?: Manifest['tables'] }): Manifest {
  const tables = over.tables ?? [
    { name: 'shop.orders', rows: 900 },
    { name: 'shop.customers', rows: 100 },
  ];
  return {
    id,
    rows: tables.reduce((n, t) => n + t.rows, 0),
    bytes: 1_000_000,
    rawBytes: 5_000_000,
    ...over,
    tables,
  } as Manifest;
}

const previous = manifest('20261121T010000.000Z-aaaa', {});

describe('findAnomalies', () => {
  it('has nothing to say without a previous backup, or when nothing dropped', () => {
    expect(findAnomalies(previous, null, 0.2)).toEqual([]);
    expect(findAnomalies(manifest('b', { bytes: 1_100_000 }), previous, 0.2)).toEqual([]);
  });

  it('stays quiet at exactly the threshold and warns beyond it', () => {
    const at = manifest('b', { bytes: 800_000 });
    expect(findAnomalies(at, previous, 0.2)).toEqual([]);
    const beyond = manifest('b', { bytes: 799_000 });
    expect(findAnomalies(beyond, previous, 0.2)).toEqual([
      'stored size dropped 20% since backup 20261121T010000.000Z-aaaa (1000000 → 799000), more than the 20% threshold',
    ]);
  });

  it('warns about rows, stored and SQL size separately', () => {
    const shrunk = manifest('b', {
      bytes: 100_000,
      rawBytes: 1_000_000,
      tables: [
        { name: 'shop.orders', rows: 100 },
        { name: 'shop.customers', rows: 100 },
      ],
    });
    const w = findAnomalies(shrunk, previous, 0.2);
    expect(w).toHaveLength(3);
    expect(w[0]).toMatch(/^total rows dropped 80% .*\(1000 → 200\)/);
    expect(w[1]).toMatch(/^stored size dropped 90%/);
    expect(w[2]).toMatch(/^SQL size dropped 80%/);
  });

  it('names every table that disappeared', () => {
    const w = findAnomalies(manifest('b', { tables: [{ name: 'shop.orders', rows: 1000 }] }), previous, 0.2);
    expect(w).toEqual(['table shop.customers disappeared since backup 20261121T010000.000Z-aaaa']);
  });

  it('uses the threshold given (0 warns on any drop)', () => {
    expect(findAnomalies(manifest('b', { bytes: 999_999 }), previous, 0)).toHaveLength(1);
    expect(findAnomalies(manifest('b', { bytes: 500_000 }), previous, 0.6)).toEqual([]);
  });
});
