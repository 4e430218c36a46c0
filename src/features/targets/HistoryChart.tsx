// A small bar chart of one measure over a target's last runs, newest on the right.
// Inline SVG rather than @grafana/ui's Sparkline or TimeSeries: those draw one numeric field on a
// uPlot canvas, so a run's status (failed, partial, running) cannot colour its own bar, and the
// runs would have no element of their own to name in a tooltip or for assistive technology.
import { Stack, Text, useTheme2 } from '@grafana/ui';
import type { BackupSummary } from '../../../backend/src/contract/index.js';
import { formatTime } from '../../shared/utils/format';
import { STATUS_COLORS, type Measure } from './runHistory';

const BAR = 6;
const GAP = 2;
const HEIGHT = 40;
/** A run with a value of 0 (a failed dump stores nothing) still gets a visible bar. */
const MIN_BAR = 2;

interface Props {
  /** oldest first */
  runs: BackupSummary[];
  measure: Measure;
}

export function HistoryChart({ runs, measure }: Props) {
  const theme = useTheme2();
  const values = runs.map(measure.value);
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const width = runs.length * (BAR + GAP) - GAP;
  const last = runs.length === 1 ? 'the last run' : `the last ${runs.length} runs`;
  return (
    <div role="figure" aria-label={`${measure.label} of ${last}`}>
      <Stack direction="row" justifyContent="space-between" gap={2}>
        <Text variant="bodySmall">{measure.label}</Text>
        <Text variant="bodySmall" color="secondary">
          max {measure.format(max)}
        </Text>
      </Stack>
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`}>
        {runs.map((run, i) => {
          const value = values[i] ?? null;
          const height = value === null ? 0 : Math.max(MIN_BAR, max > 0 ? (value / max) * HEIGHT : 0);
          const color = theme.visualization.getColorByName(STATUS_COLORS[run.status]);
          const x = i * (BAR + GAP);
          return (
            <g key={run.id}>
              {/* a faint column marks every run that did not succeed, whatever its value */}
              {run.status !== 'success' && <rect x={x} y={0} width={BAR} height={HEIGHT} fill={color} opacity={0.25} />}
              <rect data-status={run.status} x={x} y={HEIGHT - height} width={BAR} height={height} fill={color}>
                <title>{describeRun(run, value, measure)}</title>
              </rect>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function describeRun(run: BackupSummary, value: number | null, measure: Measure): string {
  const status = run.class === 'none' ? run.status : `${run.status} (${run.class})`;
  return `${formatTime(run.startedAt)}: ${status}, ${value === null ? '–' : measure.format(value)}`;
}
