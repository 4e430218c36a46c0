// The alert rules in Grafana's shapes: the file-provisioning group and the body that the alerting
// provisioning HTTP API takes (the installer). Both share one rule body, so they cannot drift.
import { CLASS_INFO, type FailureClass } from '../../../backend/src/contract/classes.js';
import { ALERT_RULES, type AlertRule, RUNBOOK_BASE } from './rules.js';

/** Fixed uid of the Prometheus datasource: the datasource provisioning and every rule use it. */
export const DATASOURCE_UID = 'warden-prometheus';
export const RULE_FOLDER = { uid: 'warden', title: 'Warden' } as const;
export const RULE_GROUP = 'warden';
export const RULE_GROUP_INTERVAL_SECONDS = 60;
/** Every Warden alert carries it; the notification policy's Warden branch matches on it. */
export const APP_LABEL = { name: 'app', value: 'warden' } as const;

/** A Go-template chain that prints the class table's first action for the alert's class label. */
function hintByClass(): string {
  const branches = (Object.keys(CLASS_INFO) as FailureClass[]).map(
    (cls, i) => `{{ ${i === 0 ? 'if' : 'else if'} eq $labels.class "${cls}" }}${CLASS_INFO[cls].firstAction}`,
  );
  return `${branches.join('')}{{ end }}`;
}

export function ruleLabels(rule: AlertRule): Record<string, string> {
  return { [APP_LABEL.name]: APP_LABEL.value, severity: rule.severity, ...rule.labels };
}

export function ruleAnnotations(rule: AlertRule): Record<string, string> {
  return {
    summary: rule.summary,
    description: rule.description,
    hint: rule.hint === 'byClass' ? hintByClass() : rule.hint,
    runbook_url: `${RUNBOOK_BASE}#${rule.runbook}`,
  };
}

/** The expression keeps only firing series; mapping each to 1 lets one threshold serve all rules. */
export function grafanaQuery(rule: AlertRule): string {
  return `(${rule.expr}) * 0 + 1`;
}

/** The fields a rule has in both the provisioning file and the HTTP API. */
export function grafanaRuleBody(rule: AlertRule) {
  return {
    uid: rule.uid,
    title: rule.title,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: DATASOURCE_UID,
        model: { refId: 'A', expr: grafanaQuery(rule), instant: true, range: false },
      },
      {
        refId: 'C',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: '__expr__',
        model: { refId: 'C', type: 'threshold', expression: 'A', conditions: [{ evaluator: { type: 'gt', params: [0] } }] },
      },
    ],
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    labels: ruleLabels(rule),
    annotations: ruleAnnotations(rule),
    isPaused: false,
  };
}

export type GrafanaRuleBody = ReturnType<typeof grafanaRuleBody>;

/** One group of Grafana's alerting file provisioning (`groups:`); the folder is named by title. */
export function fileRuleGroup(rules: readonly AlertRule[] = ALERT_RULES) {
  return { orgId: 1, name: RULE_GROUP, folder: RULE_FOLDER.title, interval: `${RULE_GROUP_INTERVAL_SECONDS}s`, rules: rules.map(grafanaRuleBody) };
}

/** Body of `PUT /api/v1/provisioning/folder/{folderUid}/rule-groups/{group}`. */
export function apiRuleGroup(folderUid: string = RULE_FOLDER.uid, rules: readonly AlertRule[] = ALERT_RULES) {
  return {
    title: RULE_GROUP,
    folderUid,
    interval: RULE_GROUP_INTERVAL_SECONDS,
    rules: rules.map((rule) => ({ ...grafanaRuleBody(rule), folderUID: folderUid, ruleGroup: RULE_GROUP, orgID: 1 })),
  };
}
