// End to end: on the Overview of the BUILT plugin in Chromium, a target's row opens to the chart of
// its last runs, drawn from the catalog of a real `warden serve` (backups of a throwaway MariaDB,
// one of them failing), and each agent shows whether it answers. Same host and stub as plugin.test.ts.
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonData } from '../../src/shared/api/settings.js';
import { loadSampleShop } from '../harness/fixtures.js';
import { freePort, useMariaDB } from '../harness/mariadb.js';
import { waitFor } from '../helpers/proc.js';
import { request, serve, TOKEN, type Served } from '../helpers/serve.js';
import { makeWorkspace, ROOT, targetFor } from '../helpers/warden.js';
import { assertBuilt, DIST, documentScreenshot, ICONS, launchChromium, openPage, PLUGIN_ID } from './browser.js';
import { buildHost, HOST_DIST } from './buildHost.js';
import { startGrafanaStub, type GrafanaStub } from './grafanaStub.js';

const SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'overview-history.png');
const PASSWORD = 'e2e-History-pw-8a2f';

const getServer = useMariaDB({ binlog: true });
let agent: Served;
let grafana: GrafanaStub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

interface Summary {
  id: string;
  status: string;
  class: string;
}

/** Starts a backup of shop through the API and waits until the agent has finished it. */
async function backUp(): Promise<Summary> {
  const started = await request(agent, 'POST', '/api/v1/targets/shop/backups');
  expect(started.status, started.text).toBe(202);
  const id = started.json.id as string;
  return waitFor(
    async () => {
      const { json } = await request(agent, 'GET', '/api/v1/targets/shop');
      return json.running === null && json.lastRun?.id === id ? (json.lastRun as Summary) : undefined;
    },
    90_000,
    `backup ${id} to finish`,
  );
}

async function setBackupPassword(password: string): Promise<void> {
  for (const host of ['%', 'localhost']) await getServer().query('ALTER USER ?@? IDENTIFIED BY ?', ['backup', host, password]);
}

beforeAll(async () => {
  assertBuilt();
  const [, server] = await Promise.all([buildHost(), getServer()]);
  await loadSampleShop(server, 'shop');
  await server.createUser('backup', PASSWORD, ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR ON *.*']);
  // No schedule: the agent would catch up a missed run at start and race the tests.
  const ws = makeWorkspace([targetFor(server, 'shop', { user: 'backup', passwordEnv: 'SHOP_PW', databases: ['shop'] })]);
  agent = await serve(ws.config, { WARDEN_API_TOKEN: TOKEN, SHOP_PW: PASSWORD });
  grafana = await startGrafanaStub({ pluginId: PLUGIN_ID, distDir: DIST, hostDir: HOST_DIST, iconsDir: ICONS });
  // Configured as the config page saves it (plugin.test.ts covers that page): a second agent
  // whose URL nothing listens on.
  const gone = `http://127.0.0.1:${await freePort()}`;
  Object.assign(grafana.settings, {
    enabled: true,
    jsonData: toJsonData([
      { slot: 0, name: 'local', url: agent.url },
      { slot: 1, name: 'gone', url: gone },
    ]),
    secureJsonData: { agent0Token: TOKEN, agent1Token: TOKEN },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await grafana?.close();
});

const openOverview = () => openPage(page, `${grafana.url}/a/${PLUGIN_ID}/overview`);

const localAgent = () => page.getByRole('region', { name: 'Agent local' });
const shopRow = () => localAgent().getByRole('row').filter({ has: page.getByText('shop', { exact: true }) }).first();
const history = () => page.getByRole('region', { name: 'Last runs of shop' });
/** The bars of one chart, oldest first: what the SVG draws for each run. */
const bars = (chart: Locator) => chart.locator('rect[data-status]');
const statusesOf = (chart: Locator) => bars(chart).evaluateAll((rects) => rects.map((r) => r.getAttribute('data-status')));

describe("a target's last runs on the overview of the built plugin", () => {
  it('charts the runs the agent has, failed ones marked', async () => {
    const runs = [await backUp(), await backUp()];
    await setBackupPassword('not-the-password');
    runs.push(await backUp());
    await setBackupPassword(PASSWORD);
    runs.push(await backUp());
    expect(runs.map((r) => [r.status, r.class])).toEqual([
      ['success', 'none'],
      ['success', 'none'],
      ['failed', 'auth'],
      ['success', 'none'],
    ]);

    grafana.role = 'Viewer';
    await openOverview();
    await shopRow().getByRole('button', { name: 'Toggle row expanded' }).click();
    const charts = history().getByRole('figure');
    await history().getByRole('figure', { name: 'Duration of the last 4 runs' }).waitFor({ timeout: 15_000 });
    expect(await charts.evaluateAll((figures) => figures.map((f) => f.getAttribute('aria-label')))).toEqual([
      'Duration of the last 4 runs',
      'Stored size of the last 4 runs',
      'Rows of the last 4 runs',
    ]);
    for (const chart of await charts.all()) {
      expect(await statusesOf(chart)).toEqual(['success', 'success', 'failed', 'success']);
    }

    // Drawn, not only present: bars of real sizes, the failed one in its own colour on a column.
    const size = history().getByRole('figure', { name: /^Stored size/ });
    const drawn = await bars(size).evaluateAll((rects) =>
      rects.map((r) => ({ height: (r as SVGRectElement).getBBox().height, fill: getComputedStyle(r).fill, title: r.textContent })),
    );
    const [good, , failed] = drawn;
    expect(good!.height).toBeGreaterThan(10);
    expect(failed!.height).toBeGreaterThan(0);
    expect(failed!.height).toBeLessThan(good!.height);
    expect(failed!.fill).not.toBe(good!.fill);
    expect(failed!.title).toMatch(/: failed \(auth\), 0 B$/);
    expect(await size.locator('rect:not([data-status])').count()).toBe(1);
    expect(await history().getByText('4 runs: 3 succeeded, 1 did not, newest on the right').count()).toBe(1);
  });

  it('shows whether each agent answers, with its version, and links to the dashboard', async () => {
    const { json: about } = await request(agent, 'GET', '/api/v1/agent');
    const local = page.getByRole('group', { name: 'Health of agent local' });
    await local.getByText('Ready', { exact: true }).waitFor();
    expect(await local.getByText(`Warden ${about.version} · started`).count()).toBe(1);
    await page.getByRole('group', { name: 'Health of agent gone' }).getByText('Not answering').waitFor();
    expect(await page.getByRole('link', { name: 'MySQL backups dashboard' }).getAttribute('href')).toBe('/d/warden-mysql-backups');
  });

  it('follows a new run while the row is open', async () => {
    grafana.role = 'Editor';
    await openOverview();
    await shopRow().getByRole('button', { name: 'Toggle row expanded' }).click();
    await history().getByRole('figure', { name: 'Rows of the last 4 runs' }).waitFor({ timeout: 15_000 });
    await shopRow().getByRole('button', { name: 'Back up shop now' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Back up now', exact: true }).click();
    const rows = history().getByRole('figure', { name: 'Rows of the last 5 runs' });
    await expect.poll(async () => (await rows.count()) && (await statusesOf(rows)).at(-1), { timeout: 90_000 }).toBe('success');
    const box = (await localAgent().boundingBox())!;
    const margin = 16;
    await documentScreenshot(page, {
      path: SCREENSHOT,
      clip: { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin },
    });
  });

  it('loaded without errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
