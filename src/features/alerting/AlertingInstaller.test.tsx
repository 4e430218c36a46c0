import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiRuleGroup } from './grafanaRules';
import { contactPoint, contactPoints, isWardenRoute, TEMPLATE, type PolicyRoute } from './notifications';
import { ALERT_RULES } from './rules';
import { REDACTED } from './grafanaAlerting';
import { status } from '../../test/backendSrv';
import { AlertingInstaller } from './AlertingInstaller';
import { fakeAlertingGrafana, TEAM_CONTACT, TEAM_ROUTE } from '../../test/fakeAlertingGrafana';

const VALUES = { emails: 'oncall@example.com; dba@example.com', dingtalkUrl: 'https://ding.example/robot', webhookUrl: 'https://hook.example/w' };
const ITEMS = 6 + ALERT_RULES.length; // folder, template, 3 contact points, the rules, the policy branch

async function fillForm(values: Partial<typeof VALUES> = VALUES) {
  const labels = { emails: /^E-mail addresses/, dingtalkUrl: /^DingTalk webhook URL/, webhookUrl: /^Webhook URL/ };
  for (const [field, value] of Object.entries(values) as Array<[keyof typeof VALUES, string]>) {
    const input = await screen.findByLabelText(labels[field]);
    await userEvent.clear(input);
    await userEvent.type(input, value);
  }
}

const install = () => userEvent.click(screen.getByRole('button', { name: 'Install alerting' }));

describe('AlertingInstaller', () => {
  it('installs everything in order on a Grafana without Warden, keeps the user route, then shows it installed', async () => {
    const grafana = fakeAlertingGrafana();
    render(<AlertingInstaller canInstall />);
    expect(await screen.findAllByText('missing')).toHaveLength(ITEMS);
    await fillForm();
    await install();
    expect(await screen.findByText('Warden alerting installed')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText('installed')).toHaveLength(ITEMS));

    expect(grafana.writes()).toEqual([
      'POST /api/folders',
      'PUT /api/v1/provisioning/templates/warden',
      'POST /api/v1/provisioning/contact-points',
      'POST /api/v1/provisioning/contact-points',
      'POST /api/v1/provisioning/contact-points',
      'PUT /api/v1/provisioning/folder/warden/rule-groups/warden',
      'PUT /api/v1/provisioning/policies',
    ]);
    const body = (url: string) => grafana.calls.find((c) => c.method && c.method !== 'GET' && c.url === url)!.data;
    expect(body('/api/folders')).toEqual({ uid: 'warden', title: 'Warden' });
    expect(body('/api/v1/provisioning/templates/warden')).toEqual({ template: TEMPLATE });
    expect(grafana.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/contact-points')).map((c) => c.data)).toEqual(
      contactPoints(VALUES),
    );
    expect(body('/api/v1/provisioning/folder/warden/rule-groups/warden')).toEqual(apiRuleGroup('warden'));
    // The policy tree is read again right before it is written, and the user's root and route stay.
    const put = grafana.calls.findIndex((c) => c.method === 'PUT' && c.url === '/api/v1/provisioning/policies');
    const before = grafana.calls[put - 1]!;
    expect(`${before.method ?? 'GET'} ${before.url}`).toBe('GET /api/v1/provisioning/policies');
    const tree = grafana.calls[put]!.data as PolicyRoute;
    expect(tree.receiver).toBe(TEAM_CONTACT.name);
    expect(isWardenRoute(tree.routes![0]!)).toBe(true);
    expect(tree.routes!.slice(1)).toEqual([TEAM_ROUTE]);
    for (const call of grafana.calls.filter((c) => c.method && c.method !== 'GET')) {
      expect(call.headers).toEqual({ 'X-Disable-Provenance': 'true' });
    }
  });

  it('updates existing contact points, prefilled, and keeps a DingTalk URL that Grafana hides', async () => {
    const dingtalk = contactPoint('dingtalk', VALUES);
    const grafana = fakeAlertingGrafana({
      folder: { uid: 'warden', title: 'Warden' },
      contactPoints: [TEAM_CONTACT, contactPoint('email', VALUES), { ...dingtalk, settings: { ...dingtalk.settings, url: REDACTED } }],
    });
    render(<AlertingInstaller canInstall />);
    expect(await screen.findByLabelText(/^E-mail addresses/)).toHaveValue(VALUES.emails);
    expect(screen.getByLabelText(/^DingTalk webhook URL/)).toHaveValue('');
    expect(screen.getByText(/leave empty to keep it/)).toBeInTheDocument();
    await fillForm({ webhookUrl: VALUES.webhookUrl });
    await install();
    await screen.findByText('Warden alerting installed');
    expect(grafana.writes().filter((w) => w.includes('contact-points'))).toEqual([
      'PUT /api/v1/provisioning/contact-points/warden-dingtalk',
      'PUT /api/v1/provisioning/contact-points/warden-email',
      'POST /api/v1/provisioning/contact-points',
    ]);
    const dingtalkPut = grafana.calls.find((c) => c.url.endsWith('/contact-points/warden-dingtalk'))!;
    expect((dingtalkPut.data as typeof dingtalk).settings.url).toBe(REDACTED);
    expect(grafana.writes()).not.toContain('POST /api/folders');
  });

  it('skips what files provisioned instead of failing on it', async () => {
    const grafana = fakeAlertingGrafana({
      templates: [{ name: 'warden', template: TEMPLATE, provenance: 'file' }],
      rules: [{ ...apiRuleGroup('warden').rules[0]!, provenance: 'file' }],
    });
    render(<AlertingInstaller canInstall />);
    expect(await screen.findAllByText('provisioned from files')).toHaveLength(2);
    await fillForm();
    await install();
    await screen.findByText('Warden alerting installed, except what files provision');
    const steps = within(screen.getByRole('list', { name: 'Install steps' }));
    expect(steps.getByText(/^Template warden: skipped/)).toBeInTheDocument();
    expect(steps.getByText(/^Rule group warden .*: skipped \(provisioned from files: /)).toBeInTheDocument();
    expect(grafana.writes()).not.toContain('PUT /api/v1/provisioning/templates/warden');
    expect(grafana.writes().some((w) => w.includes('rule-groups'))).toBe(false);
    expect(grafana.writes()).toContain('PUT /api/v1/provisioning/policies');
  });

  it('stops at the first failure, says where and why, and shows what Grafana holds then', async () => {
    const grafana = fakeAlertingGrafana(
      {},
      { 'POST /api/v1/provisioning/contact-points': status(400, { message: 'invalid object specification', error: 'bad url' }) },
    );
    render(<AlertingInstaller canInstall />);
    await fillForm();
    await install();
    expect(
      await screen.findByText(/^Installing stopped at "Contact point Warden DingTalk": Grafana refused POST \/api\/v1\/provisioning\/contact-points \(HTTP 400\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('invalid object specification: bad url')).toBeInTheDocument();
    expect(grafana.writes()).toEqual([
      'POST /api/folders',
      'PUT /api/v1/provisioning/templates/warden',
      'POST /api/v1/provisioning/contact-points',
    ]);
    await waitFor(() => expect(screen.getAllByText('installed')).toHaveLength(2)); // folder and template
  });

  it('asks for valid values and sends nothing until they are', async () => {
    const grafana = fakeAlertingGrafana();
    render(<AlertingInstaller canInstall />);
    await screen.findAllByText('missing');
    await fillForm({ webhookUrl: 'hooks.example.com' });
    await install();
    expect(screen.getAllByText('An http:// or https:// URL')).toHaveLength(2);
    expect(screen.getByText(/One or more e-mail addresses/)).toBeInTheDocument();
    expect(grafana.writes()).toEqual([]);
  });

  it('explains a read Grafana refuses, and offers no form without a status', async () => {
    fakeAlertingGrafana({}, { 'GET /api/v1/provisioning/alert-rules': status(403, { message: 'permissions needed: alert.provisioning:read' }) });
    render(<AlertingInstaller canInstall />);
    expect(await screen.findByText("Reading Grafana's alerting: Your role does not allow this")).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Install alerting' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
