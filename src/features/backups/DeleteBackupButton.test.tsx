import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentError, agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT } from '../../test/fixtures';
import { confirmDialog, isDisabled, setRole } from '../../test/render';
import { DeleteBackupButton } from './DeleteBackupButton';

const client = new AgentClient(AGENT);
const DELETE = `DELETE ${agentPath('/api/v1/backups/b1')}`;

describe('DeleteBackupButton', () => {
  beforeEach(() => setRole('Admin'));

  it('deletes after confirmation', async () => {
    const calls = mockBackendSrv({ [DELETE]: ok({ deleted: 'b1', freedBytes: 2048 }) });
    const onDeleted = vi.fn();
    render(<DeleteBackupButton client={client} backupId="b1" onDeleted={onDeleted} />);
    await userEvent.click(screen.getByRole('button', { name: /delete/i }));
    expect(screen.getByText('Delete this backup?')).toBeInTheDocument();
    await confirmDialog('Delete');
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(calls).toHaveLength(1);
  });

  it.each(['Editor', 'Viewer'] as const)('is disabled for the %s role, with the reason', async (role) => {
    setRole(role);
    const calls = mockBackendSrv({});
    render(<DeleteBackupButton client={client} backupId="b1" onDeleted={vi.fn()} />);
    const button = screen.getByRole('button', { name: /delete/i });
    expect(isDisabled(button)).toBe(true);
    await userEvent.hover(button);
    expect(await screen.findByText('Deleting a backup needs the Admin role')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('shows why the agent kept the backup', async () => {
    mockBackendSrv({ [DELETE]: agentError(409, 'conflict', 'b1 is the newest verified backup of shop') });
    const onDeleted = vi.fn();
    render(<DeleteBackupButton client={client} backupId="b1" onDeleted={onDeleted} />);
    await userEvent.click(screen.getByRole('button', { name: /delete/i }));
    await confirmDialog('Delete');
    expect(await screen.findByText(/Not possible right now: b1 is the newest verified backup of shop/)).toBeInTheDocument();
    expect(onDeleted).not.toHaveBeenCalled();
  });
});
