// Where Warden alerts go: three contact points, a routing table by severity, the notification
// policy branch built from that table, and the message template. The provisioning files and the
// in-app installer both build from here.
import type { Severity } from '../../../backend/src/contract/classes.js';
import { APP_LABEL } from './grafanaRules.js';

export type ContactKey = 'dingtalk' | 'email' | 'webhook';

/** What a user supplies: in files, environment references; in the installer, the form's values. */
export interface ContactValues {
  /** One or more addresses, separated by `;` or `,` as Grafana's email integration accepts. */
  emails: string;
  dingtalkUrl: string;
  webhookUrl: string;
}

/** Grafana expands `$VAR` in provisioning files when it reads them. */
export const CONTACT_ENV: ContactValues = {
  emails: '$WARDEN_ALERT_EMAIL',
  dingtalkUrl: '$WARDEN_DINGTALK_URL',
  webhookUrl: '$WARDEN_WEBHOOK_URL',
};

/**
 * Who hears about what, after the seeds' severity table: critical pages the on-call chat and mails,
 * error mails, warning goes to the team's webhook. Change routing here and regenerate.
 */
export const ROUTING: Record<Severity, readonly ContactKey[]> = {
  critical: ['dingtalk', 'email'],
  error: ['email'],
  warning: ['webhook'],
  info: ['webhook'],
};

export const TEMPLATE_NAME = 'warden';
const TITLE = '{{ template "warden.title" . }}';
const MESSAGE = '{{ template "warden.message" . }}';

/** Notification template: every alert with its target, class, severity and hint. */
export const TEMPLATE = [
  '{{ define "warden.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ',
  '{{ .CommonLabels.alertname }}{{ with .CommonLabels.target }} ({{ . }}){{ end }}{{ end }}\n',
  '{{ define "warden.message" }}{{ range .Alerts }}{{ .Annotations.summary }}\n',
  '- target: {{ or .Labels.target "-" }}\n',
  '- class: {{ or .Labels.class "-" }}\n',
  '- severity: {{ .Labels.severity }}\n',
  '- hint: {{ .Annotations.hint }}\n',
  '- details: {{ .Annotations.description }}\n',
  '- runbook: {{ .Annotations.runbook_url }}\n',
  '\n{{ end }}{{ end }}\n',
].join('');

export interface ContactPoint {
  uid: string;
  name: string;
  type: 'dingding' | 'email' | 'webhook';
  settings: Record<string, unknown>;
  disableResolveMessage: boolean;
}

const CONTACTS: Record<ContactKey, { uid: string; name: string; settings(v: ContactValues): ContactPoint['settings']; type: ContactPoint['type'] }> = {
  dingtalk: {
    uid: 'warden-dingtalk',
    name: 'Warden DingTalk',
    type: 'dingding',
    settings: (v) => ({ url: v.dingtalkUrl, msgType: 'markdown', title: TITLE, message: MESSAGE }),
  },
  email: {
    uid: 'warden-email',
    name: 'Warden email',
    type: 'email',
    settings: (v) => ({ addresses: v.emails, singleEmail: false, subject: TITLE, message: MESSAGE }),
  },
  webhook: {
    uid: 'warden-webhook',
    name: 'Warden webhook',
    type: 'webhook',
    settings: (v) => ({ url: v.webhookUrl, httpMethod: 'POST', title: TITLE, message: MESSAGE }),
  },
};

export const CONTACT_KEYS = Object.keys(CONTACTS) as ContactKey[];

export function contactPoint(key: ContactKey, values: ContactValues): ContactPoint {
  const { uid, name, type, settings } = CONTACTS[key];
  return { uid, name, type, settings: settings(values), disableResolveMessage: false };
}

export function contactPoints(values: ContactValues): ContactPoint[] {
  return CONTACT_KEYS.map((key) => contactPoint(key, values));
}

export type Matcher = [string, '=' | '!=' | '=~' | '!~', string];

/** The subset of Grafana's notification policy (`Route`) that Warden reads and writes. */
export interface PolicyRoute {
  receiver?: string;
  group_by?: string[];
  object_matchers?: Matcher[];
  continue?: boolean;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: PolicyRoute[];
  [other: string]: unknown;
}

const APP_MATCHER: Matcher = [APP_LABEL.name, '=', APP_LABEL.value];

/** One child per (severity, contact); `continue` lets a severity reach all of its contacts. */
function severityRoutes(): PolicyRoute[] {
  return (Object.entries(ROUTING) as [Severity, readonly ContactKey[]][]).flatMap(([severity, keys]) =>
    keys.map((key, i) => ({
      receiver: CONTACTS[key].name,
      object_matchers: [['severity', '=', severity] as Matcher],
      continue: i < keys.length - 1,
    })),
  );
}

/** The Warden branch of a policy tree: matches `app=warden`, then routes by severity. */
export function wardenRoute(): PolicyRoute {
  return {
    receiver: CONTACTS.email.name,
    object_matchers: [APP_MATCHER],
    group_by: ['alertname', 'target'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    routes: severityRoutes(),
  };
}

export function isWardenRoute(route: PolicyRoute): boolean {
  return (route.object_matchers ?? []).some(([name, op, value]) => name === APP_MATCHER[0] && op === '=' && value === APP_MATCHER[2]);
}

/** A whole tree for a Grafana whose policies Warden owns (the provisioning files). */
export function wardenPolicyTree(): PolicyRoute {
  return { receiver: CONTACTS.email.name, group_by: ['grafana_folder', 'alertname'], routes: [wardenRoute()] };
}

/**
 * Someone else's tree with the Warden branch put first (replacing an older one): their root,
 * their other routes and their defaults stay as they were.
 */
export function mergeWardenRoute(tree: PolicyRoute): PolicyRoute {
  const others = (tree.routes ?? []).filter((route) => !isWardenRoute(route));
  return { ...tree, routes: [wardenRoute(), ...others] };
}
