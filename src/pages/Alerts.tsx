import { Alert, LinkButton, Stack, Text } from '@grafana/ui';
import { PluginPage } from '@grafana/runtime';
import { DASHBOARD_URL } from '../constants';

/** Alerting is not shipped yet; say so, and say what to use meanwhile. */
export function AlertsPage() {
  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <Alert severity="info" title="Alert rules are not installed by this version">
          Warden&apos;s alert rules come with the alerting work: Grafana-managed rules provisioned from files (a backup
          failed, the newest good backup is older than its RPO, a verification failed, the repository runs out of space,
          a schedule stopped), labelled with a <code>severity</code> that notification policies route to email, DingTalk or
          webhook contact points, plus an installer that sets them up. None of that is in place yet, so nothing here pages
          anyone.
        </Alert>
        <Text element="p">
          Until then, the bundled “MySQL backups” dashboard shows the same signals from the agents&apos; Prometheus
          metrics, and Grafana alert rules can be built on its queries by hand.
        </Text>
        <Stack direction="row" gap={1}>
          <LinkButton href={DASHBOARD_URL} icon="apps" variant="secondary">
            Open the dashboard
          </LinkButton>
          <LinkButton href="/alerting/list" icon="bell" variant="secondary">
            Grafana alert rules
          </LinkButton>
        </Stack>
      </Stack>
    </PluginPage>
  );
}
