import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, Stack, useStyles2 } from '@grafana/ui';

interface Props {
  /** A shell line, already quoted for the shell. */
  command: string;
  testId: string;
}

/** A shell command shown as it will run, with a button that copies it. */
export function CommandLine({ command, testId }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <Stack direction="row" gap={1} alignItems="center">
      <code className={styles.command} data-testid={testId}>
        {command}
      </code>
      <ClipboardButton size="sm" icon="copy" variant="secondary" getText={() => command} aria-label={`Copy: ${command}`}>
        Copy
      </ClipboardButton>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  command: css({
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    wordBreak: 'break-all',
    // A newline inside a quoted name is shown where the shell will see it.
    whiteSpace: 'pre-wrap',
  }),
});
