import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import type { Failure } from '../../../backend/src/contract/index.js';
import { formatRelative } from '../utils/format';
import { ClassBadge } from './Badges';

interface Props {
  failure: Failure;
  /** when it happened */
  at?: string | null;
  /** a later run succeeded: show it muted */
  resolved?: boolean;
}

/** Why a run failed: its class, the hint on what to do first, and the raw message. */
export function FailureSummary({ failure, at, resolved = false }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={cx(styles.wrapper, resolved && styles.resolved)}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <ClassBadge value={failure.class} />
        {at && (
          <Text variant="bodySmall" color="secondary">
            {formatRelative(at)}
            {resolved && ' · resolved since'}
          </Text>
        )}
      </Stack>
      <div className={styles.hint}>{failure.hint}</div>
      <Text variant="bodySmall" color="secondary" truncate>
        {failure.code !== null && `[${failure.code}] `}
        {failure.message}
      </Text>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Raw server messages can be long; the hint matters more, the message truncates.
  wrapper: css({ maxWidth: 560 }),
  hint: css({ marginTop: theme.spacing(0.5) }),
  resolved: css({ opacity: 0.6 }),
});
