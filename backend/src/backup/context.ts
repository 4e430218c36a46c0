import type { Failure, Manifest, ManifestFile } from '../contract/manifest.js';
import type { FailureEvidence } from '../classify/types.js';
import type { TargetConfig } from '../config/schema.js';
import type { ScanEvents } from '../dumpfile/scanner.js';
import type { ServerEndpoint, ServerFacts } from '../mysql/server.js';
import type { DumpTool } from '../mysql/tool.js';
import type { Logger } from '../util/log.js';
import type { StopReason } from './dumpProcess.js';

export interface Progress {
  rawBytes: number;
  bytes: number;
  tablesDone: number;
  tablesTotal: number;
  currentTable: string | null;
}

/** What one attempt needs, whatever its method; `Tool` is the program that reads the server. */
export interface RunContext<Tool> {
  dir: string;
  target: TargetConfig;
  /** The server this attempt reads from (the primary, or a replica after fail-over). */
  endpoint: ServerEndpoint;
  password: string | undefined;
  tool: Tool;
  server: ServerFacts;
  log: Logger;
  signal: AbortSignal;
  manifest: Manifest;
  /** Writes the manifest atomically (serialised: safe to call from parallel workers). */
  saveManifest(): Promise<void>;
  onProgress(p: Progress): void;
}

/** A single-stream or per-table attempt. */
export type DumpContext = RunContext<DumpTool>;

export interface DumpAttemptResult {
  ok: boolean;
  /** The run stopped short but what finished is kept and can be resumed (per-table). */
  resumable: boolean;
  evidence: FailureEvidence | null;
  message: string | null;
  stopReason: StopReason | null;
  files: ManifestFile[];
  tables: { name: string; rows: number }[];
  objects: Manifest['objects'];
  binlog: Manifest['binlog'];
  warnings: string[];
  /** Per-table: tables that failed on their own while the others were kept (the run is partial). */
  failedTables: { name: string; failure: Failure }[];
  /** Physical: the log sequence numbers the tool reported. */
  lsn?: Manifest['lsn'];
  /** Physical: the chain an incremental continues. */
  chain?: Manifest['chain'];
}

const BINLOG_RE = /(?:MASTER_LOG_FILE|SOURCE_LOG_FILE)='([^']+)',\s*(?:MASTER_LOG_POS|SOURCE_LOG_POS)=(\d+)/;
const MARIADB_GTID_RE = /gtid_slave_pos='([^']*)'/i;
const MYSQL_GTID_RE = /GTID_PURGED=(?:\/\*!\d+ '\+'\*\/ )?'([^']*)'/i;
/** mysqldump --set-gtid-purged=COMMENTED: `/* SET @@GLOBAL.GTID_PURGED='+<set>';*\/` (client/mysqldump.cc). */
const MYSQL_COMMENTED_GTID_RE = /^\s*SET @@GLOBAL\.GTID_PURGED='\+?([^']*)'/i;

/** Reads the binlog coordinates the dump tool writes at the top of a dump (`--master-data=2`). */
export function binlogCollector(server: ServerFacts): { events: ScanEvents; value: () => Manifest['binlog'] } {
  const binlog: NonNullable<Manifest['binlog']> = { file: null, position: null, gtid: server.gtid };
  return {
    events: {
      comment(text) {
        const pos = BINLOG_RE.exec(text);
        if (pos) {
          binlog.file = pos[1]!;
          binlog.position = Number(pos[2]);
        }
        const gtid = MARIADB_GTID_RE.exec(text) ?? MYSQL_COMMENTED_GTID_RE.exec(text);
        if (gtid) binlog.gtid = gtid[1]!;
      },
      statement(s) {
        if (/^SET\s+@@GLOBAL\.GTID_PURGED/i.test(s.prefix)) binlog.gtid = MYSQL_GTID_RE.exec(s.prefix)?.[1] ?? binlog.gtid;
      },
    },
    value: () => (server.logBin ? binlog : null),
  };
}

export const NO_OBJECTS: Manifest['objects'] = { view: [], trigger: [], procedure: [], function: [], event: [] };
