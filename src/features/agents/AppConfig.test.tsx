import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { toJsonData, type AppJsonData } from '../../shared/api/settings';
import { mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT } from '../../test/fixtures';
import { AppConfig } from './AppConfig';
import { isDisabled } from '../../test/render';

const SAVE = 'POST /api/plugins/warden-mysqlbackup-app/settings';

function renderConfig(jsonData: AppJsonData = toJsonData([AGENT]), secureJsonFields: Record<string, boolean> = { agent0Token: true }) {
  const plugin = { meta: { id: 'warden-mysqlbackup-app', enabled: true, jsonData, secureJsonFields } } as unknown as PluginConfigPageProps<
    AppPluginMeta<AppJsonData>
  >['plugin'];
  const reload = vi.fn();
  render(<AppConfig plugin={plugin} query={{}} reload={reload} />);
  return reload;
}

const saved = (calls: Array<{ url: string; data?: unknown }>) => calls.find((c) => c.url.endsWith('/settings'))!.data as {
  jsonData: AppJsonData;
  secureJsonData: Record<string, string>;
};

describe('AppConfig', () => {
  it('shows saved agents with their token as configured, never its value', () => {
    mockBackendSrv({});
    renderConfig();
    expect(screen.getByLabelText(/^Name/)).toHaveValue('db-host-1');
    expect(screen.getByLabelText(/^URL/)).toHaveValue('http://10.0.0.5:9207');
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
  });

  it('adds an agent in the next slot, keeps saved tokens and reloads', async () => {
    const calls = mockBackendSrv({ [SAVE]: ok({}) });
    const reload = renderConfig();
    await userEvent.click(screen.getByRole('button', { name: /add agent/i }));
    const names = screen.getAllByLabelText(/^Name/);
    await userEvent.type(names[1]!, 'db-host-2');
    await userEvent.type(screen.getAllByLabelText(/^URL/)[1]!, 'http://db2:9207/');
    await userEvent.type(screen.getAllByLabelText(/^API token/)[1]!, 's3cret');
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(reload).toHaveBeenCalled());
    const body = saved(calls);
    expect(body.jsonData).toEqual(
      toJsonData([AGENT, { slot: 1, name: 'db-host-2', url: 'http://db2:9207' }]),
    );
    expect(body.secureJsonData).toEqual({ agent1Token: 's3cret' });
  });

  it('clears the token of a removed agent', async () => {
    const calls = mockBackendSrv({ [SAVE]: ok({}) });
    renderConfig();
    await userEvent.click(screen.getByRole('button', { name: /remove/i }));
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(saved(calls)).toMatchObject({ jsonData: { agents: [] }, secureJsonData: { agent0Token: '' } });
  });

  it('resets a saved token', async () => {
    const calls = mockBackendSrv({ [SAVE]: ok({}) });
    renderConfig();
    await userEvent.click(screen.getByRole('button', { name: /reset/i }));
    await userEvent.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(saved(calls).secureJsonData).toEqual({ agent0Token: '' });
  });

  it('refuses to save an agent without a valid URL', async () => {
    mockBackendSrv({});
    renderConfig({});
    await userEvent.click(screen.getByRole('button', { name: /add agent/i }));
    await userEvent.type(screen.getByLabelText(/^Name/), 'x');
    await userEvent.type(screen.getByLabelText(/^URL/), 'db:9207');
    expect(screen.getByText('Every agent needs an http:// or https:// URL.')).toBeInTheDocument();
    expect(isDisabled(screen.getByRole('button', { name: /save/i }))).toBe(true);
  });

  it('asks to save before testing a changed URL', async () => {
    mockBackendSrv({});
    renderConfig();
    await userEvent.type(screen.getByLabelText(/^URL/), '0');
    expect(isDisabled(screen.getByRole('button', { name: /test connection/i }))).toBe(true);
  });
});
