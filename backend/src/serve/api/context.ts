import type { LoadedConfig } from '../../config/load.js';
import type { BinlogInfo } from '../../contract/api.js';
import type { Logger } from '../../util/log.js';
import type { Metrics } from '../metrics.js';
import type { CatalogView } from '../catalogCache.js';
import type { RunKind } from '../../catalog/events.js';
import type { RunManager } from '../runs.js';

/** What the HTTP API works with; built once by the agent. */
export interface ApiContext {
  config: LoadedConfig;
  manager: RunManager;
  catalog: CatalogView;
  metrics: Metrics;
  nextRun: (target: string, kind: RunKind) => Date | null;
  /** The binlog archive of a target archived by this agent; null for the others. */
  binlog: (target: string) => Promise<BinlogInfo> | null;
  token: string | null;
  /** The address the server listens on, as given (`0.0.0.0` and `::` mean every interface). */
  listenHost: string;
  startedAt: Date;
  log: Logger;
  shuttingDown: () => boolean;
  /** A backup was deleted through the API: refresh what describes its target. */
  catalogChanged: (target: string) => void;
}
