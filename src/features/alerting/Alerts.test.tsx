import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES } from './rules';
import { fakeAlertingGrafana } from '../../test/fakeAlertingGrafana';
import { status } from '../../test/backendSrv';
import { renderApp, setRole } from '../../test/render';

const ADMINS_ONLY = "Only organization admins can install Warden's alerting";

describe('Alerts page', () => {
  it('gives an org admin the status and the installer', async () => {
    setRole('Admin');
    fakeAlertingGrafana();
    renderApp('alerts');
    expect(await screen.findByText(ALERT_RULES[0]!.title)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Install alerting' })).toBeInTheDocument();
    expect(screen.queryByText(ADMINS_ONLY)).not.toBeInTheDocument();
  });

  it.each(['Editor', 'Viewer'] as const)('shows an %s the status read-only, with no install button', async (role) => {
    setRole(role);
    const grafana = fakeAlertingGrafana();
    renderApp('alerts');
    expect(await screen.findByText(ALERT_RULES[0]!.title)).toBeInTheDocument();
    expect(screen.getByText(ADMINS_ONLY)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Install alerting' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/^E-mail addresses/)).not.toBeInTheDocument();
    expect(grafana.writes()).toEqual([]);
  });

  it('explains, rather than fails, when Grafana does not let a viewer read alerting', async () => {
    setRole('Viewer');
    fakeAlertingGrafana({}, { 'GET /api/v1/provisioning/policies': status(403, { message: 'You do not have permission' }) });
    renderApp('alerts');
    expect(await screen.findByText("Reading Grafana's alerting: Your role does not allow this")).toBeInTheDocument();
    expect(screen.getByText(ADMINS_ONLY)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Install alerting' })).not.toBeInTheDocument();
  });
});
