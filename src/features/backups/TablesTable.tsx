import { InteractiveTable, type Column } from '@grafana/ui';
import type { ManifestTable } from '../../../backend/src/contract/index.js';
import { formatCount } from '../../shared/utils/format';
import { ClassBadge } from '../../shared/components/Badges';

/** Every table in the backup with the rows counted while dumping (per-table runs add their state). */
export function TablesTable({ tables }: { tables: ManifestTable[] }) {
  const perTable = tables.some((t) => t.status !== undefined);
  const columns: Array<Column<ManifestTable>> = [
    { id: 'name', header: 'Table', sortType: 'string' },
    { id: 'rows', header: 'Rows', sortType: 'number', cell: ({ row: { original: t } }) => formatCount(t.rows) },
    ...(perTable
      ? [
          { id: 'status', header: 'State' },
          {
            id: 'error',
            header: 'Failure',
            cell: ({ row: { original: t } }: { row: { original: ManifestTable } }) =>
              t.error ? <ClassBadge value={t.error.class} /> : null,
          },
        ]
      : []),
  ];
  return <InteractiveTable columns={columns} data={tables} getRowId={(t) => t.name} pageSize={20} />;
}
