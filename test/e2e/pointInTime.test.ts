// The built plugin in Chromium against a real `warden serve` archiving a real MariaDB's binary log:
// the Overview says how far a point-in-time restore reaches, the target's row opens to the
// restore-to-time form whose command is what the user typed, quoted, and an Admin's dry run shows
// the agent's plan. The form's screenshot goes to docs/screenshots/restore-to-time.png.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetInfoSchema, type BinlogInfo } from '../../backend/src/contract/api.js';
import { restoreToPointCommandLine } from '../../src/features/pointInTime/command.js';
import { toJsonData, tokenKey } from '../../src/shared/api/settings.js';
import { useMariaDB } from '../harness/mariadb.js';
import { waitFor } from '../helpers/proc.js';
import { openEvents, request, serve, TOKEN, type Served } from '../helpers/serve.js';
import { makeWorkspace, ROOT, targetFor } from '../helpers/warden.js';
import { assertBuilt, DIST, documentScreenshot, ICONS, launchChromium, openPage, PLUGIN_ID } from './browser.js';
import { buildHost, HOST_DIST } from './buildHost.js';
import { startGrafanaStub, type GrafanaStub } from './grafanaStub.js';

const SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'restore-to-time.png');
const getServer = useMariaDB({ binlog: true });
let agent: Served;
let grafana: GrafanaStub;
let browser: Browser;
let page: Page;
let binlog: BinlogInfo;
let backupId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  const [, server] = await Promise.all([buildHost(), getServer()]);
  await server.createDatabase('shop');
  await server.query('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40))');
  await server.query("INSERT INTO shop.orders (note) VALUES ('before')");
  const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'], verifyAfterBackup: 'none', binlog: { archive: true, flushSeconds: 1 } })]);
  agent = await serve(ws.config);
  const events = await openEvents(agent);
  const started = await request(agent, 'POST', '/api/v1/targets/shop/backups');
  expect(started.status, started.text).toBe(202);
  backupId = started.json.id;
  await events.next((e) => e.name === 'run-finished' && e.data.id === backupId, 60_000, 'the backup');
  events.close();
  // The write after the backup lands in a later second than the backup started: the form's time,
  // to the second, then has a backup before it.
  await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
  await server.query("INSERT INTO shop.orders (note) VALUES ('after')");
  const written = Math.floor(Date.now() / 1000) * 1000;
  binlog = await waitFor(async () => {
    const b = targetInfoSchema.parse((await request(agent, 'GET', '/api/v1/targets/shop')).json).binlog;
    return b?.recoverableTo && Date.parse(b.recoverableTo) >= written ? b : null;
  }, 30_000, 'recoverable-to to pass the write after the backup');

  grafana = await startGrafanaStub({ pluginId: PLUGIN_ID, distDir: DIST, hostDir: HOST_DIST, iconsDir: ICONS });
  Object.assign(grafana.settings, { enabled: true, jsonData: toJsonData([{ slot: 0, name: 'local', url: agent.url }]), secureJsonData: { [tokenKey(0)]: TOKEN } });
  grafana.timezone = 'utc';
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Tokyo' });
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await grafana?.close();
  await agent?.stop();
});

const shopRow = () => page.getByRole('row').filter({ has: page.getByText('shop', { exact: true }) });
const form = () => page.getByRole('region', { name: 'Restore shop to a point in time' });
/** What the user types: an hour that is not the default, and a name built to break a shell. */
const HOSTILE_DB = "x'; rm -rf / # $(touch pwned)";

async function openForm(): Promise<void> {
  await openPage(page, `${grafana.url}/a/${PLUGIN_ID}/overview`);
  await shopRow().first().waitFor({ timeout: 15_000 });
  await shopRow().first().getByRole('button', { name: 'Toggle row expanded' }).click();
  await form().waitFor({ timeout: 15_000 });
}

describe('point-in-time recovery in the plugin', () => {
  it("shows on the Overview how far a restore reaches, in the user's Grafana time zone, with lag and no gap", async () => {
    grafana.role = 'Viewer';
    await openPage(page, `${grafana.url}/a/${PLUGIN_ID}/overview`);
    const recoverable = shopRow().first().getByTestId('recoverable');
    await recoverable.waitFor({ timeout: 15_000 });
    // The archive keeps catching up, so the time moves on; utc in Grafana, Tokyo (+9 h) in the browser: read as UTC it lies between then and now.
    const shown = /Recoverable to (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})/.exec((await recoverable.textContent()) ?? '');
    expect(shown, 'a time in YYYY-MM-DD HH:mm:ss').not.toBeNull();
    const at = Date.parse(`${shown![1]}T${shown![2]}Z`);
    expect(at).toBeGreaterThanOrEqual(Math.floor(Date.parse(binlog.recoverableTo!) / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(await recoverable.textContent()).toContain('No gap');
    expect(await recoverable.textContent()).toMatch(/Lag \d/);
  });

  it('builds the quoted command from the form for a Viewer, and offers no action', async () => {
    grafana.role = 'Viewer';
    await openForm();
    const time = form().getByRole('textbox', { name: 'Time' });
    // The default: a minute before now, no later than recoverable-to.
    const shown = await time.inputValue();
    expect(Date.parse(`${shown.replace(' ', 'T')}Z`)).toBeLessThanOrEqual(Date.parse(binlog.recoverableTo!));
    await form().getByRole('textbox', { name: 'New database' }).fill(HOSTILE_DB);
    const iso = `${shown.replace(' ', 'T')}Z`;
    expect(await page.getByTestId('pitr-command').textContent()).toBe(
      restoreToPointCommandLine({ target: 'shop', point: { kind: 'time', iso }, database: HOSTILE_DB, configFile: (await request(agent, 'GET', '/api/v1/agent')).json.configFile }),
    );
    expect(await page.getByTestId('pitr-command').textContent()).toContain(`--database 'x'\\''; rm -rf / # $(touch pwned)'`);
    await form().getByRole('radio', { name: 'GTID' }).check({ force: true });
    await form().getByRole('textbox', { name: 'GTID' }).fill('0-1-$(id)');
    expect(await page.getByTestId('pitr-command').textContent()).toContain(`--to-gtid '0-1-$(id)' --database`);
    expect(await form().getByRole('button', { name: 'Dry run' }).count()).toBe(0);
  });

  it("runs an Admin's dry run through the agent and shows its plan; the real run waits for a confirmation", async () => {
    grafana.role = 'Admin';
    await openForm();
    const time = form().getByRole('textbox', { name: 'Time' });
    await time.fill(new Date(binlog.recoverableTo!).toISOString().slice(0, 19).replace('T', ' '));
    await form().getByRole('textbox', { name: 'New database' }).fill('shop_at_point');
    expect(await form().getByRole('button', { name: 'Restore…' }).isDisabled()).toBe(true);
    await form().getByRole('button', { name: 'Dry run' }).click();
    const plan = page.getByTestId('pitr-plan');
    await plan.waitFor({ timeout: 30_000 });
    expect(await plan.textContent()).toContain(`Plan (nothing was changed): load backup ${backupId} (shop as shop_at_point), replay`);
    expect(grafana.proxied.filter((p) => p.path.includes('restore-to-point'))).toEqual([{ method: 'POST', path: `agent/0/api/v1/restore-to-point/${backupId}`, status: 200 }]);
    await form().getByRole('button', { name: 'Restore…' }).click();
    await page.getByRole('dialog').waitFor();
    expect(await page.getByRole('dialog').textContent()).toContain('into the new database shop_at_point');
    await documentScreenshot(page, { path: SCREENSHOT, fullPage: true });
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    // Nothing ran: the database does not exist.
    expect(await getServer().query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_at_point'")).toEqual([]);
  });

  it('refuses the action to an Editor at the Grafana route, before the agent', async () => {
    grafana.role = 'Editor';
    const r = await page.evaluate(
      async ([id]) => (await fetch(`/api/plugin-proxy/warden-mysqlbackup-app/agent/0/api/v1/restore-to-point/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"2026-01-01T00:00:00Z","database":"x","dryRun":true}' })).status,
      [backupId],
    );
    expect(r).toBe(403);
  });

  it('loaded without errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
