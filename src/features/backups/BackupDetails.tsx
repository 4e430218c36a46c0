import { Alert, EmptyState, LinkButton, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { PluginPage } from '@grafana/runtime';
import { useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { toAgentError } from '../../shared/api/errors';
import type { AgentConfig } from '../../shared/api/settings';
import type { Manifest } from '../../../backend/src/contract/index.js';
import { Attempts } from './Attempts';
import { BackupFacts } from './BackupFacts';
import { OffsiteBadge, RunStatusBadge, VerificationBadge } from '../../shared/components/Badges';
import { DeleteBackupButton } from './DeleteBackupButton';
import { ErrorAlert } from '../../shared/components/ErrorAlert';
import { FailureSummary } from '../../shared/components/FailureSummary';
import { RestoreCommand } from './RestoreCommand';
import { RunLog } from './RunLog';
import { TablesTable } from './TablesTable';
import { VerifyControls } from './VerifyControls';
import { appUrl, ROUTES } from '../../constants';
import { useAgents, useClient } from '../agents/agents';
import { useAsync } from '../../shared/hooks/useAsync';
import { useBackupDetails } from './useBackups';
import { formatDuration, formatRelative } from '../../shared/utils/format';
import { AgentsGate } from '../agents/AgentsGate';

const backupsUrl = (slot: number) => `${appUrl(ROUTES.backups)}?agent=${slot}`;

/** One backup: its manifest, verification, attempts and log; verify, delete, or copy the restore command. */
export function BackupDetailsPage() {
  const { slot, id = '' } = useParams();
  const agents = useAgents();
  return (
    <PluginPage pageNav={{ text: id }}>
      <AgentsGate agents={agents}>
        {(list) => {
          const agent = list.find((a) => String(a.slot) === slot);
          return agent ? (
            <Details agent={agent} id={id} />
          ) : (
            <Alert severity="warning" title="This link names an agent that is not configured">
              Agent slot {slot} has no agent in the app configuration; it may have been removed.
            </Alert>
          );
        }}
      </AgentsGate>
    </PluginPage>
  );
}

function Details({ agent, id }: { agent: AgentConfig; id: string }) {
  const client = useClient(agent);
  const navigate = useNavigate();
  // The verification time before a verify was started: poll until the manifest records a new one.
  const [verifyingFrom, setVerifyingFrom] = useState<string | null>();
  const { manifest, log, offsite, reload } = useBackupDetails(client, id, verifyingFrom !== undefined);
  // Only for the restore command: without it (an older agent, an error) the command has a placeholder.
  const about = useAsync(() => client.agentInfo(), [client]);
  const configFile = typeof about.value?.configFile === 'string' ? about.value.configFile : null;
  const m = manifest.value;
  if (verifyingFrom !== undefined && m && (m.verification?.at ?? null) !== verifyingFrom) setVerifyingFrom(undefined);

  if (manifest.loading) return <LoadingPlaceholder text={`Loading backup ${id}…`} />;
  if (!m) {
    return toAgentError(manifest.error).kind === 'not_found' ? (
      <EmptyState
        variant="not-found"
        message={`Backup ${id} does not exist on ${agent.name}`}
        button={<LinkButton href={backupsUrl(agent.slot)}>All backups</LinkButton>}
      >
        It may have been deleted by retention or by hand.
      </EmptyState>
    ) : (
      <ErrorAlert error={manifest.error} agent={agent} onRetry={reload} />
    );
  }

  const verifiable = m.status === 'success' || m.status === 'partial';
  return (
    <Stack direction="column" gap={3}>
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap" justifyContent="space-between">
        <Stack direction="row" gap={1} alignItems="center">
          <RunStatusBadge status={m.status} />
          <VerificationBadge verification={m.verification ?? null} />
          {offsite.value && <OffsiteBadge offsite={offsite.value} />}
          <Text color="secondary">
            {m.target} · {formatRelative(m.startedAt)}
          </Text>
        </Stack>
        <Stack direction="row" gap={2} alignItems="flex-start">
          <VerifyControls
            client={client}
            backupId={m.id}
            disabled={!verifiable || verifyingFrom !== undefined}
            onStarted={() => setVerifyingFrom(m.verification?.at ?? null)}
          />
          <DeleteBackupButton client={client} backupId={m.id} onDeleted={() => navigate(backupsUrl(agent.slot))} />
        </Stack>
      </Stack>
      {verifyingFrom !== undefined && <LoadingPlaceholder text="Verification running…" />}
      {m.error && (
        <Alert severity="error" title={`This run ended ${m.status}: ${m.error.class}`}>
          <FailureSummary failure={m.error} />
        </Alert>
      )}
      <VerificationResult manifest={m} />
      <Section title="Restore">
        {about.loading ? (
          <LoadingPlaceholder text="Asking the agent for its configuration file…" />
        ) : (
          <RestoreCommand id={m.id} target={m.target} databases={m.databases} configFile={configFile} />
        )}
      </Section>
      <Section title="Backup">
        <BackupFacts manifest={m} />
      </Section>
      <Section title={`Tables (${m.tables.length})`}>
        {m.tables.length ? <TablesTable tables={m.tables} /> : <Text color="secondary">No table was dumped.</Text>}
      </Section>
      <Section title={`Attempts (${m.attempts.length})`}>
        <Attempts attempts={m.attempts} />
      </Section>
      <Section title="Log">
        {log.loading ? (
          <LoadingPlaceholder text="Loading the log…" />
        ) : log.value ? (
          <RunLog lines={log.value} />
        ) : (
          <ErrorAlert error={log.error} agent={agent} onRetry={log.reload} />
        )}
      </Section>
    </Stack>
  );
}

function VerificationResult({ manifest: m }: { manifest: Manifest }) {
  const v = m.verification;
  if (!v) return null;
  const restore = v.restoreSeconds !== null ? ` Restore took ${formatDuration(v.restoreSeconds)} (the measured RTO).` : '';
  return (
    <Alert
      severity={v.ok ? 'success' : 'error'}
      title={`Verification at level ${v.level} ${v.ok ? 'passed' : 'failed'} ${formatRelative(v.at)}`}
    >
      {restore}
      {v.problems.length > 0 && (
        <ul>
          {v.problems.map((p, i) => (
            <li key={i}>
              {p.kind}
              {p.table && ` (${p.table})`}: {p.detail}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Text element="h3" variant="h4">
        {title}
      </Text>
      {children}
    </section>
  );
}
