export const PLUGIN_ID = 'warden-mysqlbackup-app';
export const APP_BASE_URL = `/a/${PLUGIN_ID}`;
export const CONFIG_PAGE_URL = `/plugins/${PLUGIN_ID}`;

/** Pages of the app, relative to APP_BASE_URL (react-router paths). */
export const ROUTES = {
  overview: 'overview',
  backups: 'backups',
  backup: 'backup',
  alerts: 'alerts',
} as const;

export function appUrl(...segments: Array<string | number>): string {
  return [APP_BASE_URL, ...segments.map((s) => encodeURIComponent(String(s)))].join('/');
}

export function backupUrl(slot: number, id: string): string {
  return appUrl(ROUTES.backup, slot, id);
}
