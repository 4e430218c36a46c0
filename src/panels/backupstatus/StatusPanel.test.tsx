import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { toJsonData } from '../../shared/api/settings';
import { agentPath, mockBackendSrv, network, ok } from '../../test/backendSrv';
import { AGENT, failingTarget, target } from '../../test/fixtures';
import { panelProps } from '../../test/panel';
import { renderAt } from '../../test/render';
import type { AgentPanelOptions } from '../options';
import { StatusPanel } from './StatusPanel';

const SETTINGS = 'GET /api/plugins/warden-mysqlbackup-app/settings';
const settings = (agents = [AGENT, { slot: 2, name: 'db-host-2', url: 'http://b:9207' }]) =>
  ok({ enabled: true, jsonData: toJsonData(agents) });

describe('StatusPanel', () => {
  it('shows the chosen targets of the chosen agent', async () => {
    const calls = mockBackendSrv({
      [SETTINGS]: settings(),
      [`GET ${agentPath('/api/v1/targets', 2)}`]: ok({ targets: [target(), failingTarget(), target({ name: 'other' })] }),
    });
    renderAt(<StatusPanel {...panelProps<AgentPanelOptions>({ agent: 2, targets: ['shop', 'crm'] })} />);
    const crm = within(await screen.findByTestId('status-crm'));
    expect(crm.getByText('Failing')).toBeInTheDocument();
    expect(crm.getByText(/auth: Fix the credentials/)).toBeInTheDocument();
    expect(within(screen.getByTestId('status-shop')).getByText('OK')).toBeInTheDocument();
    expect(screen.queryByTestId('status-other')).not.toBeInTheDocument();
    expect(calls.some((c) => c.url.includes('/agent/2/'))).toBe(true);
  });

  it('uses the first agent and every target by default', async () => {
    mockBackendSrv({ [SETTINGS]: settings(), [`GET ${agentPath('/api/v1/targets', 0)}`]: ok({ targets: [target(), failingTarget()] }) });
    renderAt(<StatusPanel {...panelProps<AgentPanelOptions>({})} />);
    expect(await screen.findByTestId('status-shop')).toBeInTheDocument();
    expect(screen.getByTestId('status-crm')).toBeInTheDocument();
  });

  it('says when no agent is configured', async () => {
    mockBackendSrv({ [SETTINGS]: ok({ enabled: true, jsonData: {} }) });
    renderAt(<StatusPanel {...panelProps<AgentPanelOptions>({})} />);
    expect(await screen.findByText(/No Warden agent is configured/)).toBeInTheDocument();
  });

  it('says when the chosen targets do not exist', async () => {
    mockBackendSrv({ [SETTINGS]: settings(), [`GET ${agentPath('/api/v1/targets', 0)}`]: ok({ targets: [target()] }) });
    renderAt(<StatusPanel {...panelProps<AgentPanelOptions>({ targets: ['gone'] })} />);
    expect(await screen.findByText(/has none of the chosen targets \(gone\)/)).toBeInTheDocument();
  });

  it('explains an unreachable agent', async () => {
    mockBackendSrv({ [SETTINGS]: settings(), [`GET ${agentPath('/api/v1/targets', 0)}`]: network });
    renderAt(<StatusPanel {...panelProps<AgentPanelOptions>({})} />);
    expect(await screen.findByText('Cannot reach agent "db-host-1"')).toBeInTheDocument();
  });
});
