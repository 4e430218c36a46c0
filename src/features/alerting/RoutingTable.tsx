import { InteractiveTable, type Column } from '@grafana/ui';
import { contactPoint, ROUTING } from './notifications';
import { ALERT_RULES } from './rules';
import { EMPTY_VALUES } from './contactValues';

type Severity = keyof typeof ROUTING;

interface Route {
  severity: Severity;
  contacts: string;
  rules: string;
}

const ROUTES: Route[] = (Object.entries(ROUTING) as Array<[Severity, (typeof ROUTING)[Severity]]>).map(([severity, keys]) => ({
  severity,
  contacts: keys.map((key) => contactPoint(key, EMPTY_VALUES).name).join(', '),
  rules:
    ALERT_RULES.filter((rule) => rule.severity === severity)
      .map((rule) => rule.title)
      .join(', ') || '–',
}));

const COLUMNS: Array<Column<Route>> = [
  { id: 'severity', header: 'Severity' },
  { id: 'contacts', header: 'Notifies' },
  { id: 'rules', header: 'Alert rules' },
];

/** Where each severity goes once the Warden branch of the notification policies is in place. */
export function RoutingTable() {
  return <InteractiveTable columns={COLUMNS} data={ROUTES} getRowId={(route) => route.severity} />;
}
