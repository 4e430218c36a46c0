// The one place that knows URLs: the agents' API through Grafana's plugin proxy, and the app's
// settings. Every call goes through getBackendSrv().fetch, so Grafana adds the session and the
// proxy adds the agent's token; nothing secret reaches the browser.
import { config, type BackendSrvRequest } from '@grafana/runtime';
import { PLUGIN_ID } from '../../constants';
import { toAgentError } from './errors';
import { subscribeStream, type StreamHandlers } from './eventStreams';
import { fetchData } from './fetchData';
import type { AgentConfig, AppJsonData } from './settings';
import type {
  AgentInfo,
  BackupSummary,
  Manifest,
  OffsiteAnswer,
  OffsiteSummary,
  RestoreToPointAnswer,
  RestoreToPointBody,
  RunStatus,
  StartedRun,
  TargetInfo,
  VerifyLevel,
} from '../../../backend/src/contract/index.js';

/** one line of the run's log.jsonl (pino) */
export interface LogLine {
  level: number;
  time: number;
  msg?: string;
  [field: string]: unknown;
}

export interface BackupFilter {
  target?: string;
  status?: RunStatus;
  limit?: number;
}

const PROXY_URL = `/api/plugin-proxy/${PLUGIN_ID}`;
const SETTINGS_URL = `/api/plugins/${PLUGIN_ID}/settings`;

function request<T>(options: BackendSrvRequest): Promise<T> {
  return fetchData<T>(options, toAgentError);
}

export class AgentClient {
  constructor(readonly agent: AgentConfig) {}

  private url(path: string): string {
    return `${PROXY_URL}/agent/${this.agent.slot}${path}`;
  }

  health(): Promise<{ status: string }> {
    return request({ url: this.url('/healthz') });
  }

  /** Its version and configuration file; agents older than the plugin answer 404. */
  agentInfo(): Promise<AgentInfo> {
    return request({ url: this.url('/api/v1/agent') });
  }

  async listTargets(): Promise<TargetInfo[]> {
    return (await request<{ targets: TargetInfo[] }>({ url: this.url('/api/v1/targets') })).targets;
  }

  async listBackups(filter: BackupFilter = {}): Promise<BackupSummary[]> {
    const params = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''));
    return (await request<{ backups: BackupSummary[] }>({ url: this.url('/api/v1/backups'), params })).backups;
  }

  getBackup(id: string): Promise<Manifest> {
    return request({ url: this.url(`/api/v1/backups/${encodeURIComponent(id)}`) });
  }

  /** The backup's offsite copy; null when none was attempted, or from an older agent (404). */
  async getBackupOffsite(id: string): Promise<OffsiteSummary | null> {
    try {
      return (await request<OffsiteAnswer>({ url: this.url(`/api/v1/backups/${encodeURIComponent(id)}/offsite`) })).offsite;
    } catch (err) {
      if (toAgentError(err).kind === 'not_found') return null;
      throw err;
    }
  }

  async getBackupLog(id: string): Promise<LogLine[]> {
    return (await request<{ lines: LogLine[] }>({ url: this.url(`/api/v1/backups/${encodeURIComponent(id)}/log`) })).lines;
  }

  startBackup(target: string): Promise<StartedRun> {
    return request({ method: 'POST', url: this.url(`/api/v1/targets/${encodeURIComponent(target)}/backups`), data: {} });
  }

  verifyBackup(id: string, level: VerifyLevel): Promise<StartedRun> {
    return request({ method: 'POST', url: this.url(`/api/v1/backups/${encodeURIComponent(id)}/verify`), data: { level } });
  }

  deleteBackup(id: string): Promise<{ deleted: string; freedBytes: number }> {
    return request({ method: 'DELETE', url: this.url(`/api/v1/backups/${encodeURIComponent(id)}`) });
  }

  /** A point-in-time restore from this backup (Admins only: the plugin route's reqRole). */
  restoreToPoint(id: string, body: RestoreToPointBody): Promise<RestoreToPointAnswer> {
    return request({ method: 'POST', url: this.url(`/api/v1/restore-to-point/${encodeURIComponent(id)}`), data: body });
  }

  /**
   * Live events over SSE through the proxy, on the one stream of this agent that every page and
   * panel in the tab shares; returns the unsubscribe function.
   */
  subscribe(handlers: StreamHandlers): () => void {
    return subscribeStream(`${config.appSubUrl ?? ''}${this.url('/api/v1/events')}`, handlers);
  }
}

export interface AppSettings {
  enabled: boolean;
  pinned?: boolean;
  jsonData?: AppJsonData;
  secureJsonFields?: Record<string, boolean>;
}

export function getAppSettings(): Promise<AppSettings> {
  return request({ url: SETTINGS_URL });
}

export function saveAppSettings(settings: AppSettings & { secureJsonData?: Record<string, string> }): Promise<unknown> {
  return request({ method: 'POST', url: SETTINGS_URL, data: settings });
}

