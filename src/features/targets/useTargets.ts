import { useCallback } from 'react';
import type { AgentClient } from '../../shared/api/client';
import type { AgentEvent, TargetInfo } from '../../../backend/src/contract/index.js';
import { pollInterval, useAgentEvents } from '../../shared/hooks/useAgentEvents';
import { useAsync } from '../../shared/hooks/useAsync';
import { usePolling } from '../../shared/hooks/usePolling';

/** The agent's targets, kept current by its events (progress patched in place) or by polling. */
export function useTargets(client: AgentClient) {
  const state = useAsync(() => client.listTargets(), [client]);
  const { reload, setValue } = state;
  const onEvent = useCallback(
    (event: AgentEvent) => {
      if (event.type === 'run-progress') setValue((targets) => targets && withProgress(targets, event));
      else reload();
    },
    [reload, setValue],
  );
  const live = useAgentEvents(client, onEvent);
  const running = state.value?.some((t) => t.running !== null) ?? false;
  usePolling(reload, pollInterval(running, live));
  return { ...state, live };
}

function withProgress(targets: TargetInfo[], event: Extract<AgentEvent, { type: 'run-progress' }>): TargetInfo[] {
  return targets.map((t) =>
    t.running?.id === event.id ? { ...t, running: { ...t.running, progress: event.progress } } : t,
  );
}
