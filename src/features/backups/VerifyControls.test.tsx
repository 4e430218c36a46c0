import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentPath, mockBackendSrv, ok, status } from '../../test/backendSrv';
import { AGENT } from '../../test/fixtures';
import { confirmDialog, isDisabled, setRole } from '../../test/render';
import { VerifyControls } from './VerifyControls';

const client = new AgentClient(AGENT);
const VERIFY = `POST ${agentPath('/api/v1/backups/b1/verify')}`;

describe('VerifyControls', () => {
  beforeEach(() => setRole('Editor'));

  it('verifies at the chosen level after confirmation', async () => {
    const calls = mockBackendSrv({ [VERIFY]: ok({ id: 'b1', level: 'restore' }) });
    const onStarted = vi.fn();
    render(<VerifyControls client={client} backupId="b1" onStarted={onStarted} />);
    await userEvent.click(screen.getByLabelText('restore'));
    await userEvent.click(screen.getByRole('button', { name: /verify/i }));
    expect(screen.getByText('Verify at level restore?')).toBeInTheDocument();
    await confirmDialog('Verify');
    await waitFor(() => expect(onStarted).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({ method: 'POST', data: { level: 'restore' } });
  });

  it('explains a Grafana role refusal', async () => {
    mockBackendSrv({ [VERIFY]: status(403, { message: 'plugin proxy route access denied' }) });
    render(<VerifyControls client={client} backupId="b1" />);
    await userEvent.click(screen.getByRole('button', { name: /verify/i }));
    await confirmDialog('Verify');
    expect(await screen.findByText(/Your role does not allow this/)).toBeInTheDocument();
  });

  it('is disabled for viewers', () => {
    setRole('Viewer');
    render(<VerifyControls client={client} backupId="b1" />);
    expect(isDisabled(screen.getByRole('button', { name: /verify/i }))).toBe(true);
  });
});
