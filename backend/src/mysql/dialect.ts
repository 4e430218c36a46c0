// What differs between server families and versions, and between the dump tools, in what the agent
// sends and asks for. Every choice cites the manual or release note it follows; the table tests in
// dialect.test.ts show the statement and the arguments chosen for each server and tool.

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** `8.4.3`, `10.11.19-MariaDB-0+deb12u1`, `5.7.44-log`: the leading numbers. */
export function parseVersion(text: string): Version {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return { major: Number(m?.[1] ?? 0), minor: Number(m?.[2] ?? 0), patch: Number(m?.[3] ?? 0) };
}

const atLeast = (v: Version, major: number, minor = 0, patch = 0) =>
  v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;

/** A server as far as its dialect goes (what ServerFacts says of it). */
export interface Server {
  flavor: 'mariadb' | 'mysql';
  version: string;
  /** MySQL's `@@GLOBAL.gtid_mode` (OFF, OFF_PERMISSIVE, ON_PERMISSIVE, ON); undefined elsewhere. */
  gtidMode?: string | null;
}

/** A dump tool as far as its options go (what DumpTool says of it). */
export interface Tool {
  flavor: 'mariadb' | 'mysql';
  distribution: string;
}

/**
 * The statement that reports the current binary log file and position. MySQL 8.2.0 added
 * `SHOW BINARY LOG STATUS` and deprecated `SHOW MASTER STATUS`, which MySQL 8.4.0 removed
 * (MySQL 8.2.0 and 8.4.0 release notes; MySQL 8.4 manual, "SHOW BINARY LOG STATUS Statement").
 * MariaDB keeps `SHOW MASTER STATUS` (MariaDB manual, "SHOW BINLOG STATUS": an alias since 10.5.2).
 */
export function binlogStatusSql(server: Server): string {
  return server.flavor === 'mysql' && atLeast(parseVersion(server.version), 8, 2) ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
}

/**
 * The server's GTID position: MariaDB's `gtid_binlog_pos` (MariaDB manual, "Global Transaction ID"),
 * MySQL's `gtid_executed` (MySQL manual, "GTID System Variables"; empty when gtid_mode is OFF).
 */
export function gtidSql(server: Server): string {
  return server.flavor === 'mariadb' ? 'SELECT @@GLOBAL.gtid_binlog_pos AS gtid' : 'SELECT @@GLOBAL.gtid_executed AS gtid';
}

/**
 * How long the server keeps binary logs: `binlog_expire_logs_seconds` on MySQL from 8.0 and
 * MariaDB from 10.6.1, `expire_logs_days` before (MySQL 8.4 removed it; MySQL 8.0 manual and 8.4.0
 * release notes; MariaDB manual, "binlog_expire_logs_seconds").
 */
export function binlogRetentionVariable(server: Server): { name: 'binlog_expire_logs_seconds' | 'expire_logs_days'; secondsPer: number } {
  const v = parseVersion(server.version);
  const seconds = server.flavor === 'mysql' ? atLeast(v, 8) : atLeast(v, 10, 6, 1);
  return seconds ? { name: 'binlog_expire_logs_seconds', secondsPer: 1 } : { name: 'expire_logs_days', secondsPer: 86_400 };
}

/** How the binlog coordinates of a dump get recorded. */
export type CoordinatesPlan =
  | { by: 'tool'; args: string[] }
  /** The tool cannot ask this server: the agent reads them under a short global read lock. */
  | { by: 'agent'; reason: string };

/**
 * Which statement a dump tool runs for `--master-data` / `--source-data`. mariadb-dump runs
 * `SHOW MASTER STATUS` (client/mysqldump.c, MariaDB 10.x/11.x). mysqldump from 8.2 asks the server's
 * version first and runs `SHOW BINARY LOG STATUS` only from 8.2.0 on (client/mysqldump.cc,
 * get_compatible_rpl_source_query, FIRST_SOURCE_COMMAND_VERSION 80200); MariaDB's version numbers
 * (10.x, 11.x) pass that test, so it sends MariaDB the statement MariaDB does not know.
 */
function toolStatusSql(tool: Tool, server: Server): string {
  if (tool.flavor !== 'mysql' || !atLeast(parseVersion(tool.distribution), 8, 2)) return 'SHOW MASTER STATUS';
  return server.flavor === 'mysql' && !atLeast(parseVersion(server.version), 8, 2) ? 'SHOW MASTER STATUS' : 'SHOW BINARY LOG STATUS';
}

/**
 * The dump tool records the coordinates when the statement it runs is one the server knows: the
 * option is `--source-data` from mysqldump 8.0.26 (it renamed `--master-data`; MySQL 8.0.26
 * release notes), `--master-data` otherwise, with `--gtid` for mariadb-dump against MariaDB (its
 * GTID position rather than the file and offset; MariaDB manual, "mariadb-dump").
 */
export function coordinatesPlan(tool: Tool, server: Server): CoordinatesPlan {
  const wanted = toolStatusSql(tool, server);
  if (wanted !== binlogStatusSql(server) && !(wanted === 'SHOW MASTER STATUS' && server.flavor === 'mariadb')) {
    return { by: 'agent', reason: `${tool.flavor === 'mysql' ? 'mysqldump' : 'mariadb-dump'} ${tool.distribution} runs ${wanted}, which ${server.flavor} ${server.version} does not know` };
  }
  const sourceData = tool.flavor === 'mysql' && atLeast(parseVersion(tool.distribution), 8, 0, 26);
  const args = [sourceData ? '--source-data=2' : '--master-data=2'];
  if (tool.flavor === 'mariadb' && server.flavor === 'mariadb') args.push('--gtid');
  return { by: 'tool', args };
}

/**
 * mysqldump writes `SET @@GLOBAL.GTID_PURGED` for a server with GTIDs; a restore into a server with
 * its own GTID history refuses it, so it is kept as a comment (`COMMENTED`, MySQL WL#12959, from
 * 8.0.17), where the agent still reads it (backup/context.ts). Against a server whose gtid_mode is
 * not ON, `COMMENTED` makes mysqldump stop with "Server has GTIDs disabled" (client/mysqldump.cc,
 * process_set_gtid_purged): `OFF` there, and before 8.0.17.
 */
function gtidPurgedMode(tool: Tool, server: Server): 'COMMENTED' | 'OFF' {
  return server.gtidMode === 'ON' && atLeast(parseVersion(tool.distribution), 8, 0, 17) ? 'COMMENTED' : 'OFF';
}

/**
 * Options one tool needs against one server, whatever is dumped:
 * - mysqldump from 8.0 reads `information_schema.COLUMN_STATISTICS`, which neither MariaDB nor
 *   MySQL 5.7 has: `--column-statistics=0` (MySQL 8.0 manual, mysqldump, --column-statistics);
 * - mysqldump needs PROCESS to dump tablespaces (from 5.7.31 and 8.0.21), which logical backups do
 *   not use: `--no-tablespaces` (MySQL 8.0.21 and 5.7.31 release notes; the option is older);
 * - against MySQL, `--set-gtid-purged` as gtidPurgedMode says.
 */
export function toolCompatArgs(tool: Tool, server: Server): string[] {
  if (tool.flavor !== 'mysql') return [];
  const args = ['--no-tablespaces'];
  if (atLeast(parseVersion(tool.distribution), 8) && (server.flavor === 'mariadb' || !atLeast(parseVersion(server.version), 8))) args.push('--column-statistics=0');
  if (server.flavor === 'mysql') args.push(`--set-gtid-purged=${gtidPurgedMode(tool, server)}`);
  return args;
}

/**
 * Whether the dump tool itself takes a global read lock, and so needs RELOAD, whatever the agent
 * asks: mysqldump from 8.0.32 runs `FLUSH TABLES WITH READ LOCK` with `--single-transaction` when
 * the server has GTIDs and `--set-gtid-purged` is not OFF (client/mysqldump.cc, main():
 * server_with_gtids_and_opt_purge_not_off; MySQL bug #115022).
 */
export function toolTakesGlobalLock(tool: Tool, server: Server): boolean {
  return tool.flavor === 'mysql' && server.flavor === 'mysql' && atLeast(parseVersion(tool.distribution), 8, 0, 32) && gtidPurgedMode(tool, server) === 'COMMENTED';
}

/**
 * Arguments that make the binlog tool stream a server's binary logs, byte for byte and without
 * end, into files named as the server names them (`--raw --stop-never`: MariaDB manual, "Using
 * mariadb-binlog to Create a Binlog Backup"; MySQL manual, "Using mysqlbinlog to Back Up Binary Log
 * Files"). It connects as a replica with its own server id: `--connection-server-id` on MySQL
 * from 8.0 (WL#9633 deprecated `--stop-never-slave-server-id` for it), `--stop-never-slave-server-id`
 * on MariaDB and MySQL 5.7. `resultPrefix` ends with a slash: the files go into that folder.
 */
export function binlogStreamArgs(tool: Tool, serverId: number, resultPrefix: string, firstFile: string): string[] {
  const idOption = tool.flavor === 'mysql' && atLeast(parseVersion(tool.distribution), 8) ? '--connection-server-id' : '--stop-never-slave-server-id';
  return ['--read-from-remote-server', '--raw', '--stop-never', `${idOption}=${serverId}`, `--result-file=${resultPrefix}`, firstFile];
}

/**
 * Arguments that turn one archived binary log, read on stdin (`-`), into SQL that replays the part
 * between `from` and `to` (event positions: `--start-position` reads from the first event at or
 * after it, `--stop-position` stops at the first event at or after it) for one database of the
 * backup, loaded under `newDb` (`--rewrite-db`).
 * The two families filter differently with `--rewrite-db`: MySQL applies `--database` to the
 * rewritten name (MySQL 8.4 manual, "mysqlbinlog", --rewrite-db: "the --rewrite-db option is
 * applied first; then the --database option is applied, using the rewritten database name");
 * MariaDB's mariadb-binlog applies it to the name in the log (measured with 10.11: `--database`
 * of the new name replays none of the rows; test/pointInTime.test.ts).
 * MySQL's GTIDs are dropped (`--skip-gtids`): a server that has executed a GTID skips it without
 * a word, so replaying onto the server the log came from would do nothing (MySQL manual,
 * "Point-in-Time Recovery Using Binary Log" and --skip-gtids). MariaDB does not skip; see replayPrelude.
 */
export function binlogReplayArgs(tool: Tool, o: { from: number | null; to: number | null; sourceDb: string; newDb: string }): string[] {
  return [
    ...(o.from !== null ? [`--start-position=${o.from}`] : []),
    ...(o.to !== null ? [`--stop-position=${o.to}`] : []),
    `--rewrite-db=${o.sourceDb}->${o.newDb}`,
    `--database=${tool.flavor === 'mysql' ? o.newDb : o.sourceDb}`,
    ...(tool.flavor === 'mysql' ? ['--skip-gtids'] : []),
    '-',
  ];
}

/**
 * Arguments that print the rows a stretch of one binary log (read on stdin) changes in `sourceDb`,
 * one `### INSERT INTO`, `### UPDATE` or `### DELETE FROM` line per row (`--base64-output=DECODE-ROWS
 * --verbose`, the same on both families: MariaDB manual, "mariadb-binlog Options"; MySQL manual,
 * "mysqlbinlog Row Event Display"). No rename: the database filter sees the log's own names.
 */
export function binlogDecodeArgs(o: { from: number | null; to: number | null; sourceDb: string }): string[] {
  return [
    ...(o.from !== null ? [`--start-position=${o.from}`] : []),
    ...(o.to !== null ? [`--stop-position=${o.to}`] : []),
    '--base64-output=DECODE-ROWS',
    '--verbose',
    `--database=${o.sourceDb}`,
    '-',
  ];
}

/**
 * What the account a replay runs as may do beyond its one database: run the `BINLOG` statements of
 * row events and set the session variables mariadb-binlog writes (server_id, gtid_domain_id,
 * gtid_seq_no, pseudo_thread_id), and turn off its own binary logging (replayPrelude).
 * MariaDB split these out of SUPER in 10.5.2: BINLOG REPLAY (the BINLOG statement and those
 * variables) and BINLOG ADMIN (sql_log_bin) (MariaDB manual, "GRANT", "BINLOG REPLAY"). MySQL 8:
 * BINLOG_ADMIN for the BINLOG statement, SESSION_VARIABLES_ADMIN for the restricted session
 * variables (MySQL 8.4 manual, "BINLOG Statement", "System Variable Privileges").
 */
export function replayPrivileges(server: Server): string {
  if (server.flavor === 'mysql') return 'BINLOG_ADMIN, SESSION_VARIABLES_ADMIN';
  return atLeast(parseVersion(server.version), 10, 5, 2) ? 'BINLOG REPLAY, BINLOG ADMIN' : 'SUPER';
}

/**
 * SQL sent before a replay on MariaDB: the replayed transactions are not written to the server's
 * own binary log. mariadb-binlog sets each one's original GTID (`SET @@session.gtid_seq_no`), so
 * logging them again would put old sequence numbers after newer ones: an error under
 * gtid_strict_mode, and a binary log mariadb-binlog 10.8+ refuses to read ("Found out of order
 * GTID") when it is replayed later. Needs SUPER or BINLOG ADMIN (MariaDB manual, "sql_log_bin").
 */
export function replayPrelude(tool: Tool): string {
  return tool.flavor === 'mariadb' ? 'SET SESSION sql_log_bin = 0;\n' : '';
}

/**
 * The statement listing the binary logs a server still has: `SHOW BINARY LOGS` on both families
 * (MySQL 8.4 manual, "SHOW BINARY LOGS"; MariaDB manual, "SHOW BINARY LOGS"), each row `Log_name`
 * and `File_size`.
 */
export const BINARY_LOGS_SQL = 'SHOW BINARY LOGS';

/**
 * The privilege that lets a user run `SHOW BINARY LOGS` and `SHOW MASTER STATUS`: MariaDB 10.5.2
 * renamed REPLICATION CLIENT to BINLOG MONITOR, keeping the old name as an alias, and SHOW GRANTS
 * prints the new one (MariaDB manual, "GRANT", BINLOG MONITOR); MySQL keeps REPLICATION CLIENT
 * (MySQL 8.4 manual, "Privileges Provided by MySQL").
 */
export function binlogMonitorPrivilege(server: Server): 'BINLOG MONITOR' | 'REPLICATION CLIENT' {
  return server.flavor === 'mariadb' && atLeast(parseVersion(server.version), 10, 5, 2) ? 'BINLOG MONITOR' : 'REPLICATION CLIENT';
}

/**
 * The statement listing the replicas registered with a source, each row with its `Server_id`
 * (`Server_Id` on MySQL's SHOW REPLICAS): MySQL 8.0.22 added `SHOW REPLICAS` and deprecated
 * `SHOW SLAVE HOSTS`, which MySQL 8.4.0 removed (MySQL 8.0.22 and 8.4.0 release notes); MariaDB
 * keeps `SHOW SLAVE HOSTS` (MariaDB manual, "SHOW REPLICA HOSTS": an alias since 10.5.1).
 */
export function replicaHostsSql(server: Server): string {
  return server.flavor === 'mysql' && atLeast(parseVersion(server.version), 8, 0, 22) ? 'SHOW REPLICAS' : 'SHOW SLAVE HOSTS';
}
