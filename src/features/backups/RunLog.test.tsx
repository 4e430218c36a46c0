import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LOG } from '../../test/fixtures';
import { levelOf, RunLog } from './RunLog';

describe('RunLog', () => {
  it('shows each line with its level and extra fields', () => {
    render(<RunLog lines={LOG} />);
    const items = within(screen.getByRole('list', { name: 'Run log' })).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(within(items[1]!).getByText('warn')).toBeInTheDocument();
    expect(within(items[1]!).getByText('attempt 1 failed: connection')).toBeInTheDocument();
    expect(within(items[1]!).getByText('{"class":"connection"}')).toBeInTheDocument();
  });

  it('maps pino levels', () => {
    expect(levelOf(50)[0]).toBe('error');
    expect(levelOf(35)[0]).toBe('info');
    expect(levelOf(10)[0]).toBe('trace');
  });

  it('says when the log is empty', () => {
    render(<RunLog lines={[]} />);
    expect(screen.getByText('The run wrote no log lines.')).toBeInTheDocument();
  });
});
