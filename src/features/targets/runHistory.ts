// What the history chart of a target shows: its last runs, and the measures drawn for each.
import type { BackupSummary, RunStatus } from '../../../backend/src/contract/index.js';
import { formatBytes, formatCount, formatDuration } from '../../shared/utils/format';

/** About a month of daily backups. */
export const HISTORY_RUNS = 30;

export interface Measure {
  label: string;
  /** null: nothing to draw yet (a run still going has no final size or duration) */
  value: (run: BackupSummary) => number | null;
  format: (value: number) => string;
}

const final = (pick: (run: BackupSummary) => number | null) => (run: BackupSummary) =>
  run.status === 'running' ? null : pick(run);

export const MEASURES: Measure[] = [
  { label: 'Duration', value: final((r) => r.durationSeconds), format: formatDuration },
  { label: 'Stored size', value: final((r) => r.bytes), format: formatBytes },
  { label: 'Rows', value: final((r) => r.rows), format: formatCount },
];

/** The colours of the run status badges, by Grafana's visualization colour names. */
export const STATUS_COLORS: Record<RunStatus, string> = {
  success: 'green',
  partial: 'orange',
  failed: 'red',
  running: 'blue',
  interrupted: 'orange',
};

/** "12 runs: 10 succeeded, 1 did not, 1 running" */
export function historySummary(runs: BackupSummary[]): string {
  const count = (match: (s: RunStatus) => boolean) => runs.filter((r) => match(r.status)).length;
  const parts = [`${count((s) => s === 'success')} succeeded`, `${count((s) => s !== 'success' && s !== 'running')} did not`];
  const running = count((s) => s === 'running');
  if (running > 0) parts.push(`${running} running`);
  return `${runs.length} run${runs.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
