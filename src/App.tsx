import type { AppRootProps } from '@grafana/data';
import { useMemo } from 'react';
import { Route, Routes } from 'react-router-dom';
import { agentsFromJsonData, type AppJsonData } from './shared/api/settings';
import { ROUTES } from './constants';
import { AgentsProvider } from './features/agents/agents';
import { AlertsPage } from './features/alerting/Alerts';
import { BackupDetailsPage } from './features/backups/BackupDetails';
import { BackupsPage } from './features/backups/Backups';
import { OverviewPage } from './features/overview/Overview';

/** The app root: Grafana mounts it under /a/<plugin id>/, so routes are relative to that. */
export function App({ meta }: AppRootProps<AppJsonData>) {
  const agents = useMemo(() => agentsFromJsonData(meta.jsonData), [meta.jsonData]);
  return (
    <AgentsProvider value={agents}>
      <Routes>
        <Route path={ROUTES.backups} element={<BackupsPage />} />
        <Route path={`${ROUTES.backup}/:slot/:id`} element={<BackupDetailsPage />} />
        {/* Org admins only: Grafana lists the page in their menu alone (plugin.json `role`,
            pkg/services/navtree/navtreeimpl/applinks.go) and refuses its URL to others on a page
            load (pkg/middleware/auth.go, RoleAppPluginAuth). Anyone reaching it otherwise is told why. */}
        <Route path={ROUTES.alerts} element={<AlertsPage />} />
        <Route path="*" element={<OverviewPage />} />
      </Routes>
    </AgentsProvider>
  );
}
