import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockBackendSrv } from '../test/backendSrv';
import { renderApp } from '../test/render';

describe('Alerts page', () => {
  it('says plainly that alert rules are not installed yet and what to use meanwhile', async () => {
    mockBackendSrv({});
    renderApp('alerts');
    expect(await screen.findByText('Alert rules are not installed by this version')).toBeInTheDocument();
    expect(screen.getByText(/nothing here pages anyone/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /open the dashboard/i })).toHaveAttribute('href', '/d/warden-mysql-backups');
  });
});
