import { Text } from '@grafana/ui';
import type { BackupSummary } from '../../../backend/src/contract/index.js';
import { formatDuration, formatRelative, secondsSince } from '../../shared/utils/format';

interface Props {
  lastSuccess: BackupSummary | null;
  rpoSeconds: number | null;
}

/** Age of the newest good backup against the target's recovery-point objective. */
export function Freshness({ lastSuccess, rpoSeconds }: Props) {
  if (!lastSuccess) return <Text color="warning">no good backup yet</Text>;
  const at = lastSuccess.finishedAt ?? lastSuccess.startedAt;
  const overdue = rpoSeconds !== null && secondsSince(at) > rpoSeconds;
  return (
    <span data-testid="freshness">
      <Text color={overdue ? 'error' : undefined}>{formatRelative(at)}</Text>
      <Text variant="bodySmall" color="secondary">
        {rpoSeconds === null ? ' · no RPO set' : ` · RPO ${formatDuration(rpoSeconds)}${overdue ? ', exceeded' : ''}`}
      </Text>
    </span>
  );
}
