// Turns what getBackendSrv().fetch throws into a typed error, and that into words that tell the user
// what to do. Grafana's proxy and the agent both answer errors; their bodies tell them apart.
import type { AgentConfig } from './settings';

export type AgentErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'misdirected'
  | 'not_configured'
  | 'not_found'
  | 'conflict'
  | 'bad_request'
  | 'server';

export class AgentError extends Error {
  constructor(
    readonly kind: AgentErrorKind,
    message: string,
    readonly status: number,
    /** the id of the run in the way, on 409 */
    readonly runningId?: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

interface FetchErrorLike {
  status?: number;
  statusText?: string;
  data?: { error?: { message?: string; code?: string }; message?: string; id?: string } | string;
}

export function toAgentError(err: unknown): AgentError {
  if (err instanceof AgentError) return err;
  const { status = 0, statusText, data } = (err ?? {}) as FetchErrorLike;
  const body = typeof data === 'object' && data !== null ? data : {};
  const agentError = body.error; // the agent's own error format
  const message = agentError?.message ?? body.message ?? statusText ?? (err instanceof Error ? err.message : 'request failed');
  if (status <= 0 || status === 502 || status === 504) return new AgentError('unreachable', message, status);
  if (status === 401) return new AgentError('unauthorized', message, status);
  if (status === 403) return new AgentError('forbidden', message, status);
  if (status === 421 && agentError) return new AgentError('misdirected', message, status);
  if (status === 404) return new AgentError(agentError ? 'not_found' : 'not_configured', message, status);
  if (status === 409) return new AgentError('conflict', message, status, body.id);
  if (status === 400 || status === 413) return new AgentError('bad_request', message, status);
  // Grafana answers 500 when a route's URL template renders to nothing usable.
  if (status === 500 && !agentError && /plugin route url|parse url/i.test(message)) {
    return new AgentError('not_configured', message, status);
  }
  return new AgentError('server', message, status);
}

export interface ErrorText {
  title: string;
  hint: string;
}

export function describeError(err: unknown, agent?: AgentConfig): ErrorText {
  const e = toAgentError(err);
  const name = agent ? `agent "${agent.name}"` : 'the agent';
  switch (e.kind) {
    case 'unreachable':
      return {
        title: `Cannot reach ${name}`,
        hint:
          `Grafana could not connect to ${agent?.url ?? 'the agent'}. Check that \`warden serve\` is running there ` +
          'and listens on an address the Grafana server can reach, then retry.',
      };
    case 'unauthorized':
      return {
        title: `${capitalize(name)} rejected the API token`,
        hint:
          "Enter the agent's token (its WARDEN_API_TOKEN or api.tokenFile) in the app configuration and save. " +
          `The agent said: "${e.message}".`,
      };
    case 'forbidden':
      return {
        title: 'Your role does not allow this',
        hint: 'Starting backups and verifying need the Editor role in this organization, deleting needs the Admin role. Ask an admin.',
      };
    case 'misdirected': {
      // The agent checks the Host header against its allow-list (DNS rebinding); Grafana sends the URL's host.
      const host = hostOf(agent?.url) ?? "the agent URL's host name";
      return {
        title: `${capitalize(name)} does not answer to the host name ${host}`,
        hint: `Add ${host} to api.allowedHosts in the agent's configuration and restart it, or use a URL with a name it answers to.`,
      };
    }
    case 'not_configured':
      return {
        title: `${capitalize(name)} is not configured in Grafana`,
        hint: 'Open the app configuration, check the agent URL and save. Grafana needs the saved URL to proxy to it.',
      };
    case 'not_found':
      return { title: 'Not found', hint: e.message };
    case 'conflict':
      return { title: 'Not possible right now', hint: e.message };
    case 'bad_request':
      return { title: 'The agent refused the request', hint: e.message };
    case 'server':
      return { title: `${capitalize(name)} failed (HTTP ${e.status})`, hint: `${e.message}. The agent's log has the details.` };
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function hostOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).hostname : null;
  } catch {
    return null;
  }
}
