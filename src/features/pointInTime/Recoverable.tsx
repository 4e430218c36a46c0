import { Badge, Stack, Text } from '@grafana/ui';
import type { BinlogInfo } from '../../../backend/src/contract/index.js';
import { formatDuration, formatTime } from '../../shared/utils/format';

/** A lag past this many seconds is worth a look: the archiver flushes every few seconds. */
const LAG_WARNING_SECONDS = 300;

/** How far a point-in-time restore reaches, and the binlog archive's lag and gap (targets with `binlog` only). */
export function Recoverable({ binlog }: { binlog: BinlogInfo }) {
  const lagging = binlog.lagSeconds > LAG_WARNING_SECONDS;
  return (
    <Stack direction="column" gap={0.5} alignItems="flex-start" data-testid="recoverable">
      <Text variant="bodySmall">
        {binlog.recoverableTo ? `Recoverable to ${formatTime(binlog.recoverableTo)}` : 'Not recoverable to a point in time yet (no good backup to start from)'}
      </Text>
      <Stack direction="row" gap={0.5} wrap="wrap">
        {binlog.gap ? (
          <Badge color="red" icon="exclamation-triangle" text="Gap in the binlog archive" tooltip="Binary logs after the newest good backup are missing: no restore can cross the gap. Take a new backup." />
        ) : (
          <Badge color="green" text="No gap" />
        )}
        <Badge color={lagging ? 'orange' : 'blue'} text={`Lag ${formatDuration(binlog.lagSeconds)}`} tooltip={`Archiver ${binlog.state}`} />
      </Stack>
      {binlog.lastFailure && (
        <Text variant="bodySmall" color="error">
          {binlog.lastFailure.message}
        </Text>
      )}
    </Stack>
  );
}
