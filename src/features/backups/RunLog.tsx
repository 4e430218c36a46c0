import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, type BadgeColor, useStyles2 } from '@grafana/ui';
import type { LogLine } from '../../shared/api/client';
import { formatTime } from '../../shared/utils/format';

// pino's numeric levels
const LEVELS: Array<[number, string, BadgeColor]> = [
  [60, 'fatal', 'red'],
  [50, 'error', 'red'],
  [40, 'warn', 'orange'],
  [30, 'info', 'blue'],
  [20, 'debug', 'purple'],
  [0, 'trace', 'purple'],
];

export function levelOf(level: number): [string, BadgeColor] {
  const [, name, color] = LEVELS.find(([min]) => level >= min) ?? LEVELS[LEVELS.length - 1]!;
  return [name, color];
}

// Shown in their own columns, or the same on every line of a run: left out of the details.
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'target', 'backupId']);

/** The run's log with levels; extra fields stay visible as compact JSON. */
export function RunLog({ lines }: { lines: LogLine[] }) {
  const styles = useStyles2(getStyles);
  if (lines.length === 0) return <p>The run wrote no log lines.</p>;
  return (
    <ol className={styles.log} aria-label="Run log">
      {lines.map((line, i) => {
        const [name, color] = levelOf(line.level);
        const extra = Object.fromEntries(Object.entries(line).filter(([k]) => !HIDDEN.has(k)));
        return (
          <li key={i} className={styles.line}>
            <span className={styles.time}>{formatTime(new Date(line.time).toISOString())}</span>
            <Badge text={name} color={color} />
            <div>
              <div>{line.msg ?? ''}</div>
              {Object.keys(extra).length > 0 && <code className={styles.extra}>{JSON.stringify(extra)}</code>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  log: css({
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.secondary,
    maxHeight: 480,
    overflow: 'auto',
  }),
  line: css({
    display: 'grid',
    gridTemplateColumns: 'auto auto minmax(0, 1fr)',
    gap: theme.spacing(1),
    alignItems: 'baseline',
    padding: theme.spacing(0.25, 0),
  }),
  time: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  extra: css({
    display: 'block',
    padding: 0,
    border: 'none',
    background: 'none',
    color: theme.colors.text.secondary,
    wordBreak: 'break-all',
  }),
});
