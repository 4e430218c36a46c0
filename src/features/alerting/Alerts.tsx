import { PluginPage } from '@grafana/runtime';
import { AlertingInstaller } from './AlertingInstaller';
import { isOrgAdmin } from '../../shared/utils/roles';

/** Warden's alerting in this Grafana: its state for everyone, the installer for org admins. */
export function AlertsPage() {
  return (
    <PluginPage>
      <AlertingInstaller canInstall={isOrgAdmin()} />
    </PluginPage>
  );
}
