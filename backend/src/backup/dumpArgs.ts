import type { TargetConfig } from '../config/schema.js';
import { endpointArgs, type ServerEndpoint, type ServerFacts } from '../mysql/server.js';
import { coordinatesPlan, toolCompatArgs } from '../mysql/dialect.js';
import type { DumpTool } from '../mysql/tool.js';

/**
 * What one dump process writes: everything (single-stream), or for per-table runs the schema
 * (no data, no triggers), one database's data for some tables, or the triggers (loaded last so
 * they do not fire while data loads).
 */
/** `full.coordinates`: whether the dump tool records the binlog coordinates (when it can ask this server). */
export type DumpPart = { kind: 'full'; coordinates: boolean } | { kind: 'schema' } | { kind: 'data'; database: string; tables: string[] } | { kind: 'post' };

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
  part: DumpPart = { kind: 'full', coordinates: true },
): string[] {
  const args = [`--defaults-file=${defaultsFile}`];
  args.push(...endpointArgs(endpoint));
  // One consistent InnoDB snapshot without locking writers; --quick streams rows instead of
  // buffering each table in the client.
  args.push('--single-transaction', '--quick', '--hex-blob', `--default-character-set=${target.characterSet}`, '--comments');
  args.push(...toolCompatArgs(tool, server));
  switch (part.kind) {
    case 'full':
      args.push('--routines', '--triggers', '--events', '--add-drop-table', '--extended-insert', ...(part.coordinates ? binlogArgs(tool, server) : []));
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

/**
 * Binlog coordinates as a comment at the top of the dump (point-in-time recovery starts there),
 * when the tool can ask this server for them.
 */
function binlogArgs(tool: DumpTool, server: ServerFacts): string[] {
  if (!server.logBin) return [];
  const plan = coordinatesPlan(tool, server);
  return plan.by === 'tool' ? plan.args : [];
}
