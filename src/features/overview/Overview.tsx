import { EmptyState, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { PluginPage } from '@grafana/runtime';
import type { AgentConfig } from '../../shared/api/settings';
import { ErrorAlert } from '../../shared/components/ErrorAlert';
import { StreamBadge } from '../../shared/components/Badges';
import { useAgentStream } from '../../shared/hooks/useAgentEvents';
import { TargetsTable } from '../targets/TargetsTable';
import { useAgents, useClient } from '../agents/agents';
import { useTargets } from '../targets/useTargets';
import { AgentsGate } from '../agents/AgentsGate';
import { AgentStatus } from '../agents/AgentStatus';
import { DashboardLink } from './DashboardLink';

/** Every target of every agent at a glance. */
export function OverviewPage() {
  const agents = useAgents();
  return (
    <PluginPage>
      <AgentsGate agents={agents}>
        {(list) => (
          <Stack direction="column" gap={3}>
            <Stack direction="row" justifyContent="flex-end">
              <DashboardLink />
            </Stack>
            {list.map((agent) => (
              <AgentTargets key={agent.slot} agent={agent} />
            ))}
          </Stack>
        )}
      </AgentsGate>
    </PluginPage>
  );
}

function AgentTargets({ agent }: { agent: AgentConfig }) {
  const client = useClient(agent);
  const targets = useTargets(client);
  const stream = useAgentStream(client);
  return (
    <section aria-label={`Agent ${agent.name}`}>
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <Text element="h3" variant="h4">
          {agent.name}
        </Text>
        <AgentStatus client={client} />
        <StreamBadge state={stream} />
      </Stack>
      {targets.loading ? (
        <LoadingPlaceholder text={`Loading targets from ${agent.name}…`} />
      ) : targets.error !== undefined && !targets.value ? (
        <ErrorAlert error={targets.error} agent={agent} onRetry={targets.reload} />
      ) : targets.value?.length === 0 ? (
        <EmptyState variant="call-to-action" message={`Agent "${agent.name}" has no targets yet`}>
          Add your databases under <code>targets:</code> in the agent&apos;s configuration file and restart{' '}
          <code>warden serve</code>.
        </EmptyState>
      ) : (
        <>
          {targets.error !== undefined && <ErrorAlert error={targets.error} agent={agent} onRetry={targets.reload} />}
          <TargetsTable client={client} targets={targets.value ?? []} onChanged={targets.reload} />
        </>
      )}
    </section>
  );
}
