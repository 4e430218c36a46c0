import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Spinner, Text, useStyles2 } from '@grafana/ui';
import type { RunningInfo } from '../../../backend/src/contract/index.js';
import { formatBytes, formatRelative } from '../../shared/utils/format';

/** What a running backup, verification or restore has done so far; a bar when the table count is known. */
export function RunProgress({ running }: { running: RunningInfo }) {
  const styles = useStyles2(getStyles);
  const p = running.progress;
  const fraction = p && p.tablesTotal > 0 ? Math.min(1, p.tablesDone / p.tablesTotal) : null;
  const verb = { backup: 'Backing up', verify: 'Verifying', restore: 'Restoring to a point in time' }[running.kind];
  return (
    <div className={styles.wrapper} data-testid="run-progress">
      <Text variant="bodySmall">
        <Spinner inline /> {verb}, started {formatRelative(running.startedAt)}
        {p && ` · ${formatBytes(p.rawBytes)} read, ${formatBytes(p.bytes)} stored`}
        {p && p.tablesTotal > 0 && ` · ${p.tablesDone} of ${p.tablesTotal} tables`}
        {p?.currentTable && ` · ${p.currentTable}`}
      </Text>
      {fraction !== null && (
        <div
          className={styles.track}
          role="progressbar"
          aria-label={`${verb} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
        >
          <div className={styles.bar} style={{ width: `${fraction * 100}%` }} />
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 160 }),
  track: css({ height: 4, borderRadius: theme.shape.radius.default, background: theme.colors.background.secondary }),
  bar: css({ height: '100%', borderRadius: theme.shape.radius.default, background: theme.colors.primary.main }),
});
