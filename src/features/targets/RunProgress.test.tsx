import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RunProgress } from './RunProgress';

const startedAt = new Date().toISOString();

describe('RunProgress', () => {
  it('shows bytes, tables and the current table with a bar', () => {
    render(
      <RunProgress
        running={{
          id: 'r1',
          kind: 'backup',
          startedAt,
          progress: { rawBytes: 10 * 1024 * 1024, bytes: 2 * 1024 * 1024, tablesDone: 3, tablesTotal: 12, currentTable: 'shop.orders' },
        }}
      />,
    );
    expect(screen.getByText(/Backing up/)).toHaveTextContent('10.0 MiB read, 2.0 MiB stored · 3 of 12 tables · shop.orders');
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
  });

  it('says what runs before the first progress report', () => {
    render(<RunProgress running={{ id: 'r1', kind: 'verify', startedAt, progress: null }} />);
    expect(screen.getByText(/Verifying, started just now/)).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});
