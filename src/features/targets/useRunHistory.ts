import { useEffect, useRef } from 'react';
import type { AgentClient } from '../../shared/api/client';
import type { TargetInfo } from '../../../backend/src/contract/index.js';
import { useAsync } from '../../shared/hooks/useAsync';
import { HISTORY_RUNS } from './runHistory';

/**
 * The target's last runs, oldest first. Reloaded when the target's last or running run changes:
 * the targets list follows the agent's events, and polls when they do not arrive, so the chart
 * keeps up in both cases without listening itself.
 */
export function useRunHistory(client: AgentClient, target: TargetInfo) {
  const state = useAsync(
    async () => (await client.listBackups({ target: target.name, limit: HISTORY_RUNS })).reverse(),
    [client, target.name],
  );
  const { reload } = state;
  const runs = `${target.lastRun?.id}/${target.lastRun?.status}/${target.running?.id}`;
  const seen = useRef(runs);
  useEffect(() => {
    if (seen.current === runs) return;
    seen.current = runs;
    reload();
  }, [runs, reload]);
  return state;
}
