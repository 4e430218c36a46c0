// The one place that knows URLs: the agents' API through Grafana's plugin proxy, and the app's
// settings. Every call goes through getBackendSrv().fetch, so Grafana adds the session and the
// proxy adds the agent's token; nothing secret reaches the browser.
import { config, type BackendSrvRequest } from '@grafana/runtime';
import { PLUGIN_ID } from '../../constants';
import { toAgentError } from './errors';
import { fetchData } from './fetchData';
import type { AgentConfig, AppJsonData } from './settings';
import {
  AGENT_EVENT_TYPES,
  type AgentEvent,
  type AgentInfo,
  type BackupSummary,
  type Manifest,
  type RunStatus,
  type StartedRun,
  type TargetInfo,
  type VerifyLevel,
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
/** Pauses before a refused event stream is asked for again: doubling, at most a minute. */
const RESUBSCRIBE_FIRST_MS = 5_000;
const RESUBSCRIBE_MAX_MS = 60_000;
const SETTINGS_URL = `/api/plugins/${PLUGIN_ID}/settings`;

function request<T>(options: BackendSrvRequest): Promise<T> {
  return fetchData<T>(options, toAgentError);
}

export interface EventHandlers {
  onEvent: (event: AgentEvent) => void;
  /** true while the stream is open; EventSource reconnects by itself after an error */
  onLive: (live: boolean) => void;
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

  /**
   * Live events over SSE through the proxy; returns the unsubscribe function. EventSource
   * reconnects by itself after a dropped stream, but gives up on a refusal (the agent answers 503
   * when its streams are all taken): then a new one is opened after a growing pause.
   */
  subscribe({ onEvent, onLive }: EventHandlers): () => void {
    if (typeof EventSource === 'undefined') return () => undefined;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let pause = RESUBSCRIBE_FIRST_MS;
    let stopped = false;
    const open = () => {
      const current = new EventSource(`${config.appSubUrl ?? ''}${this.url('/api/v1/events')}`);
      source = current;
      current.onopen = () => {
        pause = RESUBSCRIBE_FIRST_MS;
        onLive(true);
      };
      current.onerror = () => {
        onLive(false);
        if (stopped || current.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, pause);
        pause = Math.min(pause * 2, RESUBSCRIBE_MAX_MS);
      };
      for (const type of AGENT_EVENT_TYPES) {
        current.addEventListener(type, (message) => {
          try {
            onEvent({ ...JSON.parse((message as MessageEvent<string>).data), type } as AgentEvent);
          } catch {
            // a malformed event is dropped; the next poll or event brings the state anyway
          }
        });
      }
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      onLive(false);
    };
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

