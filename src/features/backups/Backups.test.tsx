import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { toJsonData } from '../../shared/api/settings';
import { agentError, agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT, backup, failingTarget, target } from '../../test/fixtures';
import { renderApp, setRole } from '../../test/render';

const BACKUPS = `GET ${agentPath('/api/v1/backups')}`;
const TARGETS = `GET ${agentPath('/api/v1/targets')}`;

describe('Backups page', () => {
  beforeEach(() => setRole('Viewer'));

  it('lists the inventory and opens a backup', async () => {
    mockBackendSrv({
      [BACKUPS]: ok({ backups: [backup()] }),
      [TARGETS]: ok({ targets: [target()] }),
      [`GET ${agentPath('/api/v1/backups/20250301T100000Z-shop')}`]: ok({ id: '20250301T100000Z-shop' }),
    });
    renderApp('backups');
    const row = within((await screen.findAllByRole('row'))[1]!);
    expect(row.getByText('success')).toBeInTheDocument();
    expect(row.getByRole('link')).toHaveAttribute('href', '/a/warden-mysqlbackup-app/backup/0/20250301T100000Z-shop');
  });

  it('filters by status through the agent', async () => {
    const calls = mockBackendSrv({
      [BACKUPS]: (req) => ok({ backups: req.params?.status === 'failed' ? [] : [backup()] }),
      [TARGETS]: ok({ targets: [target(), failingTarget()] }),
    });
    renderApp('backups');
    await screen.findAllByRole('row');
    await userEvent.click(screen.getByLabelText('failed'));
    expect(await screen.findByText('No backups match these filters')).toBeInTheDocument();
    expect(calls.filter((c) => c.url.endsWith('/backups')).at(-1)!.params).toEqual({ status: 'failed' });
  });

  it('takes the target filter from the URL', async () => {
    const calls = mockBackendSrv({ [BACKUPS]: ok({ backups: [] }), [TARGETS]: ok({ targets: [target()] }) });
    renderApp('backups?target=shop');
    await screen.findByText('No backups match these filters');
    expect(calls.find((c) => c.url.endsWith('/backups'))!.params).toEqual({ target: 'shop' });
  });

  it('invites a first backup when there is none', async () => {
    mockBackendSrv({ [BACKUPS]: ok({ backups: [] }), [TARGETS]: ok({ targets: [target()] }) });
    renderApp('backups');
    expect(await screen.findByText('No backups yet')).toBeInTheDocument();
  });

  it('reads another agent chosen in the URL', async () => {
    const calls = mockBackendSrv({
      [`GET ${agentPath('/api/v1/backups', 4)}`]: ok({ backups: [backup()] }),
      [`GET ${agentPath('/api/v1/targets', 4)}`]: ok({ targets: [target()] }),
    });
    renderApp('backups?agent=4', toJsonData([AGENT, { slot: 4, name: 'db-host-2', url: 'http://b:9207' }]));
    await screen.findAllByRole('row');
    expect(calls.every((c) => c.url.includes('/agent/4/'))).toBe(true);
    expect(screen.getByText('db-host-2')).toBeInTheDocument();
  });

  it('explains a rejected token', async () => {
    mockBackendSrv({
      [BACKUPS]: agentError(401, 'unauthorized', 'invalid token'),
      [TARGETS]: agentError(401, 'unauthorized', 'invalid token'),
    });
    renderApp('backups');
    await waitFor(() => expect(screen.getByText('Agent "db-host-1" rejected the API token')).toBeInTheDocument());
  });
});
