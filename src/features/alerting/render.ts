// Renders the alerting source into Grafana's file-provisioning format and into a Prometheus rules
// file (the latter exists so that promtool can test the expressions, and for Prometheus users).
import { stringify } from 'yaml';
import { fileRuleGroup, ruleAnnotations, ruleLabels } from './grafanaRules.js';
import { CONTACT_ENV, contactPoints, TEMPLATE, TEMPLATE_NAME, wardenPolicyTree } from './notifications.js';
import { ALERT_RULES, type AlertRule } from './rules.js';

/** Generated file → content; paths relative to the repository root. */
export type RenderedFiles = Record<string, string>;

export const GRAFANA_RULES_FILE = 'provisioning/alerting/rules.yaml';
export const CONTACT_POINTS_FILE = 'provisioning/alerting/contact-points.yaml';
export const POLICIES_FILE = 'provisioning/alerting/policies.yaml';
export const TEMPLATES_FILE = 'provisioning/alerting/templates.yaml';
export const PROMETHEUS_RULES_FILE = 'provisioning/prometheus/warden-rules.yaml';

const HEADER = '# Generated from src/features/alerting/ by `npm run alerting:generate`; do not edit.\n';

function prometheusRule(rule: AlertRule) {
  return { alert: rule.title, expr: rule.expr, for: rule.for, labels: ruleLabels(rule), annotations: ruleAnnotations(rule) };
}

export function renderAlerting(rules: readonly AlertRule[] = ALERT_RULES): RenderedFiles {
  const yaml = (doc: unknown) => HEADER + stringify(doc, { lineWidth: 0 });
  const grafana = (doc: Record<string, unknown>) => yaml({ apiVersion: 1, ...doc });
  return {
    [GRAFANA_RULES_FILE]: grafana({ groups: [fileRuleGroup(rules)] }),
    [CONTACT_POINTS_FILE]: grafana({
      contactPoints: contactPoints(CONTACT_ENV).map(({ name, ...receiver }) => ({ orgId: 1, name, receivers: [receiver] })),
    }),
    // Provisioning a policy tree replaces the organisation's whole tree: right for a Grafana that
    // Warden's compose stack owns; an existing Grafana uses the installer, which merges.
    [POLICIES_FILE]: grafana({ policies: [{ orgId: 1, ...wardenPolicyTree() }] }),
    [TEMPLATES_FILE]: grafana({ templates: [{ orgId: 1, name: TEMPLATE_NAME, template: TEMPLATE }] }),
    // No group interval: promtool tests then evaluate at the interval each test asks for.
    [PROMETHEUS_RULES_FILE]: yaml({ groups: [{ name: 'warden', rules: rules.map(prometheusRule) }] }),
  };
}
