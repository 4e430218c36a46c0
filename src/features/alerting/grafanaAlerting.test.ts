import { describe, expect, it } from 'vitest';
import { apiRuleGroup } from './grafanaRules';
import { contactPoint } from './notifications';
import { mockBackendSrv, network, ok, status } from '../../test/backendSrv';
import {
  createContactPoint,
  createFolder,
  getFolder,
  getPolicyTree,
  GrafanaApiError,
  listAlertRules,
  listContactPoints,
  listTemplates,
  putPolicyTree,
  putRuleGroup,
  putTemplate,
  updateContactPoint,
} from './grafanaAlerting';

const VALUES = { emails: 'a@example.com', dingtalkUrl: 'https://ding.example/robot', webhookUrl: 'https://hook.example/w' };

async function failure(promise: Promise<unknown>): Promise<GrafanaApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrafanaApiError);
  return err as GrafanaApiError;
}

describe('Grafana alerting client', () => {
  it('reads the provisioning lists, the policy tree and the folder with GETs and no provenance header', async () => {
    const calls = mockBackendSrv({
      'GET /api/v1/provisioning/alert-rules': ok([{ uid: 'r1', title: 'R1' }]),
      'GET /api/v1/provisioning/contact-points': ok([{ uid: 'c1', name: 'C1', type: 'email', settings: {} }]),
      'GET /api/v1/provisioning/templates': ok(null),
      'GET /api/v1/provisioning/policies': ok({ receiver: 'team', routes: [] }),
      'GET /api/folders/warden': ok({ uid: 'warden', title: 'Warden' }),
    });
    expect(await listAlertRules()).toEqual([{ uid: 'r1', title: 'R1' }]);
    expect((await listContactPoints())[0]!.uid).toBe('c1');
    expect(await listTemplates()).toEqual([]); // Grafana's null for an empty list
    expect(await getPolicyTree()).toEqual({ receiver: 'team', routes: [] });
    expect(await getFolder('warden')).toEqual({ uid: 'warden', title: 'Warden' });
    expect(calls.map((c) => [c.method ?? 'GET', c.headers, c.showErrorAlert])).toEqual(Array(5).fill(['GET', undefined, false]));
  });

  it('answers a missing folder with null and fails on other errors', async () => {
    mockBackendSrv({ 'GET /api/folders/warden': status(404, { message: 'folder not found' }) });
    expect(await getFolder('warden')).toBeNull();
    mockBackendSrv({ 'GET /api/folders/warden': status(403, { message: 'access denied' }) });
    const err = await failure(getFolder('warden'));
    expect([err.status, err.message, err.call]).toEqual([403, 'access denied', 'GET /api/folders/warden']);
  });

  it('writes with the right verb, URL and body, each with X-Disable-Provenance', async () => {
    const email = contactPoint('email', VALUES);
    const group = apiRuleGroup('warden');
    const tree = { receiver: 'team', routes: [] };
    const calls = mockBackendSrv({
      'POST /api/folders': ok({ uid: 'warden', title: 'Warden' }),
      'PUT /api/v1/provisioning/templates/warden': ok({}),
      'POST /api/v1/provisioning/contact-points': ok(email),
      'PUT /api/v1/provisioning/contact-points/warden-email': ok({}),
      'PUT /api/v1/provisioning/folder/warden/rule-groups/warden': ok(group),
      'PUT /api/v1/provisioning/policies': ok({}),
    });
    await createFolder({ uid: 'warden', title: 'Warden' });
    await putTemplate('warden', '{{ define "x" }}{{ end }}');
    await createContactPoint(email);
    await updateContactPoint(email);
    await putRuleGroup('warden', 'warden', group);
    await putPolicyTree(tree);
    expect(calls.map((c) => [c.method, c.url, c.data])).toEqual([
      ['POST', '/api/folders', { uid: 'warden', title: 'Warden' }],
      ['PUT', '/api/v1/provisioning/templates/warden', { template: '{{ define "x" }}{{ end }}' }],
      ['POST', '/api/v1/provisioning/contact-points', email],
      ['PUT', '/api/v1/provisioning/contact-points/warden-email', email],
      ['PUT', '/api/v1/provisioning/folder/warden/rule-groups/warden', group],
      ['PUT', '/api/v1/provisioning/policies', tree],
    ]);
    for (const call of calls) expect(call.headers).toEqual({ 'X-Disable-Provenance': 'true' });
  });

  it("keeps Grafana's message and the cause it adds, and says which call failed", async () => {
    mockBackendSrv({
      'PUT /api/v1/provisioning/policies': status(400, { message: 'invalid object specification', error: "receiver 'x' does not exist" }),
    });
    const err = await failure(putPolicyTree({}));
    expect(err.message).toBe("invalid object specification: receiver 'x' does not exist");
    expect(err.call).toBe('PUT /api/v1/provisioning/policies');
  });

  it('reports a network failure with status 0', async () => {
    mockBackendSrv({ 'GET /api/v1/provisioning/templates': network });
    expect((await failure(listTemplates())).status).toBe(0);
  });
});
