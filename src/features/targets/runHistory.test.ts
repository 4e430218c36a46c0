import { describe, expect, it } from 'vitest';
import { backup } from '../../test/fixtures';
import { historySummary, MEASURES } from './runHistory';

describe('the history measures', () => {
  it('read duration, stored size and rows, and nothing yet of a running run', () => {
    const done = backup({ durationSeconds: 42, bytes: 2048, rows: 1200 });
    expect(MEASURES.map((m) => [m.label, m.value(done), m.format(m.value(done)!)])).toEqual([
      ['Duration', 42, '42 s'],
      ['Stored size', 2048, '2.0 KiB'],
      ['Rows', 1200, '1,200'],
    ]);
    expect(MEASURES.map((m) => m.value(backup({ status: 'running', durationSeconds: null })))).toEqual([null, null, null]);
  });

  it('sums up the runs by outcome', () => {
    const runs = [backup(), backup({ status: 'failed' }), backup({ status: 'partial' }), backup({ status: 'running' })];
    expect(historySummary(runs)).toBe('4 runs: 1 succeeded, 2 did not, 1 running');
    expect(historySummary([backup()])).toBe('1 run: 1 succeeded, 0 did not');
  });
});
