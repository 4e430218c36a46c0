import type { AgentClient } from '../../shared/api/client';
import type { AgentInfo } from '../../../backend/src/contract/index.js';
import { useAsync } from '../../shared/hooks/useAsync';
import { usePolling } from '../../shared/hooks/usePolling';
import { readiness, type Readiness } from './readiness';

/** Health changes without an event (an agent stops, its disk fills): ask again now and then. */
const STATUS_POLL_MS = 30_000;

export interface AgentStatus extends Readiness {
  /** null when the agent does not say (older agents have no /api/v1/agent) */
  info: AgentInfo | null;
}

/** Whether the agent answers (/healthz), is ready (/readyz) and which version runs since when; an error when it does not answer. */
export function useAgentStatus(client: AgentClient) {
  const state = useAsync(async (): Promise<AgentStatus> => {
    await client.health();
    // A refused token or an older agent only costs the version: the targets' section says why reads fail.
    const [ready, info] = await Promise.all([readiness(client.agent), client.agentInfo().catch(() => null)]);
    return { ...ready, info };
  }, [client]);
  usePolling(state.reload, STATUS_POLL_MS);
  return state;
}
