import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { agentError, agentPath, mockBackendSrv, network, ok } from '../../test/backendSrv';
import { failure, LOG, manifest } from '../../test/fixtures';
import { confirmDialog, isDisabled, renderApp, setRole } from '../../test/render';

const ID = '20250301T100000Z-shop';
const MANIFEST = `GET ${agentPath(`/api/v1/backups/${ID}`)}`;
const LOG_URL = `GET ${agentPath(`/api/v1/backups/${ID}/log`)}`;
const AGENT_INFO = `GET ${agentPath('/api/v1/agent')}`;
const CONFIG = '/etc/warden/warden.yaml';
const ABOUT = ok({ version: '0.1.0', configFile: CONFIG, startedAt: '2025-03-01T11:00:00.000Z' });

describe('Backup details page', () => {
  beforeEach(() => setRole('Editor'));

  it('shows the manifest: tables with rows, binlog, versions, attempts, log and restore command', async () => {
    mockBackendSrv({ [MANIFEST]: ok(manifest()), [LOG_URL]: ok({ lines: LOG }), [AGENT_INFO]: ABOUT });
    renderApp(`backup/0/${ID}`);
    const tables = await screen.findByRole('region', { name: 'Tables (2)' });
    expect(within(tables).getByText('shop.orders')).toBeInTheDocument();
    expect(within(tables).getByText('100,000')).toBeInTheDocument();
    expect(screen.getByText('binlog.000042:1337 · GTID 0-1-4242')).toBeInTheDocument();
    expect(screen.getByText(/10\.11\.6-MariaDB/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Attempts (2)' })).getByText('connection')).toBeInTheDocument();
    expect(await screen.findByText('backup published')).toBeInTheDocument();
    expect(
      await screen.findByText(`warden restore -c ${CONFIG} --target shop --source-database shop --database shop_restored ${ID}`),
    ).toBeInTheDocument();
    expect(screen.getByText(/Verification at level parse passed/)).toBeInTheDocument();
  });

  it('shows the offsite copy beside the verification, and nothing when none was attempted', async () => {
    const OFFSITE = `GET ${agentPath(`/api/v1/backups/${ID}/offsite`)}`;
    const error = failure({ class: 'storage_no_bucket', hint: 'Create the bucket.' });
    const copy = { state: 'failed', location: `s3://offsite/warden/shop/${ID}`, at: '2025-03-01T11:00:00Z', verifiedAt: null, bytes: 0, attempts: 1, error };
    mockBackendSrv({ [MANIFEST]: ok(manifest()), [LOG_URL]: ok({ lines: LOG }), [AGENT_INFO]: ABOUT, [OFFSITE]: ok({ offsite: copy }) });
    const { unmount } = renderApp(`backup/0/${ID}`);
    expect(await screen.findByText('offsite failed')).toBeInTheDocument();
    unmount();
    mockBackendSrv({ [MANIFEST]: ok(manifest()), [LOG_URL]: ok({ lines: LOG }), [AGENT_INFO]: ABOUT, [OFFSITE]: ok({ offsite: null }) });
    renderApp(`backup/0/${ID}`);
    await screen.findByText(/Verification at level parse passed/);
    expect(screen.queryByText(/^offsite/)).toBeNull();
  });

  it('marks the config file as a placeholder when the agent cannot say where it is (an older agent)', async () => {
    mockBackendSrv({ [MANIFEST]: ok(manifest()), [LOG_URL]: ok({ lines: LOG }), [AGENT_INFO]: agentError(404, 'not_found', 'no such endpoint') });
    renderApp(`backup/0/${ID}`);
    expect(
      await screen.findByText(`warden restore -c '<config file of the agent>' --target shop --source-database shop --database shop_restored ${ID}`),
    ).toBeInTheDocument();
    expect(screen.getByText(/did not say where its configuration file is/)).toBeInTheDocument();
  });

  it('offers Delete to Admins only: Grafana refuses the route to anyone else', async () => {
    mockBackendSrv({ [MANIFEST]: ok(manifest()), [LOG_URL]: ok({ lines: LOG }), [AGENT_INFO]: ABOUT });
    renderApp(`backup/0/${ID}`);
    const remove = await screen.findByRole('button', { name: /delete/i });
    expect(isDisabled(remove)).toBe(true);
    expect(isDisabled(screen.getByRole('button', { name: /verify/i }))).toBe(false);
  });

  it('shows why a failed run failed', async () => {
    mockBackendSrv({
      [MANIFEST]: ok(manifest({ status: 'failed', class: 'auth', error: failure(), tables: [], verification: null })),
      [LOG_URL]: ok({ lines: [] }),
    });
    renderApp(`backup/0/${ID}`);
    expect(await screen.findByText('This run ended failed: auth')).toBeInTheDocument();
    expect(screen.getAllByText(/Fix the credentials/).length).toBeGreaterThan(0);
    expect(isDisabled(screen.getByRole('button', { name: /verify/i }))).toBe(true);
  });

  it('verifies at a chosen level and waits for the result', async () => {
    let current = manifest();
    const calls = mockBackendSrv({
      [MANIFEST]: () => ok(current),
      [LOG_URL]: ok({ lines: LOG }),
      [`POST ${agentPath(`/api/v1/backups/${ID}/verify`)}`]: ok({ id: ID, level: 'checksum' }),
    });
    renderApp(`backup/0/${ID}`);
    await userEvent.click(await screen.findByLabelText('checksum'));
    await userEvent.click(screen.getByRole('button', { name: /verify/i }));
    await confirmDialog('Verify');
    expect(await screen.findByText('Verification running…')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ level: 'checksum' });
    current = manifest({ verification: { level: 'checksum', ok: true, at: new Date().toISOString(), durationSeconds: 0.4, restoreSeconds: null, problems: [] } });
    await waitFor(() => expect(screen.getByText(/Verification at level checksum passed/)).toBeInTheDocument(), { timeout: 5000 });
  });

  it('deletes after confirmation and returns to the list', async () => {
    setRole('Admin');
    mockBackendSrv({
      [MANIFEST]: ok(manifest()),
      [LOG_URL]: ok({ lines: LOG }),
      [`DELETE ${agentPath(`/api/v1/backups/${ID}`)}`]: ok({ deleted: ID, freedBytes: 1 }),
      [`GET ${agentPath('/api/v1/backups')}`]: ok({ backups: [] }),
      [`GET ${agentPath('/api/v1/targets')}`]: ok({ targets: [] }),
    });
    renderApp(`backup/0/${ID}`);
    await userEvent.click(await screen.findByRole('button', { name: /delete/i }));
    await confirmDialog('Delete');
    expect(await screen.findByText('No backups yet')).toBeInTheDocument();
  });

  it('says when the backup does not exist', async () => {
    mockBackendSrv({ [MANIFEST]: agentError(404, 'not_found', 'unknown backup'), [LOG_URL]: agentError(404, 'not_found', 'x') });
    renderApp(`backup/0/${ID}`);
    expect(await screen.findByText(`Backup ${ID} does not exist on db-host-1`)).toBeInTheDocument();
  });

  it('explains an unreachable agent', async () => {
    mockBackendSrv({ [MANIFEST]: network, [LOG_URL]: network });
    renderApp(`backup/0/${ID}`);
    expect(await screen.findByText('Cannot reach agent "db-host-1"')).toBeInTheDocument();
  });

  it('says when the link names an agent that is gone', async () => {
    mockBackendSrv({});
    renderApp(`backup/6/${ID}`);
    expect(await screen.findByText('This link names an agent that is not configured')).toBeInTheDocument();
  });
});
