import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toJsonData } from '../../shared/api/settings';
import type { Progress } from '../../../backend/src/contract/index.js';
import { agentError, agentPath, mockBackendSrv, network, ok } from '../../test/backendSrv';
import { FakeEventSource } from '../../test/eventSource';
import { AGENT, backup, failingTarget, target } from '../../test/fixtures';
import { confirmDialog, renderApp, setRole } from '../../test/render';

const TARGETS = `GET ${agentPath('/api/v1/targets')}`;

const runningShop = (progress: Progress | null) =>
  target({ state: 'running', running: { id: 'r1', kind: 'backup', startedAt: new Date().toISOString(), progress } });

describe('Overview page', () => {
  beforeEach(() => setRole('Editor'));
  afterEach(() => vi.unstubAllGlobals());

  it('asks to connect an agent when none is configured', async () => {
    mockBackendSrv({});
    renderApp('overview', {});
    expect(await screen.findByText('No Warden agent is connected yet')).toBeInTheDocument();
  });

  it('lists the targets of the agent', async () => {
    mockBackendSrv({ [TARGETS]: ok({ targets: [target(), failingTarget()] }) });
    renderApp('overview');
    expect(await screen.findByText('shop')).toBeInTheDocument();
    expect(screen.getByText('crm')).toBeInTheDocument();
    expect(screen.getByText('Failing')).toBeInTheDocument();
    expect(screen.getByText(/Fix the credentials/)).toBeInTheDocument();
  });

  it('shows one section per agent when there are several', async () => {
    mockBackendSrv({
      [TARGETS]: ok({ targets: [target()] }),
      [`GET ${agentPath('/api/v1/targets', 1)}`]: ok({ targets: [failingTarget()] }),
    });
    renderApp('overview', toJsonData([AGENT, { slot: 1, name: 'db-host-2', url: 'http://b:9207' }]));
    const second = await screen.findByRole('region', { name: 'Agent db-host-2' });
    expect(await within(second).findByText('crm')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Agent db-host-1' })).getByText('shop')).toBeInTheDocument();
  });

  it("shows each agent's health and version, and links to the bundled dashboard", async () => {
    mockBackendSrv({
      [TARGETS]: ok({ targets: [target()] }),
      [`GET ${agentPath('/healthz')}`]: ok({ status: 'ok' }),
      [`GET ${agentPath('/readyz')}`]: ok({ status: 'ready' }),
      [`GET ${agentPath('/api/v1/agent')}`]: ok({ version: '0.1.0', configFile: '/etc/warden.yaml', startedAt: new Date().toISOString() }),
      [`GET ${agentPath('/healthz', 1)}`]: network,
    });
    renderApp('overview', toJsonData([AGENT, { slot: 1, name: 'db-host-2', url: 'http://b:9207' }]));
    const first = within(await screen.findByRole('group', { name: 'Health of agent db-host-1' }));
    expect(first.getByText('Ready')).toBeInTheDocument();
    expect(first.getByText(/Warden 0\.1\.0 · started/)).toHaveTextContent('Warden 0.1.0 · started just now');
    const second = within(await screen.findByRole('group', { name: 'Health of agent db-host-2' }));
    expect(second.getByText('Not answering')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /MySQL backups dashboard/ })).toHaveAttribute('href', '/d/warden-mysql-backups');
  });

  it('says when the agent has no targets', async () => {
    mockBackendSrv({ [TARGETS]: ok({ targets: [] }) });
    renderApp('overview');
    expect(await screen.findByText('Agent "db-host-1" has no targets yet')).toBeInTheDocument();
  });

  it('explains an unreachable agent and retries', async () => {
    const calls = mockBackendSrv({ [TARGETS]: network });
    renderApp('overview');
    expect(await screen.findByText('Cannot reach agent "db-host-1"')).toBeInTheDocument();
    mockBackendSrv({ [TARGETS]: ok({ targets: [target()] }) });
    await userEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(await screen.findByText('shop')).toBeInTheDocument();
    expect(calls.filter((c) => c.url === agentPath('/api/v1/targets'))).toHaveLength(1);
  });

  it('explains a rejected token', async () => {
    mockBackendSrv({ [TARGETS]: agentError(401, 'unauthorized', 'invalid token') });
    renderApp('overview');
    expect(await screen.findByText('Agent "db-host-1" rejected the API token')).toBeInTheDocument();
  });

  it('backs up now and follows the run live over the event stream', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    let targets = [target()];
    mockBackendSrv({
      [TARGETS]: () => ok({ targets }),
      [`POST ${agentPath('/api/v1/targets/shop/backups')}`]: ok({ id: 'r1', target: 'shop' }),
    });
    renderApp('overview');
    await userEvent.click(await screen.findByRole('button', { name: 'Back up shop now' }));
    targets = [runningShop(null)];
    await confirmDialog('Back up now');
    expect(await screen.findByText('Running')).toBeInTheDocument();

    const source = FakeEventSource.last!;
    act(() => {
      source.onopen?.();
      source.emit('run-progress', {
        id: 'r1',
        target: 'shop',
        progress: { rawBytes: 5 * 1024 * 1024, bytes: 1024 * 1024, tablesDone: 1, tablesTotal: 4, currentTable: 'shop.orders' },
      });
    });
    expect(screen.getByTestId('run-progress')).toHaveTextContent('1 of 4 tables · shop.orders');
    const section = within(screen.getByRole('region', { name: 'Agent db-host-1' }));
    expect(section.getByText('Live')).toBeInTheDocument();
    act(() => source.onerror?.());
    expect(await section.findByText('Reconnecting')).toBeInTheDocument();
    act(() => source.onopen?.());

    targets = [target({ lastSuccess: backup({ id: 'r1', finishedAt: new Date().toISOString() }) })];
    act(() => source.emit('run-finished', { id: 'r1', target: 'shop', kind: 'backup', status: 'success', class: 'none' }));
    await waitFor(() => expect(screen.getByText('OK')).toBeInTheDocument());
    expect(screen.getByTestId('freshness')).toHaveTextContent('just now');
  });

  it('polls while a run is going when the event stream is unavailable', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let targets = [runningShop(null)];
    const calls = mockBackendSrv({ [TARGETS]: () => ok({ targets }) });
    renderApp('overview');
    expect(await screen.findByText('Running')).toBeInTheDocument();
    targets = [target()];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2_500);
    });
    expect(await screen.findByText('OK')).toBeInTheDocument();
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });
});
