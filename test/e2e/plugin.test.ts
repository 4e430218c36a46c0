// End to end: the BUILT plugin (dist/) in Chromium, inside a host page that provides what Grafana
// provides to app plugins (grafanaStub.ts, host/), against a real `warden serve` and a throwaway
// MariaDB. Screenshots of every page go to docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRuleGroup, DATASOURCE_UID, RULE_FOLDER } from '../../src/features/alerting/grafanaRules.js';
import { contactPoints, isWardenRoute, TEMPLATE, type PolicyRoute } from '../../src/features/alerting/notifications.js';
import { ALERT_RULES } from '../../src/features/alerting/rules.js';
import { restoreCommandLine } from '../../src/features/backups/shell.js';
import { loadSampleShop } from '../harness/fixtures.js';
import { useMariaDB } from '../harness/mariadb.js';
import { lockTable } from '../helpers/faults.js';
import { request, serve, TOKEN, type Served } from '../helpers/serve.js';
import { makeWorkspace, ROOT, targetFor } from '../helpers/warden.js';
import { assertBuilt, DIST, documentScreenshot, ICONS, launchChromium, openPage, PLUGIN_ID } from './browser.js';
import { buildHost, HOST_DIST } from './buildHost.js';
import { SEEDED_ROUTE, startGrafanaStub, type GrafanaStub, type RecordedRequest } from './grafanaStub.js';

const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'e2e-Backup-pw-3c1d';
const CONTACTS = {
  emails: 'oncall@example.com; dba@example.com',
  dingtalkUrl: 'https://oapi.dingtalk.com/robot/send?access_token=e2e-token',
  webhookUrl: 'https://hooks.example.com/warden',
};
// The folder, the template, three contact points, every rule and the policy branch.
const ALERTING_ITEMS = 6 + ALERT_RULES.length;

const getServer = useMariaDB({ binlog: true });
let agent: Served;
let grafana: GrafanaStub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  const [, server] = await Promise.all([buildHost(), getServer()]);
  await loadSampleShop(server, 'shop');
  await server.createUser('backup', PASSWORD, ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR ON *.*']);
  const ws = makeWorkspace([
    // No schedule: the agent would catch up a missed run at start and race the tests.
    targetFor(server, 'shop', { user: 'backup', passwordEnv: 'SHOP_PW', databases: ['shop'], rpo: '26h' }),
    targetFor(server, 'broken', { user: 'backup', passwordEnv: 'BROKEN_PW', databases: ['shop'] }),
  ]);
  agent = await serve(ws.config, { WARDEN_API_TOKEN: TOKEN, SHOP_PW: PASSWORD, BROKEN_PW: 'not-the-password' });
  grafana = await startGrafanaStub({ pluginId: PLUGIN_ID, distDir: DIST, hostDir: HOST_DIST, iconsDir: ICONS });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await grafana?.close();
});

const open = (pathname: string) => openPage(page, grafana.url + pathname);

const screenshot = (name: string) => documentScreenshot(page, { path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** The table row of a target or backup whose cells include exactly `text`. */
const rowOf = (text: string): Locator => page.getByRole('row').filter({ has: page.getByText(text, { exact: true }) });

/** On a timeout, what the agent itself says about the target, and the end of its log. */
function explainWithAgent(target: string) {
  return async (err: Error): Promise<never> => {
    const { json } = await request(agent, 'GET', `/api/v1/targets/${target}`);
    throw new Error(`${err.message}\nthe agent reports: ${JSON.stringify(json)}\nits log ends:\n${agent.stderr().slice(-2000)}`);
  };
}

async function confirm(name: string): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name, exact: true }).click();
}

/** The state badges of the alerting status table that read `text`. */
const alertingBadges = (text: string): Locator =>
  page.getByRole('region', { name: 'What this Grafana has' }).getByText(text, { exact: true });

/** Presses install and returns the writes it made to Grafana's alerting, once its result shows. */
async function installAlerting(result: string): Promise<RecordedRequest[]> {
  const before = grafana.alerting.requests.length;
  await page.getByRole('button', { name: 'Install alerting' }).click();
  await page.getByText(result, { exact: true }).waitFor();
  return grafana.alerting.requests.slice(before).filter((r) => r.method !== 'GET');
}

const callsOf = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${r.path}`);

describe('the built plugin in Chromium against warden serve', () => {
  it('connects to the agent from the config page, and the token never comes back', async () => {
    grafana.role = 'Admin';
    await open(`/plugins/${PLUGIN_ID}`);
    await page.getByRole('button', { name: 'Add agent' }).click();
    await page.getByLabel(/^Name/).fill('local');
    await page.getByLabel(/^URL/).fill(agent.url);
    await page.getByLabel(/^API token/).fill(TOKEN);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText(/^Connected: 2 targets/).count(), { timeout: 15_000 }).toBe(1);
    expect(grafana.settings.jsonData).toMatchObject({ agents: [{ slot: 0, name: 'local', url: agent.url }], agent0Url: agent.url });
    const seenByBrowser = await page.evaluate(async (id) => (await fetch(`/api/plugins/${id}/settings`)).text(), PLUGIN_ID);
    expect(seenByBrowser).not.toContain(TOKEN);
    expect(seenByBrowser).toContain('"agent0Token":true');
    expect(await page.content()).not.toContain(TOKEN);
    await screenshot('config');
  });

  it('lists the targets on the overview in the state the agent reports', async () => {
    grafana.role = 'Editor';
    await open(`/a/${PLUGIN_ID}/overview`);
    const { json } = await request(agent, 'GET', '/api/v1/targets');
    const labels: Record<string, string> = { never: 'Never succeeded', stale: 'Stale' };
    for (const t of json.targets as Array<{ name: string; state: string }>) {
      await rowOf(t.name).getByText(labels[t.state] ?? t.state, { exact: true }).waitFor({ timeout: 15_000 });
    }
    expect(await rowOf('shop').getByText('no good backup yet').count()).toBe(1);
  });

  it('backs up now: progress shows while the dump runs, then success', async () => {
    const release = await lockTable(getServer(), 'shop.orders'); // holds the dump mid-way
    try {
      await rowOf('shop').getByRole('button', { name: 'Back up shop now' }).click();
      await confirm('Back up now');
      const progress = rowOf('shop').getByTestId('run-progress');
      await progress.waitFor({ timeout: 30_000 });
      expect(await rowOf('shop').getByText('Running').count()).toBe(1);
      // The agent's run-progress events reach the page: bytes read so far (tables before `orders`).
      await progress.getByText(/ read, /).waitFor({ timeout: 15_000 });
      await screenshot('overview-running');
    } finally {
      await release();
    }
    await rowOf('shop').getByText('OK', { exact: true }).waitFor({ timeout: 60_000 }).catch(explainWithAgent('shop'));
    expect(await rowOf('shop').getByTestId('freshness').textContent()).toMatch(/(just now|ago) · RPO 1 d 2 h$/);
    // Live updates came over the agent's event stream, through the proxy.
    expect(grafana.proxied).toContainEqual({ method: 'GET', path: 'agent/0/api/v1/events', status: 200 });
  });

  it('shows the class and hint of a failing target', async () => {
    await rowOf('broken').getByRole('button', { name: 'Back up broken now' }).click();
    await confirm('Back up now');
    await rowOf('broken').getByText('Failing').waitFor({ timeout: 60_000 }).catch(explainWithAgent('broken'));
    const { json } = await request(agent, 'GET', '/api/v1/targets/broken');
    expect(json.lastFailure.error.class).toBe('auth');
    const broken = rowOf('broken');
    expect(await broken.getByText('auth', { exact: true }).count()).toBe(1);
    expect(await broken.getByText(json.lastFailure.error.hint).count()).toBe(1);
    await screenshot('overview');
  });

  it('lists backups and shows a backup with its tables and rows', async () => {
    await open(`/a/${PLUGIN_ID}/backups`);
    await rowOf('broken').first().waitFor();
    const success = rowOf('shop').filter({ hasText: 'success' });
    expect(await success.count()).toBe(1);
    await screenshot('backups');

    await success.getByRole('link').click();
    const tables = page.getByRole('region', { name: /^Tables/ });
    await tables.waitFor();
    const { json: summary } = await request(agent, 'GET', '/api/v1/backups?target=shop&status=success');
    const { json: manifest } = await request(agent, 'GET', `/api/v1/backups/${summary.backups[0].id}`);
    for (const table of manifest.tables as Array<{ name: string; rows: number }>) {
      const row = tables.getByRole('row').filter({ has: page.getByText(table.name, { exact: true }) });
      expect(await row.getByText(table.rows.toLocaleString('en-US'), { exact: true }).count(), table.name).toBe(1);
    }
    const { json: about } = await request(agent, 'GET', '/api/v1/agent');
    const restore = restoreCommandLine({ id: manifest.id, target: 'shop', database: 'shop', configFile: about.configFile });
    expect(await page.getByText(restore, { exact: true }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Run log' }).getByRole('listitem').count()).toBeGreaterThan(0);
    await screenshot('backup-details');
  });

  it("installs Warden's alerting through Grafana's provisioning API, keeping the policies already there", async () => {
    grafana.role = 'Admin';
    await open(`/a/${PLUGIN_ID}/alerts`);
    await expect.poll(() => alertingBadges('missing').count()).toBe(ALERTING_ITEMS);
    await page.getByLabel(/^E-mail addresses/).fill(CONTACTS.emails);
    await page.getByLabel(/^DingTalk webhook URL/).fill(CONTACTS.dingtalkUrl);
    await page.getByLabel(/^Webhook URL/).fill(CONTACTS.webhookUrl);
    const writes = await installAlerting('Warden alerting installed');
    await expect.poll(() => alertingBadges('installed').count()).toBe(ALERTING_ITEMS);

    expect(callsOf(writes)).toEqual([
      'POST /api/folders',
      'PUT /api/v1/provisioning/templates/warden',
      'POST /api/v1/provisioning/contact-points',
      'POST /api/v1/provisioning/contact-points',
      'POST /api/v1/provisioning/contact-points',
      'PUT /api/v1/provisioning/folder/warden/rule-groups/warden',
      'PUT /api/v1/provisioning/policies',
    ]);
    for (const write of writes) expect(write.headers['x-disable-provenance'], callsOf([write])[0]).toBe('true');
    const [folder, template, dingtalk, email, webhook, group, policies] = writes.map((w) => w.body);
    expect(folder).toEqual(RULE_FOLDER);
    expect(template).toEqual({ template: TEMPLATE });
    expect([dingtalk, email, webhook]).toEqual(contactPoints(CONTACTS));
    expect([dingtalk, email, webhook]).toMatchObject([
      { type: 'dingding', settings: { url: CONTACTS.dingtalkUrl } },
      { type: 'email', settings: { addresses: CONTACTS.emails } },
      { type: 'webhook', settings: { url: CONTACTS.webhookUrl } },
    ]);
    expect(group).toEqual(apiRuleGroup(RULE_FOLDER.uid));
    const { rules } = group as ReturnType<typeof apiRuleGroup>;
    expect(rules.map((r) => r.uid)).toEqual(ALERT_RULES.map((r) => r.uid));
    expect(new Set(rules.flatMap((r) => r.data.filter((q) => q.refId === 'A').map((q) => q.datasourceUid)))).toEqual(
      new Set([DATASOURCE_UID]),
    );
    const tree = policies as PolicyRoute;
    expect(tree.receiver).toBe(SEEDED_ROUTE.receiver);
    expect(isWardenRoute(tree.routes![0]!)).toBe(true);
    expect(tree.routes!.slice(1)).toEqual([SEEDED_ROUTE]);
    // Made with X-Disable-Provenance: editable in Grafana's UI like anything made by hand.
    expect(grafana.alerting.policies.provenance).toBe('');
    expect([...grafana.alerting.rules.values()].every((r) => r.provenance === '')).toBe(true);
    await screenshot('alerts');
  });

  it('leaves what files provision alone on the next install, and keeps the DingTalk URL Grafana hides', async () => {
    grafana.alerting.templates.get('warden')!.provenance = 'file';
    await open(`/a/${PLUGIN_ID}/alerts`);
    await page.getByRole('row').filter({ hasText: 'Notification template' }).getByText('provisioned from files').waitFor();
    expect(await page.getByLabel(/^E-mail addresses/).inputValue()).toBe(CONTACTS.emails);
    expect(await page.getByLabel(/^Webhook URL/).inputValue()).toBe(CONTACTS.webhookUrl);
    expect(await page.getByLabel(/^DingTalk webhook URL/).inputValue()).toBe('');
    const writes = await installAlerting('Warden alerting installed, except what files provision');
    expect(callsOf(writes)).toEqual([
      'PUT /api/v1/provisioning/contact-points/warden-dingtalk',
      'PUT /api/v1/provisioning/contact-points/warden-email',
      'PUT /api/v1/provisioning/contact-points/warden-webhook',
      'PUT /api/v1/provisioning/folder/warden/rule-groups/warden',
      'PUT /api/v1/provisioning/policies',
    ]);
    expect(grafana.alerting.contactPoints.get('warden-dingtalk')!.settings.url).toBe(CONTACTS.dingtalkUrl);
    const routes = grafana.alerting.policies.routes as PolicyRoute[];
    expect(routes.filter(isWardenRoute)).toHaveLength(1);
    await expect.poll(() => alertingBadges('installed').count()).toBe(ALERTING_ITEMS - 1);
  });

  it('renders both nested panels', async () => {
    await open('/panels/backupstatus?title=Backup%20status');
    await page.getByTestId('status-broken').getByText('Failing').waitFor();
    expect(await page.getByTestId('status-shop').getByText('OK', { exact: true }).count()).toBe(1);
    await screenshot('panel-backupstatus');

    await open('/panels/backupcontrol?title=Backup%20control&verifyLevel=checksum');
    await page.getByTestId('control-shop').getByRole('button', { name: 'Verify (checksum)' }).waitFor();
    await screenshot('panel-backupcontrol');
  });

  it('gives viewers no way to start a backup, in the page or through the proxy', async () => {
    grafana.role = 'Viewer';
    await open(`/a/${PLUGIN_ID}/overview`);
    const button = rowOf('shop').getByRole('button', { name: 'Back up shop now' });
    await button.waitFor();
    expect((await button.getAttribute('aria-disabled')) === 'true' || (await button.isDisabled())).toBe(true);
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/plugin-proxy/${id}/agent/0/api/v1/targets/shop/backups`, { method: 'POST' })).status,
      PLUGIN_ID,
    );
    expect(status).toBe(403);
  });

  it('tells viewers that installing alerting is for admins, and offers them no install button', async () => {
    grafana.role = 'Viewer';
    await open(`/a/${PLUGIN_ID}/alerts`);
    await page.getByText("Only organization admins can install Warden's alerting").waitFor();
    // Grafana lets only admins read alerting provisioning: the page says so instead of failing.
    await page.getByText("Reading Grafana's alerting: Your role does not allow this").waitFor();
    expect(await page.getByRole('button', { name: 'Install alerting' }).count()).toBe(0);
  });

  it('loaded without errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
