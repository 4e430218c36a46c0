import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BackupFilters } from './BackupFilters';

describe('BackupFilters', () => {
  it('filters by status', async () => {
    const onChange = vi.fn();
    render(<BackupFilters targets={['shop', 'crm']} value={{ target: 'shop' }} onChange={onChange} />);
    await userEvent.click(screen.getByLabelText('failed'));
    expect(onChange).toHaveBeenCalledWith({ target: 'shop', status: 'failed' });
  });

  it('filters by target', async () => {
    const onChange = vi.fn();
    render(<BackupFilters targets={['shop', 'crm']} value={{}} onChange={onChange} />);
    await userEvent.click(screen.getByLabelText('Target'));
    await userEvent.click(await screen.findByText('crm'));
    expect(onChange).toHaveBeenCalledWith({ target: 'crm' });
  });
});
