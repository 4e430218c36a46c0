// The `warden restore --to` command line for a point in time, quoted for a POSIX shell: the time
// or GTID and the database are typed by the user, the rest comes from the agent.
import { CONFIG_PLACEHOLDER, DATABASE_PLACEHOLDER, shellQuote } from '../../shared/utils/shell.js';

export type ChosenPoint = { kind: 'time'; /** ISO 8601 UTC */ iso: string } | { kind: 'gtid'; gtid: string };

export interface PointLine {
  target: string;
  point: ChosenPoint;
  /** The new database; '' when not typed yet. */
  database: string;
  /** The agent's configuration file; null when the agent did not say. */
  configFile: string | null;
}

export function restoreToPointCommandLine({ target, point, database, configFile }: PointLine): string {
  const words = ['warden', 'restore', '-c', configFile ?? CONFIG_PLACEHOLDER, '-t', target];
  words.push(...(point.kind === 'time' ? ['--to', point.iso] : ['--to-gtid', point.gtid]));
  // The CLI takes the word after an option as its value even when it starts with `-`.
  words.push('--database', database === '' ? DATABASE_PLACEHOLDER : database);
  return words.map(shellQuote).join(' ');
}
