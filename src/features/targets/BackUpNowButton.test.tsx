import { config } from '@grafana/runtime';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentError, agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT, target } from '../../test/fixtures';
import { confirmDialog, isDisabled, setRole } from '../../test/render';
import { BackUpNowButton } from './BackUpNowButton';

const client = new AgentClient(AGENT);
const START = `POST ${agentPath('/api/v1/targets/shop/backups')}`;

describe('BackUpNowButton', () => {
  beforeEach(() => setRole('Editor'));

  it('starts a backup after confirmation', async () => {
    const calls = mockBackendSrv({ [START]: ok({ id: 'new-run', target: 'shop' }) });
    const onStarted = vi.fn();
    render(<BackUpNowButton client={client} target={target()} onStarted={onStarted} />);
    await userEvent.click(screen.getByRole('button', { name: 'Back up shop now' }));
    expect(screen.getByText('Back up shop now?')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
    await confirmDialog('Back up now');
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith({ id: 'new-run', target: 'shop' }));
    expect(calls[0]).toMatchObject({ method: 'POST' });
  });

  it('does nothing when the confirmation is dismissed', async () => {
    const calls = mockBackendSrv({});
    render(<BackUpNowButton client={client} target={target()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Back up shop now' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls).toHaveLength(0);
  });

  it('is disabled while the target is running', () => {
    mockBackendSrv({});
    render(
      <BackUpNowButton
        client={client}
        target={target({ state: 'running', running: { id: 'r', kind: 'backup', startedAt: '', progress: null } })}
      />,
    );
    expect(isDisabled(screen.getByRole('button', { name: 'Back up shop now' }))).toBe(true);
  });

  it('is disabled for viewers', () => {
    setRole('Viewer');
    render(<BackUpNowButton client={client} target={target()} />);
    expect(isDisabled(screen.getByRole('button', { name: 'Back up shop now' }))).toBe(true);
    expect(config.bootData.user.orgRole).toBe('Viewer');
  });

  it('says why the agent refused', async () => {
    mockBackendSrv({ [START]: agentError(409, 'conflict', 'a backup of shop is already running', { id: 'r0' }) });
    render(<BackUpNowButton client={client} target={target()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Back up shop now' }));
    await confirmDialog('Back up now');
    expect(await screen.findByText(/Not possible right now: a backup of shop is already running/)).toBeInTheDocument();
  });
});
