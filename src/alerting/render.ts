// Renders the alert rules into Grafana's file-provisioning format and into a Prometheus rules file
// (the latter exists so that promtool can test the expressions).
import { stringify } from 'yaml';
import { ALERT_RULES, type AlertRule, RUNBOOK_BASE } from './rules.js';

export const DATASOURCE_UID = 'warden-prometheus';
/** Paths relative to the repository root. */
export const GRAFANA_RULES_FILE = 'provisioning/alerting/rules.yaml';
export const PROMETHEUS_RULES_FILE = 'provisioning/alerting/prometheus-rules.yaml';

const GROUP = 'warden';
const HEADER = '# Generated from src/alerting/rules.ts by `npm run alerting:generate`; do not edit.\n';

function labels(rule: AlertRule): Record<string, string> {
  return { severity: rule.severity };
}

function annotations(rule: AlertRule): Record<string, string> {
  return { summary: rule.summary, description: rule.description, runbook_url: `${RUNBOOK_BASE}#${rule.runbook}` };
}

function grafanaRule(rule: AlertRule) {
  return {
    uid: rule.uid,
    title: rule.title,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: DATASOURCE_UID,
        // The expression keeps only firing series; mapping each to 1 lets one threshold serve all rules.
        model: { refId: 'A', expr: `(${rule.expr}) * 0 + 1`, instant: true, range: false },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: { refId: 'C', type: 'threshold', expression: 'A', conditions: [{ evaluator: { type: 'gt', params: [0] } }] },
      },
    ],
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    labels: labels(rule),
    annotations: annotations(rule),
    isPaused: false,
  };
}

function prometheusRule(rule: AlertRule) {
  return { alert: rule.title, expr: rule.expr, for: rule.for, labels: labels(rule), annotations: annotations(rule) };
}

export interface RenderedAlerting {
  grafana: string;
  prometheus: string;
}

export function renderAlerting(rules: readonly AlertRule[] = ALERT_RULES): RenderedAlerting {
  const yaml = (doc: unknown) => HEADER + stringify(doc, { lineWidth: 0 });
  return {
    grafana: yaml({ apiVersion: 1, groups: [{ orgId: 1, name: GROUP, folder: 'Warden', interval: '1m', rules: rules.map(grafanaRule) }] }),
    // No group interval: promtool tests then evaluate at the interval each test asks for.
    prometheus: yaml({ groups: [{ name: GROUP, rules: rules.map(prometheusRule) }] }),
  };
}
