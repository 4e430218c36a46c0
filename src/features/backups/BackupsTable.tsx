import { InteractiveTable, Text, TextLink, type Column } from '@grafana/ui';
import type { BackupSummary } from '../../../backend/src/contract/index.js';
import { backupUrl } from '../../constants';
import { formatBytes, formatCount, formatDuration, formatTime } from '../../shared/utils/format';
import { ClassBadge, OffsiteBadge, RunStatusBadge, VerificationBadge } from '../../shared/components/Badges';
import { describeMethod } from './method';

interface Props {
  slot: number;
  backups: BackupSummary[];
}

/** The inventory: every run with its method, sizes, duration, status, verification, offsite copy and class. */
export function BackupsTable({ slot, backups }: Props) {
  const columns: Array<Column<BackupSummary>> = [
    {
      id: 'startedAt',
      header: 'Time',
      cell: ({ row: { original: b } }) => (
        <TextLink href={backupUrl(slot, b.id)} inline={false}>
          {formatTime(b.startedAt)}
        </TextLink>
      ),
    },
    { id: 'target', header: 'Target' },
    { id: 'method', header: 'Method', cell: ({ row: { original: b } }) => describeMethod(b) },
    {
      id: 'bytes',
      header: 'Size (stored / raw)',
      cell: ({ row: { original: b } }) => (
        <span>
          {formatBytes(b.bytes)}{' '}
          <Text color="secondary" variant="bodySmall">
            / {formatBytes(b.rawBytes)}
          </Text>
        </span>
      ),
    },
    { id: 'rows', header: 'Rows', cell: ({ row: { original: b } }) => formatCount(b.rows) },
    { id: 'durationSeconds', header: 'Duration', cell: ({ row: { original: b } }) => formatDuration(b.durationSeconds) },
    { id: 'status', header: 'Status', cell: ({ row: { original: b } }) => <RunStatusBadge status={b.status} /> },
    {
      id: 'verification',
      header: 'Verification',
      cell: ({ row: { original: b } }) => <VerificationBadge verification={b.verification} />,
    },
    { id: 'offsite', header: 'Offsite', cell: ({ row: { original: b } }) => <OffsiteBadge offsite={b.offsite} /> },
    { id: 'class', header: 'Class', cell: ({ row: { original: b } }) => <ClassBadge value={b.class} /> },
  ];
  return <InteractiveTable columns={columns} data={backups} getRowId={(b) => b.id} pageSize={25} />;
}
