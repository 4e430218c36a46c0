import { config } from '@grafana/runtime';

/** Starting, verifying and deleting backups are mutations: the plugin routes require Editor for them. */
export function canEdit(): boolean {
  const role = config.bootData?.user?.orgRole;
  return role === 'Editor' || role === 'Admin';
}
