import { config } from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import dashboard from '../../dashboards/mysql-backups.json';
import { DASHBOARD_UID, DashboardLink } from './DashboardLink';

describe('DashboardLink', () => {
  const appSubUrl = config.appSubUrl;
  afterEach(() => {
    config.appSubUrl = appSubUrl;
  });

  it('names the bundled dashboard by its uid', () => {
    expect(DASHBOARD_UID).toBe(dashboard.uid);
  });

  it("links under Grafana's sub-path", () => {
    config.appSubUrl = '/grafana';
    render(<DashboardLink />);
    expect(screen.getByRole('link', { name: /MySQL backups dashboard/ })).toHaveAttribute('href', '/grafana/d/warden-mysql-backups');
  });
});
