import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, Stack, useStyles2 } from '@grafana/ui';

interface Props {
  id: string;
  target: string;
  databases: string[];
}

/** The CLI command that restores this backup, one per database, ready to copy. */
export function RestoreCommand({ id, target, databases }: Props) {
  const styles = useStyles2(getStyles);
  const commands = (databases.length ? databases : ['<name>']).map(
    (db) => `warden restore ${id} --target ${target} --database ${db}`,
  );
  return (
    <Stack direction="column" gap={1}>
      {commands.map((command) => (
        <Stack key={command} direction="row" gap={1} alignItems="center">
          <code className={styles.command}>{command}</code>
          <ClipboardButton size="sm" icon="copy" variant="secondary" getText={() => command} aria-label={`Copy: ${command}`}>
            Copy
          </ClipboardButton>
        </Stack>
      ))}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  command: css({
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    wordBreak: 'break-all',
  }),
});
