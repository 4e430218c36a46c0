// The agent's /readyz through its Viewer route. The shared client has no call for it, and its error
// mapping keeps only a message, while a 503 here carries the list of problems to show.
import { PLUGIN_ID } from '../../constants';
import { toAgentError } from '../../shared/api/errors';
import { fetchData } from '../../shared/api/fetchData';
import type { AgentConfig } from '../../shared/api/settings';

export interface Readiness {
  ready: boolean;
  problems: string[];
}

class NotReady extends Error {
  constructor(readonly problems: string[]) {
    super('not ready');
  }
}

export async function readiness(agent: AgentConfig): Promise<Readiness> {
  const url = `/api/plugin-proxy/${PLUGIN_ID}/agent/${agent.slot}/readyz`;
  try {
    await fetchData<unknown>({ url }, (err) => notReady(err) ?? toAgentError(err));
    return { ready: true, problems: [] };
  } catch (err) {
    if (err instanceof NotReady) return { ready: false, problems: err.problems };
    throw err;
  }
}

/** The agent's own "not ready" answer; a 503 of anything else in between is an error. */
function notReady(err: unknown): NotReady | undefined {
  const { status, data } = (err ?? {}) as { status?: number; data?: { problems?: unknown } };
  return status === 503 && Array.isArray(data?.problems) ? new NotReady(data.problems.map(String)) : undefined;
}
