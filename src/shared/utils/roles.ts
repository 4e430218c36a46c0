import { config } from '@grafana/runtime';

/** Starting and verifying backups are mutations: the plugin routes require Editor for them. */
export function canEdit(): boolean {
  const role = config.bootData?.user?.orgRole;
  return role === 'Editor' || role === 'Admin';
}

/** Alerting provisioning is an org admin's business in Grafana's default roles; deleting a backup too (plugin.json). */
export function isOrgAdmin(): boolean {
  return config.bootData?.user?.orgRole === 'Admin';
}
