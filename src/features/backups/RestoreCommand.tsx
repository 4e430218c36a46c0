import { Alert, Stack, Text } from '@grafana/ui';
import { CommandLine } from '../../shared/components/CommandLine';
import { CONFIG_PLACEHOLDER, DATABASE_PLACEHOLDER } from '../../shared/utils/shell';
import { restoreCommandLine } from './shell';

interface Props {
  id: string;
  target: string;
  databases: string[];
  /** The agent's configuration file (GET /api/v1/agent); null when it could not be had. */
  configFile: string | null;
}

/** Control and format characters (bidi overrides, zero-width) can make a line read otherwise than it runs. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** The CLI command that restores this backup, one per database, ready to copy. */
export function RestoreCommand({ id, target, databases, configFile }: Props) {
  const commands = (databases.length ? databases : [null]).map((database) => restoreCommandLine({ id, target, database, configFile }));
  const placeholders = [configFile === null && CONFIG_PLACEHOLDER, databases.length === 0 && DATABASE_PLACEHOLDER].filter(Boolean);
  const odd = databases.filter((db) => INVISIBLE.test(db));
  return (
    <Stack direction="column" gap={1}>
      {commands.map((command, i) => (
        <CommandLine key={i} command={command} testId="restore-command" />
      ))}
      {placeholders.length > 0 && (
        <Text color="secondary" variant="bodySmall">
          Replace the placeholder {placeholders.join(' and ')} before running it
          {configFile === null && ': this agent did not say where its configuration file is (it may be older than the plugin)'}.
        </Text>
      )}
      {odd.length > 0 && (
        <Alert severity="warning" title="Check the command before running it">
          The name of {odd.length === 1 ? 'a database' : 'some databases'} contains invisible or control characters; the
          command is quoted, but it may not read as it runs.
        </Alert>
      )}
    </Stack>
  );
}
