import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { toJsonData } from '../../shared/api/settings';
import { agentError, agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT, failingTarget, target } from '../../test/fixtures';
import { panelProps } from '../../test/panel';
import { confirmDialog, isDisabled, renderAt, setRole } from '../../test/render';
import { ControlPanel, type ControlOptions } from './ControlPanel';

const routes = {
  'GET /api/plugins/warden-mysqlbackup-app/settings': ok({ enabled: true, jsonData: toJsonData([AGENT]) }),
  [`GET ${agentPath('/api/v1/targets')}`]: ok({ targets: [target(), failingTarget()] }),
};

describe('ControlPanel', () => {
  beforeEach(() => setRole('Editor'));

  it('backs up a target after confirmation', async () => {
    const calls = mockBackendSrv({ ...routes, [`POST ${agentPath('/api/v1/targets/crm/backups')}`]: ok({ id: 'r1', target: 'crm' }) });
    renderAt(<ControlPanel {...panelProps<ControlOptions>({ verifyLevel: 'parse' })} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Back up crm now' }));
    await confirmDialog('Back up now');
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/targets/crm/backups'))).toBe(true));
  });

  it("verifies the newest good backup at the panel's level", async () => {
    const calls = mockBackendSrv({
      ...routes,
      [`POST ${agentPath('/api/v1/backups/20250301T100000Z-shop/verify')}`]: ok({ id: '20250301T100000Z-shop', level: 'restore' }),
    });
    renderAt(<ControlPanel {...panelProps<ControlOptions>({ verifyLevel: 'restore', targets: ['shop'] })} />);
    const shop = within(await screen.findByTestId('control-shop'));
    await userEvent.click(shop.getByRole('button', { name: 'Verify (restore)' }));
    await confirmDialog('Verify');
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.data).toEqual({ level: 'restore' }));
  });

  it('has nothing to verify for a target without a good backup', async () => {
    mockBackendSrv(routes);
    renderAt(<ControlPanel {...panelProps<ControlOptions>({ verifyLevel: 'parse', targets: ['crm'] })} />);
    expect(await within(await screen.findByTestId('control-crm')).findByText('nothing to verify yet')).toBeInTheDocument();
  });

  it('leaves viewers the state but not the buttons', async () => {
    setRole('Viewer');
    mockBackendSrv(routes);
    renderAt(<ControlPanel {...panelProps<ControlOptions>({ verifyLevel: 'parse' })} />);
    expect(isDisabled(await screen.findByRole('button', { name: 'Back up shop now' }))).toBe(true);
  });

  it('explains a rejected token', async () => {
    mockBackendSrv({ ...routes, [`GET ${agentPath('/api/v1/targets')}`]: agentError(401, 'unauthorized', 'bad token') });
    renderAt(<ControlPanel {...panelProps<ControlOptions>({ verifyLevel: 'parse' })} />);
    expect(await screen.findByText('Agent "db-host-1" rejected the API token')).toBeInTheDocument();
  });
});
