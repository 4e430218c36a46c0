import { InteractiveTable, Stack, Text, TextLink, type Column } from '@grafana/ui';
import type { AgentClient } from '../../shared/api/client';
import type { TargetInfo } from '../../../backend/src/contract/index.js';
import { backupUrl } from '../../constants';
import { formatRelative } from '../../shared/utils/format';
import { TargetStateBadge, VerificationBadge } from '../../shared/components/Badges';
import { BackUpNowButton } from './BackUpNowButton';
import { FailureSummary } from '../../shared/components/FailureSummary';
import { Freshness } from './Freshness';
import { RunProgress } from './RunProgress';
import { TargetHistory } from './TargetHistory';
import { Recoverable } from '../pointInTime/Recoverable';

interface Props {
  client: AgentClient;
  targets: TargetInfo[];
  onChanged: () => void;
}

/**
 * One row per target: its state, freshness, verification, schedule, last failure, and the button;
 * a row opens to the target's last runs.
 */
export function TargetsTable({ client, targets, onChanged }: Props) {
  const slot = client.agent.slot;
  const columns: Array<Column<TargetInfo>> = [
    {
      id: 'name',
      header: 'Target',
      cell: ({ row: { original: t } }) => (
        <Stack direction="column" gap={0} alignItems="flex-start">
          <Text weight="medium">{t.name}</Text>
          <Text variant="bodySmall" color="secondary">
            {t.endpoint}
          </Text>
        </Stack>
      ),
    },
    {
      id: 'state',
      header: 'State',
      cell: ({ row: { original: t } }) => (
        <Stack direction="column" gap={0.5} alignItems="flex-start">
          <TargetStateBadge state={t.state} />
          {t.running && <RunProgress running={t.running} />}
        </Stack>
      ),
    },
    {
      id: 'lastSuccess',
      header: 'Last good backup',
      cell: ({ row: { original: t } }) => (
        <Stack direction="column" gap={0} alignItems="flex-start">
          <Freshness lastSuccess={t.lastSuccess} rpoSeconds={t.rpoSeconds} />
          {t.lastSuccess && (
            <TextLink href={backupUrl(slot, t.lastSuccess.id)} inline={false} variant="bodySmall">
              details
            </TextLink>
          )}
        </Stack>
      ),
    },
    {
      id: 'verified',
      header: 'Last verification',
      cell: ({ row: { original: t } }) => {
        const verification = t.lastVerified?.verification ?? null;
        return (
          <Stack direction="column" gap={0} alignItems="flex-start">
            <VerificationBadge verification={verification} />
            {verification && (
              <Text variant="bodySmall" color="secondary">
                {formatRelative(verification.at)}
              </Text>
            )}
          </Stack>
        );
      },
    },
    {
      id: 'recoverable',
      header: 'Point in time',
      cell: ({ row: { original: t } }) => (t.binlog ? <Recoverable binlog={t.binlog} /> : <Text color="secondary">not archived</Text>),
    },
    {
      id: 'nextRun',
      header: 'Next run',
      cell: ({ row: { original: t } }) =>
        t.nextRunAt ? formatRelative(t.nextRunAt) : <Text color="secondary">on demand</Text>,
    },
    {
      id: 'lastFailure',
      header: 'Last failure',
      cell: ({ row: { original: t } }) =>
        t.lastFailure?.error ? (
          <FailureSummary
            failure={t.lastFailure.error}
            at={t.lastFailure.finishedAt ?? t.lastFailure.startedAt}
            resolved={t.state !== 'failing'}
          />
        ) : (
          <Text color="secondary">none</Text>
        ),
    },
    {
      id: 'actions',
      header: '',
      cell: ({ row: { original: t } }) => <BackUpNowButton client={client} target={t} onStarted={onChanged} />,
    },
  ];
  return (
    <InteractiveTable
      columns={columns}
      data={targets}
      getRowId={(t) => t.name}
      renderExpandedRow={(t) => <TargetHistory client={client} target={t} />}
    />
  );
}
