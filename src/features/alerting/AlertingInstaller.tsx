import { Alert, LinkButton, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { useMemo } from 'react';
import { DATASOURCE_UID, RULE_FOLDER } from './grafanaRules';
import { useAlertingInstall } from './useAlertingInstall';
import { ContactForm } from './ContactForm';
import { prefill } from './contactValues';
import { GrafanaErrorAlert } from './GrafanaErrorAlert';
import { InstallResult } from './InstallResult';
import { RoutingTable } from './RoutingTable';
import { StatusTable } from './StatusTable';

interface Props {
  /** org admins install; everyone else sees the status when Grafana lets them read it */
  canInstall: boolean;
}

/** Warden's alert rules, contact points, template and policy branch: what is here, and installing them. */
export function AlertingInstaller({ canInstall }: Props) {
  const { snapshot, items, report, install, installing } = useAlertingInstall();
  const contactPoints = snapshot.value?.contactPoints;
  const initial = useMemo(() => contactPoints && prefill(contactPoints), [contactPoints]);

  return (
    <Stack direction="column" gap={3}>
      <Text element="p">
        Warden&apos;s alert rules query the agents&apos; metrics in the Prometheus data source with uid{' '}
        <code>{DATASOURCE_UID}</code> and live in the folder “{RULE_FOLDER.title}”. Every alert carries a{' '}
        <code>severity</code> label; a branch of the notification policies sends each severity to its contact points,
        with Warden&apos;s message template. Everything installed here stays editable in Grafana.
      </Text>
      {!canInstall && (
        <Alert severity="info" title="Only organization admins can install Warden's alerting">
          Installing writes alert rules, contact points and notification policies, which Grafana leaves to admins of the
          organization. Ask one to open this page, or to provision the files under <code>provisioning/alerting</code>.
        </Alert>
      )}
      <section aria-label="What this Grafana has">
        <Stack direction="column" gap={1}>
          <Text element="h3" variant="h4">
            What this Grafana has
          </Text>
          {snapshot.loading && <LoadingPlaceholder text="Reading Grafana's alerting…" />}
          {snapshot.error !== undefined && (
            <GrafanaErrorAlert error={snapshot.error} context="Reading Grafana's alerting" onRetry={snapshot.reload} />
          )}
          {items && <StatusTable items={items} />}
        </Stack>
      </section>
      <section aria-label="Where alerts go">
        <Stack direction="column" gap={1}>
          <Text element="h3" variant="h4">
            Where alerts go
          </Text>
          <RoutingTable />
        </Stack>
      </section>
      {canInstall && initial && (
        <section aria-label="Install">
          <Stack direction="column" gap={1}>
            <Text element="h3" variant="h4">
              Install or update
            </Text>
            <ContactForm initial={initial.values} stored={initial.stored} installing={installing} onInstall={install} />
            {report && <InstallResult report={report} />}
          </Stack>
        </section>
      )}
      <Stack direction="row" gap={1}>
        <LinkButton href="/alerting/list" icon="bell" variant="secondary">
          Grafana alert rules
        </LinkButton>
        <LinkButton href="/alerting/notifications" icon="envelope" variant="secondary">
          Contact points
        </LinkButton>
      </Stack>
    </Stack>
  );
}
