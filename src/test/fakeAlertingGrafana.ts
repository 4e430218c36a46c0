// For tests: Grafana's alerting provisioning API and folder API over the mocked transport, with
// state, so an install can be read back. Seeded like a Grafana someone already uses: a team's
// contact point and a policy tree with one route of theirs.
import type { BackendSrvRequest } from '@grafana/runtime';
import { CONTACT_KEYS, type PolicyRoute } from '../features/alerting/notifications';
import type { Folder, PolicyTree, ProvisionedContactPoint, ProvisionedRule } from '../features/alerting/grafanaAlerting';
import { mockBackendSrv, ok, status, type Routes } from './backendSrv';
import { contactUid } from '../features/alerting/contactValues';
import type { AlertingSnapshot } from '../features/alerting/status';

export const TEAM_CONTACT: ProvisionedContactPoint = {
  uid: 'team-email',
  name: 'Team email',
  type: 'email',
  settings: { addresses: 'team@example.com' },
  disableResolveMessage: false,
  provenance: '',
};
export const TEAM_ROUTE: PolicyRoute = { receiver: TEAM_CONTACT.name, object_matchers: [['team', '=', 'payments']] };
export const TEAM_POLICIES: PolicyTree = { receiver: TEAM_CONTACT.name, group_by: ['grafana_folder', 'alertname'], routes: [TEAM_ROUTE] };

const P = '/api/v1/provisioning';

export function fakeAlertingGrafana(seed: Partial<AlertingSnapshot> = {}, overrides: Routes = {}) {
  const state: AlertingSnapshot = {
    folder: null,
    rules: [],
    contactPoints: [TEAM_CONTACT],
    templates: [],
    policies: TEAM_POLICIES,
    ...seed,
  };
  const body = <T>(request: BackendSrvRequest) => request.data as T;
  const putContact = (request: BackendSrvRequest) => {
    const point = body<ProvisionedContactPoint>(request);
    state.contactPoints = state.contactPoints.map((p) => (p.uid === point.uid ? { ...point, provenance: '' } : p));
    return ok({ message: 'contactpoint updated' });
  };
  const routes: Routes = {
    'GET /api/folders/warden': () => (state.folder ? ok(state.folder) : status(404, { message: 'folder not found' })),
    'POST /api/folders': (request) => ok((state.folder = body<Folder>(request))),
    [`GET ${P}/alert-rules`]: () => ok(state.rules),
    [`GET ${P}/contact-points`]: () => ok(state.contactPoints),
    [`GET ${P}/templates`]: () => ok(state.templates),
    [`GET ${P}/policies`]: () => ok(state.policies),
    [`PUT ${P}/templates/warden`]: (request) => {
      state.templates = [{ name: 'warden', template: body<{ template: string }>(request).template, provenance: '' }];
      return ok(state.templates[0]);
    },
    [`POST ${P}/contact-points`]: (request) => {
      state.contactPoints = [...state.contactPoints, { ...body<ProvisionedContactPoint>(request), provenance: '' }];
      return ok(request.data);
    },
    ...Object.fromEntries(CONTACT_KEYS.map((key) => [`PUT ${P}/contact-points/${contactUid(key)}`, putContact])),
    [`PUT ${P}/folder/warden/rule-groups/warden`]: (request) => {
      state.rules = body<{ rules: ProvisionedRule[] }>(request).rules.map((rule) => ({ ...rule, provenance: '' }));
      return ok(request.data);
    },
    [`PUT ${P}/policies`]: (request) => {
      state.policies = body<PolicyTree>(request);
      return ok({ message: 'policies updated' });
    },
    ...overrides,
  };
  const calls = mockBackendSrv(routes);
  return {
    state,
    calls,
    /** "METHOD url" of every request that changed something */
    writes: () => calls.filter((c) => (c.method ?? 'GET') !== 'GET').map((c) => `${c.method} ${c.url}`),
  };
}
