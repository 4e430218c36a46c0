import { Badge, Stack, Text } from '@grafana/ui';
import type { AgentClient } from '../../shared/api/client';
import { describeError } from '../../shared/api/errors';
import { formatRelative, formatTime } from '../../shared/utils/format';
import { useAgentStatus } from './useAgentStatus';

/** One line on an agent: whether it answers and is ready (with its problems), its version and start. */
export function AgentStatus({ client }: { client: AgentClient }) {
  const status = useAgentStatus(client);
  const label = `Health of agent ${client.agent.name}`;
  if (status.loading) {
    return (
      <Text variant="bodySmall" color="secondary">
        Checking the agent…
      </Text>
    );
  }
  if (status.error !== undefined || !status.value) {
    const { title, hint } = describeError(status.error, client.agent);
    return (
      <div role="group" aria-label={label}>
        <Badge text="Not answering" color="red" icon="exclamation-triangle" tooltip={`${title}. ${hint}`} />
      </div>
    );
  }
  const { ready, problems, info } = status.value;
  return (
    <div role="group" aria-label={label}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        {ready ? (
          <Badge text="Ready" color="green" icon="heart" tooltip="It answers /healthz and /readyz." />
        ) : (
          <Badge text="Not ready" color="orange" icon="exclamation-triangle" tooltip="It answers /healthz, but /readyz reports problems." />
        )}
        <Text variant="bodySmall" color="secondary">
          {info ? (
            <>
              Warden {info.version} · started <span title={formatTime(info.startedAt)}>{formatRelative(info.startedAt)}</span>
            </>
          ) : (
            'version unknown'
          )}
        </Text>
      </Stack>
      {problems.length > 0 && (
        <ul aria-label="Problems">
          {problems.map((problem) => (
            <li key={problem}>
              <Text variant="bodySmall" color="warning">
                {problem}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
