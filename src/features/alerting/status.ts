// What of Warden's alerting a Grafana already has, item by item, compared with what the installer
// would write. Pure: it reads one snapshot of Grafana's answers.
import { grafanaQuery, grafanaRuleBody, RULE_FOLDER } from './grafanaRules';
import { CONTACT_KEYS, contactPoint, isWardenRoute, TEMPLATE, TEMPLATE_NAME, wardenRoute, type ContactKey, type PolicyRoute } from './notifications';
import { ALERT_RULES, type AlertRule } from './rules';
import {
  FROM_FILES,
  type Folder,
  type NotificationTemplate,
  type PolicyTree,
  type ProvisionedContactPoint,
  type ProvisionedRule,
} from './grafanaAlerting';
import { EMPTY_VALUES, userSettings } from './contactValues';

/** `file`: provisioned from files, which Grafana's API may not change. */
export type ItemState = 'missing' | 'installed' | 'differs' | 'file';
export type ItemKind = 'folder' | 'template' | 'contactPoint' | 'rule' | 'policy';

export interface ItemStatus {
  kind: ItemKind;
  /** unique among the items */
  id: string;
  name: string;
  state: ItemState;
  /** what differs, or what is there besides */
  detail?: string;
}

/** Grafana's answers to the status reads. */
export interface AlertingSnapshot {
  folder: Folder | null;
  rules: ProvisionedRule[];
  contactPoints: ProvisionedContactPoint[];
  templates: NotificationTemplate[];
  policies: PolicyTree;
}

export const WARDEN_RULE_UIDS: ReadonlySet<string> = new Set(ALERT_RULES.map((rule) => rule.uid));

/** The state of something that exists: differences make it `differs`, provenance `file` wins. */
function existingState(provenance: string | undefined, differences: string[]): Pick<ItemStatus, 'state' | 'detail'> {
  if (provenance === FROM_FILES) return { state: 'file', detail: differences.length ? `differs: ${differences.join(', ')}` : undefined };
  return differences.length ? { state: 'differs', detail: `differs: ${differences.join(', ')}` } : { state: 'installed' };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const sortedEntries = (record: Record<string, unknown> = {}) => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds of a Prometheus duration ("1h30m", "5m", "0s"), NaN when it is not one. */
export function durationSeconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|[smhdwy])/g)];
  if (parts.map((p) => p[0]).join('') !== duration || parts.length === 0) return Number.NaN;
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS[unit!]!, 0);
}

export function ruleDifferences(found: ProvisionedRule, rule: AlertRule): string[] {
  const ours = grafanaRuleBody(rule);
  const differences: string[] = [];
  if (found.title !== ours.title) differences.push('title');
  if (found.data?.[0]?.model?.expr !== grafanaQuery(rule)) differences.push('query');
  if (found.for !== ours.for && durationSeconds(found.for ?? '0s') !== durationSeconds(ours.for)) differences.push('pending period');
  if (!sameJson(sortedEntries(found.labels), sortedEntries(ours.labels))) differences.push('labels');
  return differences;
}

function ruleStatus(rule: AlertRule, rules: ProvisionedRule[]): ItemStatus {
  const item = { kind: 'rule', id: `rule:${rule.uid}`, name: rule.title } as const;
  const found = rules.find((r) => r.uid === rule.uid);
  return found ? { ...item, ...existingState(found.provenance, ruleDifferences(found, rule)) } : { ...item, state: 'missing' };
}

/** Name, type and the settings Warden fixes; addresses and URLs are the user's (and may be redacted). */
export function contactDifferences(found: ProvisionedContactPoint, key: ContactKey): string[] {
  const ours = contactPoint(key, EMPTY_VALUES);
  const differences: string[] = [];
  if (found.name !== ours.name) differences.push('name');
  if (found.type !== ours.type) differences.push('type');
  const own = userSettings(key);
  const settings = Object.keys(ours.settings).filter((s) => !own.has(s) && !sameJson(found.settings[s], ours.settings[s]));
  if (settings.length) differences.push(`settings ${settings.join(', ')}`);
  return differences;
}

function contactStatus(key: ContactKey, points: ProvisionedContactPoint[]): ItemStatus {
  const { uid, name } = contactPoint(key, EMPTY_VALUES);
  const item = { kind: 'contactPoint', id: `contactPoint:${uid}`, name } as const;
  const found = points.find((p) => p.uid === uid);
  return found ? { ...item, ...existingState(found.provenance, contactDifferences(found, key)) } : { ...item, state: 'missing' };
}

function templateStatus(templates: NotificationTemplate[]): ItemStatus {
  const item = { kind: 'template', id: 'template', name: TEMPLATE_NAME } as const;
  const found = templates.find((t) => t.name === TEMPLATE_NAME);
  if (!found) return { ...item, state: 'missing' };
  return { ...item, ...existingState(found.provenance, found.template.trim() === TEMPLATE.trim() ? [] : ['text']) };
}

/** Grafana drops defaults (`continue: false`, empty lists) when it stores a route. */
function canonicalRoute(route: PolicyRoute): unknown {
  return {
    receiver: route.receiver,
    object_matchers: route.object_matchers ?? [],
    group_by: route.group_by ?? [],
    continue: route.continue ?? false,
    group_wait: route.group_wait,
    group_interval: route.group_interval,
    repeat_interval: route.repeat_interval,
    routes: (route.routes ?? []).map(canonicalRoute),
  };
}

/** Installed means first among the top-level routes (nothing before it can swallow Warden's alerts) and as built. */
function policyStatus(tree: PolicyTree): ItemStatus {
  const item = { kind: 'policy', id: 'policy', name: 'Warden branch of the notification policies' } as const;
  const routes = tree.routes ?? [];
  const index = routes.findIndex(isWardenRoute);
  if (index < 0) return tree.provenance === FROM_FILES ? { ...item, state: 'file', detail: 'no Warden branch' } : { ...item, state: 'missing' };
  const differences: string[] = [];
  if (index > 0) differences.push('not the first route');
  if (!sameJson(canonicalRoute(routes[index]!), canonicalRoute(wardenRoute()))) differences.push('routing');
  return { ...item, ...existingState(tree.provenance, differences) };
}

function folderStatus(folder: Folder | null): ItemStatus {
  return { kind: 'folder', id: 'folder', name: RULE_FOLDER.title, state: folder ? 'installed' : 'missing' };
}

/** Every item in install order: folder, template, contact points, rules, policy. */
export function alertingStatus(snapshot: AlertingSnapshot): ItemStatus[] {
  return [
    folderStatus(snapshot.folder),
    templateStatus(snapshot.templates),
    ...CONTACT_KEYS.map((key) => contactStatus(key, snapshot.contactPoints)),
    ...ALERT_RULES.map((rule) => ruleStatus(rule, snapshot.rules)),
    policyStatus(snapshot.policies),
  ];
}
