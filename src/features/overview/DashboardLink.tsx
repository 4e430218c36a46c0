import { config } from '@grafana/runtime';
import { LinkButton } from '@grafana/ui';

/** The uid of the bundled dashboard (src/dashboards/mysql-backups.json; its test checks they agree). */
export const DASHBOARD_UID = 'warden-mysql-backups';

/** Under Grafana's sub-path when it is served from one (root_url such as https://host/grafana/). */
export function dashboardUrl(): string {
  return `${config.appSubUrl ?? ''}/d/${DASHBOARD_UID}`;
}

/** The bundled dashboard of the agents' Prometheus metrics. */
export function DashboardLink() {
  return (
    <LinkButton href={dashboardUrl()} variant="secondary" size="sm" icon="apps">
      MySQL backups dashboard
    </LinkButton>
  );
}
