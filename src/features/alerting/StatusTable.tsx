import { InteractiveTable, type Column } from '@grafana/ui';
import { type BadgeSpec, SpecBadge } from '../../shared/components/Badges';
import type { ItemKind, ItemState, ItemStatus } from './status';

const STATES: Record<ItemState, BadgeSpec> = {
  missing: { text: 'missing', color: 'orange', icon: 'minus-circle', tooltip: 'Not in this Grafana yet: the installer creates it.' },
  installed: { text: 'installed', color: 'green', icon: 'check', tooltip: 'In this Grafana, as Warden builds it.' },
  differs: { text: 'update available', color: 'blue', icon: 'sync', tooltip: 'In this Grafana, but not as Warden builds it: the installer updates it.' },
  file: {
    text: 'provisioned from files',
    color: 'purple',
    icon: 'file-alt',
    tooltip: "Grafana's API may not change it: the installer leaves it alone. Update the provisioning files instead.",
  },
};

export function StateBadge({ state }: { state: ItemState }) {
  return <SpecBadge spec={STATES[state]} />;
}

const KINDS: Record<ItemKind, string> = {
  folder: 'Folder',
  template: 'Notification template',
  contactPoint: 'Contact point',
  rule: 'Alert rule',
  policy: 'Notification policy',
};

const COLUMNS: Array<Column<ItemStatus>> = [
  { id: 'kind', header: 'Kind', cell: ({ row: { original } }) => KINDS[original.kind] },
  { id: 'name', header: 'Name' },
  { id: 'state', header: 'State', cell: ({ row: { original } }) => <StateBadge state={original.state} /> },
  { id: 'detail', header: 'Details', cell: ({ row: { original } }) => original.detail ?? '' },
];

/** One row per thing the installer writes, in the order it writes them. */
export function StatusTable({ items }: { items: ItemStatus[] }) {
  return <InteractiveTable columns={COLUMNS} data={items} getRowId={(item) => item.id} />;
}
