import { describe, expect, it } from 'vitest';
import { describeMethod } from './method';

describe('describeMethod', () => {
  it('names each method, and the full backup an incremental continues', () => {
    expect(describeMethod({ method: 'single-stream', chain: null })).toBe('single-stream');
    expect(describeMethod({ method: 'per-table', chain: null })).toBe('per-table');
    expect(describeMethod({ method: 'physical', chain: null })).toBe('physical');
    expect(describeMethod({ method: 'physical', chain: { baseId: '20250301T000000Z-shop', previousId: '20250301T010000Z-shop', position: 2 } })).toBe(
      'physical, incremental of 20250301T000000Z-shop',
    );
  });
});
