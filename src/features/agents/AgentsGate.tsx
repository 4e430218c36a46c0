import { LoadingPlaceholder } from '@grafana/ui';
import type { ReactNode } from 'react';
import type { AgentConfig } from '../../shared/api/settings';
import { ErrorAlert } from '../../shared/components/ErrorAlert';
import { NoAgents } from './NoAgents';
import type { AsyncState } from '../../shared/hooks/useAsync';

interface Props {
  agents: AsyncState<AgentConfig[]>;
  children: (agents: AgentConfig[]) => ReactNode;
}

/** Renders its children only once there is at least one agent; says what to do otherwise. */
export function AgentsGate({ agents, children }: Props) {
  if (agents.loading) return <LoadingPlaceholder text="Loading the app's settings…" />;
  if (agents.error !== undefined) return <ErrorAlert error={agents.error} onRetry={agents.reload} />;
  if (!agents.value?.length) return <NoAgents />;
  return <>{children(agents.value)}</>;
}
