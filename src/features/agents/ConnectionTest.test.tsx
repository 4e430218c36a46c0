import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { agentError, agentPath, mockBackendSrv, network, ok } from '../../test/backendSrv';
import { AGENT, target } from '../../test/fixtures';
import { isDisabled } from '../../test/render';
import { ConnectionTest } from './ConnectionTest';

describe('ConnectionTest', () => {
  it('tests the saved connection: health, then targets', async () => {
    const calls = mockBackendSrv({
      [`GET ${agentPath('/healthz')}`]: ok({ status: 'ok' }),
      [`GET ${agentPath('/api/v1/targets')}`]: ok({ targets: [target(), target({ name: 'crm' })] }),
    });
    render(<ConnectionTest saved={AGENT} url={AGENT.url} />);
    await userEvent.click(screen.getByRole('button', { name: /test connection/i }));
    expect(await screen.findByText('Connected: 2 targets (shop, crm)')).toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual([agentPath('/healthz'), agentPath('/api/v1/targets')]);
  });

  it('explains a failed connection test', async () => {
    mockBackendSrv({
      [`GET ${agentPath('/healthz')}`]: ok({ status: 'ok' }),
      [`GET ${agentPath('/api/v1/targets')}`]: agentError(401, 'unauthorized', 'invalid token'),
    });
    render(<ConnectionTest saved={AGENT} url={AGENT.url} />);
    await userEvent.click(screen.getByRole('button', { name: /test connection/i }));
    expect(await screen.findByText('Agent "db-host-1" rejected the API token')).toBeInTheDocument();
  });

  it('says when the agent cannot be reached', async () => {
    mockBackendSrv({ [`GET ${agentPath('/healthz')}`]: network });
    render(<ConnectionTest saved={AGENT} url={AGENT.url} />);
    await userEvent.click(screen.getByRole('button', { name: /test connection/i }));
    expect(await screen.findByText('Cannot reach agent "db-host-1"')).toBeInTheDocument();
  });

  it('waits for a new agent to be saved', () => {
    mockBackendSrv({});
    render(<ConnectionTest saved={undefined} url="http://new:9207" />);
    expect(isDisabled(screen.getByRole('button', { name: /test connection/i }))).toBe(true);
  });
});
