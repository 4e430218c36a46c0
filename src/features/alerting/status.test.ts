import { describe, expect, it } from 'vitest';
import { apiRuleGroup } from './grafanaRules';
import { contactPoints, mergeWardenRoute, TEMPLATE, wardenRoute, type PolicyRoute } from './notifications';
import { ALERT_RULES } from './rules';
import { REDACTED, type ProvisionedRule } from './grafanaAlerting';
import { TEAM_CONTACT, TEAM_POLICIES, TEAM_ROUTE } from '../../test/fakeAlertingGrafana';
import { alertingStatus, durationSeconds, type AlertingSnapshot, type ItemStatus } from './status';

const VALUES = { emails: 'oncall@example.com', dingtalkUrl: 'https://ding.example/robot', webhookUrl: 'https://hook.example/w' };

/** Grafana stores defaults away: `continue: false` is not in what it answers. */
function asGrafanaStores(route: PolicyRoute): PolicyRoute {
  const { continue: cont, routes, ...rest } = route;
  return { ...rest, ...(cont ? { continue: true } : {}), ...(routes ? { routes: routes.map(asGrafanaStores) } : {}) };
}

/** What Grafana answers after an install: its own fields added, secrets redacted. */
function installed(): AlertingSnapshot {
  return {
    folder: { uid: 'warden', title: 'Warden' },
    rules: apiRuleGroup('warden').rules.map((rule) => ({
      ...rule,
      id: 7,
      updated: '2025-03-01T12:00:00Z',
      provenance: '',
      data: rule.data.map((query) => ({ ...query, model: { ...query.model, intervalMs: 1000, maxDataPoints: 43200 } })),
    })),
    contactPoints: [
      TEAM_CONTACT,
      ...contactPoints(VALUES).map((point) =>
        point.type === 'dingding' ? { ...point, settings: { ...point.settings, url: REDACTED } } : point,
      ),
    ],
    templates: [{ name: 'warden', template: TEMPLATE, provenance: '' }],
    policies: asGrafanaStores(mergeWardenRoute(TEAM_POLICIES)),
  };
}

const EMPTY: AlertingSnapshot = { folder: null, rules: [], contactPoints: [TEAM_CONTACT], templates: [], policies: TEAM_POLICIES };

const byId = (items: ItemStatus[], id: string) => items.find((item) => item.id === id)!;
const states = (items: ItemStatus[]) => new Set(items.map((item) => item.state));

function withRule(uid: string, change: (rule: ProvisionedRule) => ProvisionedRule): AlertingSnapshot {
  const snapshot = installed();
  return { ...snapshot, rules: snapshot.rules.map((rule) => (rule.uid === uid ? change(rule) : rule)) };
}

describe('alertingStatus', () => {
  it('lists everything as missing in a Grafana without Warden, in install order', () => {
    const items = alertingStatus(EMPTY);
    expect(states(items)).toEqual(new Set(['missing']));
    expect(items.map((item) => item.kind)).toEqual([
      'folder',
      'template',
      'contactPoint',
      'contactPoint',
      'contactPoint',
      ...ALERT_RULES.map(() => 'rule'),
      'policy',
    ]);
    expect(items.filter((item) => item.kind === 'rule').map((item) => item.name)).toEqual(ALERT_RULES.map((rule) => rule.title));
  });

  it("sees an install as installed despite Grafana's own fields, redacted URLs and dropped defaults", () => {
    expect(alertingStatus(installed()).filter((item) => item.state !== 'installed')).toEqual([]);
  });

  it('compares durations by their length', () => {
    const stale = ALERT_RULES.find((rule) => rule.for === '5m')!;
    const items = alertingStatus(withRule(stale.uid, (rule) => ({ ...rule, for: '300s' })));
    expect(byId(items, `rule:${stale.uid}`).state).toBe('installed');
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('0s')).toBe(0);
    expect(durationSeconds('soon')).toBeNaN();
  });

  it('offers an update for a rule whose query, pending period or labels differ, naming them', () => {
    const [first] = ALERT_RULES;
    const items = alertingStatus(
      withRule(first!.uid, (rule) => ({
        ...rule,
        for: '2h',
        labels: { ...rule.labels, severity: 'info' },
        data: [{ refId: 'A', model: { expr: 'up == 0' } }],
      })),
    );
    expect(byId(items, `rule:${first!.uid}`)).toMatchObject({ state: 'differs', detail: 'differs: query, pending period, labels' });
  });

  it('offers an update for a contact point whose fixed settings differ, never for its addresses or URL', () => {
    const snapshot = installed();
    snapshot.contactPoints = snapshot.contactPoints.map((point) => {
      if (point.uid === 'warden-email') return { ...point, settings: { ...point.settings, addresses: 'someone@else.org' } };
      if (point.uid === 'warden-webhook') return { ...point, settings: { ...point.settings, httpMethod: 'PUT', url: 'https://other' } };
      return point;
    });
    const items = alertingStatus(snapshot);
    expect(byId(items, 'contactPoint:warden-email').state).toBe('installed');
    expect(byId(items, 'contactPoint:warden-webhook')).toMatchObject({ state: 'differs', detail: 'differs: settings httpMethod' });
  });

  it('offers an update for an older template and for a Warden branch that is not first', () => {
    const snapshot = installed();
    snapshot.templates = [{ name: 'warden', template: '{{ define "warden.title" }}old{{ end }}', provenance: '' }];
    snapshot.policies = { ...TEAM_POLICIES, routes: [TEAM_ROUTE, wardenRoute()] };
    const items = alertingStatus(snapshot);
    expect(byId(items, 'template')).toMatchObject({ state: 'differs', detail: 'differs: text' });
    expect(byId(items, 'policy')).toMatchObject({ state: 'differs', detail: 'differs: not the first route' });
  });

  it('marks what files provisioned, even when it matches', () => {
    const snapshot = installed();
    snapshot.templates = [{ name: 'warden', template: TEMPLATE, provenance: 'file' }];
    snapshot.policies = { ...snapshot.policies, provenance: 'file' };
    const items = alertingStatus(withRule(ALERT_RULES[0]!.uid, (rule) => ({ ...rule, provenance: 'file', title: 'Renamed' })));
    expect(byId(items, `rule:${ALERT_RULES[0]!.uid}`)).toMatchObject({ state: 'file', detail: 'differs: title' });
    const fileItems = alertingStatus(snapshot);
    expect(byId(fileItems, 'template')).toEqual(expect.objectContaining({ state: 'file', detail: undefined }));
    expect(byId(fileItems, 'policy').state).toBe('file');
    expect(byId(alertingStatus({ ...EMPTY, policies: { ...TEAM_POLICIES, provenance: 'file' } }), 'policy')).toMatchObject({
      state: 'file',
      detail: 'no Warden branch',
    });
  });
});
