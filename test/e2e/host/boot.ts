// What Grafana's index.html puts on window before any of its code runs. The server writes the
// user's role and time zone into the page (window.__e2eRole, __e2eTimezone), as Grafana renders
// bootData per request.
declare global {
  interface Window {
    __e2eRole?: 'Viewer' | 'Editor' | 'Admin';
    /** the user's time zone preference: an IANA name, 'utc', 'browser', or '' when unset */
    __e2eTimezone?: string;
    grafanaBootData?: unknown;
  }
}

window.grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: { appSubUrl: '', appUrl: `${window.location.origin}/`, buildInfo: { version: '12.4.0', commit: 'e2e', env: 'production' } },
  user: { id: 1, login: 'e2e', isSignedIn: true, orgId: 1, orgRole: window.__e2eRole ?? 'Viewer', theme: 'dark', regionalFormat: 'en-US', timezone: window.__e2eTimezone ?? '' },
  navTree: [],
};

export {};
