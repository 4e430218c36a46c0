import { describe, expect, it } from 'vitest';
import type { ManifestFile } from '../contract/manifest.js';
import { forEachLimit } from '../util/concurrency.js';
import { restorePhases, runPhases } from './plan.js';

const file = (name: string, role: ManifestFile['role'], table?: string): ManifestFile => ({
  name,
  role,
  ...(table ? { table } : {}),
  bytes: 1,
  sha256: '0'.repeat(64),
  rawBytes: 1,
  rawSha256: '0'.repeat(64),
});

const PER_TABLE = [
  file('data-2.sql.zst', 'data', 'shop.b'),
  file('post.sql.zst', 'post'),
  file('data-1.sql.zst', 'data', 'shop.a'),
  file('schema.sql.zst', 'schema'),
  file('data-3.sql.zst', 'data', 'other.c'),
  file('data-4.sql.zst', 'data', 'shop.d'),
];

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('restorePhases', () => {
  it('orders a per-table backup schema, data (parallel), post', () => {
    const phases = restorePhases({ files: PER_TABLE });
    expect(phases.map((p) => [p.role, p.parallel, p.files.map((f) => f.name)])).toEqual([
      ['schema', false, ['schema.sql.zst']],
      ['data', true, ['data-2.sql.zst', 'data-1.sql.zst', 'data-3.sql.zst', 'data-4.sql.zst']],
      ['post', false, ['post.sql.zst']],
    ]);
  });

  it('keeps only the data files of the tables asked for', () => {
    const phases = restorePhases({ files: PER_TABLE }, new Set(['shop.a', 'shop.d']));
    expect(phases[1]!.files.map((f) => f.table)).toEqual(['shop.a', 'shop.d']);
  });

  it('loads a single-stream backup as its one file', () => {
    expect(restorePhases({ files: [file('dump.sql.zst', 'dump')] }).map((p) => p.role)).toEqual(['dump']);
  });
});

describe('runPhases', () => {
  it('finishes each phase before the next and keeps at most N loads in flight', async () => {
    const events: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const failure = await runPhases(restorePhases({ files: PER_TABLE }), 2, async (f) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      events.push(`start ${f.name}`);
      await tick();
      events.push(`end ${f.name}`);
      inFlight--;
      return null;
    });
    expect(failure).toBeNull();
    expect(peak).toBe(2);
    const at = (e: string) => events.indexOf(e);
    for (const d of ['data-1.sql.zst', 'data-2.sql.zst', 'data-3.sql.zst', 'data-4.sql.zst']) {
      expect(at(`start ${d}`)).toBeGreaterThan(at('end schema.sql.zst'));
      expect(at(`end ${d}`)).toBeLessThan(at('start post.sql.zst'));
    }
  });

  it('stops at the first failure: no new loads, no later phase', async () => {
    const started: string[] = [];
    const failure = await runPhases(restorePhases({ files: PER_TABLE }), 1, async (f) => {
      started.push(f.name);
      await tick();
      return f.name === 'data-1.sql.zst' ? `failed ${f.name}` : null;
    });
    expect(failure).toBe('failed data-1.sql.zst');
    expect(started).toEqual(['schema.sql.zst', 'data-2.sql.zst', 'data-1.sql.zst']);
  });
});

describe('forEachLimit', () => {
  it('handles no items and a limit above the item count', async () => {
    expect(await forEachLimit([], 4, async () => 'x')).toBeNull();
    const seen: number[] = [];
    expect(await forEachLimit([1, 2], 8, async (n) => (seen.push(n), null))).toBeNull();
    expect(seen).toEqual([1, 2]);
  });
});
