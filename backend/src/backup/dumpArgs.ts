import type { TargetConfig } from '../config/schema.js';
import type { ServerEndpoint, ServerFacts } from '../mysql/server.js';
import type { DumpTool } from '../mysql/tool.js';

/**
 * What one dump process writes: everything (single-stream), or for per-table runs the schema
 * (no data, no triggers), one database's data for some tables, or the triggers (loaded last so
 * they do not fire while data loads).
 */
export type DumpPart = { kind: 'full' } | { kind: 'schema' } | { kind: 'data'; database: string; tables: string[] } | { kind: 'post' };

/**
 * The dump tool's arguments. Credentials come from the defaults file (first argument, as the
 * tools require); nothing secret is ever in this list. Database and table names come from the
 * server and may start with `-`: they follow a bare `--`, which ends the options for every tool
 * built on my_getopt (mysys/my_getopt.cc, handle_options), mariadb-dump and mysqldump alike.
 */
export function buildDumpArgs(
  tool: DumpTool,
  target: TargetConfig,
  endpoint: ServerEndpoint,
  server: ServerFacts,
  defaultsFile: string,
  part: DumpPart = { kind: 'full' },
): string[] {
  const args = [`--defaults-file=${defaultsFile}`];
  if (endpoint.socket) args.push(`--socket=${endpoint.socket}`, '--protocol=SOCKET');
  else args.push(`--host=${endpoint.host}`, `--port=${endpoint.port}`, '--protocol=TCP');
  // One consistent InnoDB snapshot without locking writers; --quick streams rows instead of
  // buffering each table in the client.
  args.push('--single-transaction', '--quick', '--hex-blob', `--default-character-set=${target.characterSet}`, '--comments');
  if (tool.flavor === 'mysql') {
    // MySQL 8 asks for PROCESS to list tablespaces; logical backups do not need them.
    args.push('--no-tablespaces');
    // and its column statistics query fails against MariaDB.
    if (server.flavor === 'mariadb') args.push('--column-statistics=0');
  }
  switch (part.kind) {
    case 'full':
      args.push('--routines', '--triggers', '--events', '--add-drop-table', '--extended-insert', ...binlogArgs(tool, server));
      args.push('--databases', '--', ...server.databases);
      break;
    case 'schema':
      args.push('--no-data', '--skip-triggers', '--routines', '--events', '--add-drop-table', '--force', '--databases', '--', ...server.databases);
      break;
    case 'data':
      // --force: a damaged table must not stop the others of its worker; its error names it.
      args.push('--no-create-info', '--skip-triggers', '--skip-routines', '--skip-events', '--extended-insert', '--force', '--', part.database, ...part.tables);
      break;
    case 'post':
      args.push('--no-data', '--no-create-info', '--triggers', '--skip-routines', '--skip-events', '--databases', '--', ...server.databases);
      break;
  }
  return args;
}

/** Binlog coordinates as a comment at the top of the dump (point-in-time recovery starts there). */
function binlogArgs(tool: DumpTool, server: ServerFacts): string[] {
  if (!server.logBin) return [];
  const mysql8 = tool.flavor === 'mysql' && Number(tool.distribution.split('.')[0]) >= 8;
  const args = [mysql8 ? '--source-data=2' : '--master-data=2'];
  if (tool.flavor === 'mariadb' && server.flavor === 'mariadb') args.push('--gtid');
  return args;
}
