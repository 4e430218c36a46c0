import { EmptyState, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { PluginPage } from '@grafana/runtime';
import { useSearchParams } from 'react-router-dom';
import type { AgentConfig } from '../../shared/api/settings';
import type { RunStatus } from '../../../backend/src/contract/index.js';
import { AgentPicker } from '../agents/AgentPicker';
import { BackupFilters, type Filter } from './BackupFilters';
import { BackupsTable } from './BackupsTable';
import { ErrorAlert } from '../../shared/components/ErrorAlert';
import { appUrl, ROUTES } from '../../constants';
import { useAgents, useClient } from '../agents/agents';
import { useAsync } from '../../shared/hooks/useAsync';
import { useBackups } from './useBackups';
import { AgentsGate } from '../agents/AgentsGate';

/** The inventory of one agent, filtered by target and status; the choice lives in the URL. */
export function BackupsPage() {
  const agents = useAgents();
  return (
    <PluginPage>
      <AgentsGate agents={agents}>{(list) => <AgentBackups agents={list} />}</AgentsGate>
    </PluginPage>
  );
}

function AgentBackups({ agents }: { agents: AgentConfig[] }) {
  const [params, setParams] = useSearchParams();
  const agent = agents.find((a) => String(a.slot) === params.get('agent')) ?? agents[0]!;
  const filter: Filter = {
    target: params.get('target') ?? undefined,
    status: (params.get('status') as RunStatus | null) ?? undefined,
  };
  const client = useClient(agent);
  const backups = useBackups(client, filter);
  const targets = useAsync(() => client.listTargets(), [client]);
  const targetNames = targets.value?.map((t) => t.name) ?? [...new Set(backups.value?.map((b) => b.target))];

  const update = (next: { agent?: number } & Filter) => {
    const merged = { agent: agent.slot, ...filter, ...next };
    setParams(
      Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])),
    );
  };

  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} wrap="wrap">
        <AgentPicker agents={agents} slot={agent.slot} onChange={(slot) => update({ agent: slot, target: undefined })} />
        <BackupFilters targets={targetNames} value={filter} onChange={(f) => update({ target: f.target, status: f.status })} />
      </Stack>
      {backups.loading ? (
        <LoadingPlaceholder text={`Loading backups from ${agent.name}…`} />
      ) : backups.error !== undefined && !backups.value ? (
        <ErrorAlert error={backups.error} agent={agent} onRetry={backups.reload} />
      ) : backups.value?.length === 0 ? (
        <NoBackups filtered={filter.target !== undefined || filter.status !== undefined} />
      ) : (
        <BackupsTable slot={agent.slot} backups={backups.value ?? []} />
      )}
    </Stack>
  );
}

function NoBackups({ filtered }: { filtered: boolean }) {
  if (filtered) return <EmptyState variant="not-found" message="No backups match these filters" />;
  return (
    <EmptyState
      variant="call-to-action"
      message="No backups yet"
      button={<LinkButton href={appUrl(ROUTES.overview)}>Go to the overview</LinkButton>}
    >
      Press “Back up now” on a target in the overview, or wait for its schedule.
    </EmptyState>
  );
}
