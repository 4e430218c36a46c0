import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { backup, failure } from '../../test/fixtures';
import { HistoryChart } from './HistoryChart';
import { MEASURES } from './runHistory';

const [duration, size] = MEASURES;

const runs = [
  backup({ id: 'a', durationSeconds: 20, bytes: 1000 }),
  backup({ id: 'b', status: 'failed', class: 'auth', error: failure(), durationSeconds: 1, bytes: 0 }),
  backup({ id: 'c', durationSeconds: 40, bytes: 2000 }),
  backup({ id: 'd', status: 'running', durationSeconds: null }),
];

const bars = () => [...screen.getByRole('figure').querySelectorAll('rect[data-status]')];

describe('HistoryChart', () => {
  it('draws one bar per run, oldest on the left, scaled to the largest value', () => {
    render(<HistoryChart runs={runs} measure={duration!} />);
    expect(screen.getByRole('figure', { name: 'Duration of the last 4 runs' })).toHaveTextContent('max 40 s');
    expect(bars().map((b) => b.getAttribute('data-status'))).toEqual(['success', 'failed', 'success', 'running']);
    expect(bars().map((b) => Number(b.getAttribute('x')))).toEqual([0, 8, 16, 24]);
    expect(bars().map((b) => Number(b.getAttribute('height')))).toEqual([20, 2, 40, 0]);
  });

  it('marks runs that did not succeed even when they stored nothing', () => {
    const { container } = render(<HistoryChart runs={runs} measure={size!} />);
    const failed = bars()[1]!;
    expect(Number(failed.getAttribute('height'))).toBeGreaterThan(0);
    expect(failed.getAttribute('fill')).not.toBe(bars()[0]!.getAttribute('fill'));
    // a full-height column behind the failed and the running run
    expect(container.querySelectorAll('rect:not([data-status])')).toHaveLength(2);
    expect(failed.querySelector('title')!.textContent).toMatch(/: failed \(auth\), 0 B$/);
  });
});
