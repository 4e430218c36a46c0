import { PluginPage } from '@grafana/runtime';
import { AlertingInstaller } from '../components/AlertingInstaller/AlertingInstaller';
import { isOrgAdmin } from '../utils/roles';

/** Warden's alerting in this Grafana: its state for everyone, the installer for org admins. */
export function AlertsPage() {
  return (
    <PluginPage>
      <AlertingInstaller canInstall={isOrgAdmin()} />
    </PluginPage>
  );
}
