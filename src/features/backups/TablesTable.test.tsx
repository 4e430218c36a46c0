import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { failure } from '../../test/fixtures';
import { TablesTable } from './TablesTable';

describe('TablesTable', () => {
  it('lists tables with their row counts', () => {
    render(<TablesTable tables={[{ name: 'shop.orders', rows: 100_000 }]} />);
    const row = within(screen.getAllByRole('row')[1]!);
    expect(row.getByText('shop.orders')).toBeInTheDocument();
    expect(row.getByText('100,000')).toBeInTheDocument();
    expect(screen.queryByText('State')).not.toBeInTheDocument();
  });

  it('shows per-table state and failure class', () => {
    render(
      <TablesTable
        tables={[
          { name: 'shop.a', rows: 1, status: 'done' },
          { name: 'shop.b', rows: 0, status: 'failed', error: failure({ class: 'corruption' }) },
        ]}
      />,
    );
    expect(screen.getByText('corruption')).toBeInTheDocument();
    expect(screen.getByText('failed')).toBeInTheDocument();
  });
});
