import { EmptyState, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { PluginPage } from '@grafana/runtime';
import type { AgentConfig } from '../../shared/api/settings';
import { ErrorAlert } from '../../shared/components/ErrorAlert';
import { TargetsTable } from '../targets/TargetsTable';
import { useAgents, useClient } from '../agents/agents';
import { useTargets } from '../targets/useTargets';
import { AgentsGate } from '../agents/AgentsGate';

/** Every target of every agent at a glance. */
export function OverviewPage() {
  const agents = useAgents();
  return (
    <PluginPage>
      <AgentsGate agents={agents}>
        {(list) => (
          <Stack direction="column" gap={3}>
            {list.map((agent) => (
              <AgentTargets key={agent.slot} agent={agent} showName={list.length > 1} />
            ))}
          </Stack>
        )}
      </AgentsGate>
    </PluginPage>
  );
}

function AgentTargets({ agent, showName }: { agent: AgentConfig; showName: boolean }) {
  const client = useClient(agent);
  const targets = useTargets(client);
  return (
    <section aria-label={`Agent ${agent.name}`}>
      {showName && (
        <Text element="h3" variant="h4">
          {agent.name}
        </Text>
      )}
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
