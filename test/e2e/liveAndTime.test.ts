// The built plugin in Chromium, against two fake agents (fakeAgent.ts): however many Warden panels
// and pages a tab shows, each agent gets one event stream; and times follow the time zone of the
// user's Grafana profile, not the browser's.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toJsonData, tokenKey } from '../../src/shared/api/settings.js';
import { assertBuilt, DIST, ICONS, launchChromium, openPage, PLUGIN_ID } from './browser.js';
import { buildHost, HOST_DIST } from './buildHost.js';
import { fakeBackup, startFakeAgent, type FakeAgent } from './fakeAgent.js';
import { startGrafanaStub, type GrafanaStub } from './grafanaStub.js';

/** The browser's own zone: a time shown in it means the plugin ignored the user's preference. */
const BROWSER_ZONE = 'America/Los_Angeles';
const STARTED_AT = '2025-03-01T23:30:05.000Z';

let agents: FakeAgent[];
let grafana: GrafanaStub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Every EventSource the page constructs, by URL, in window.__eventSources. */
function countEventSources(): void {
  const Original = window.EventSource;
  const opened: string[] = [];
  Object.assign(window, { __eventSources: opened });
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      opened.push(String(url));
    }
  };
}

beforeAll(async () => {
  assertBuilt();
  await buildHost();
  agents = await Promise.all([startFakeAgent([fakeBackup(STARTED_AT)]), startFakeAgent([])]);
  grafana = await startGrafanaStub({ pluginId: PLUGIN_ID, distDir: DIST, hostDir: HOST_DIST, iconsDir: ICONS });
  Object.assign(grafana.settings, {
    enabled: true,
    jsonData: toJsonData(agents.map((a, slot) => ({ slot, name: `agent-${slot}`, url: a.url }))),
    secureJsonData: Object.fromEntries(agents.map((_, slot) => [tokenKey(slot), `token-${slot}`])),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: BROWSER_ZONE });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.addInitScript(countEventSources);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await grafana?.close();
  await Promise.all((agents ?? []).map((a) => a.close()));
});

beforeEach(() => {
  grafana.role = 'Viewer';
  grafana.timezone = '';
});

const open = (pathname: string) => openPage(page, grafana.url + pathname);
const eventSources = () => page.evaluate(() => (window as unknown as { __eventSources: string[] }).__eventSources);
const streamOf = (slot: number) => `/api/plugin-proxy/${PLUGIN_ID}/agent/${slot}/api/v1/events`;

describe('event streams in a browser tab', () => {
  it('opens one stream per agent for a dashboard of five panels from two panel plugins', async () => {
    await open('/dashboard?panels=backupstatus,backupcontrol,backupstatus,backupcontrol,backupstatus:1');
    await expect.poll(() => page.getByTestId('status-shop').count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('control-shop').count()).toBe(2);
    // Every panel says it is live, on the stream of its own agent.
    await expect.poll(() => page.getByText('Live', { exact: true }).count(), { timeout: 15_000 }).toBe(5);
    expect((await eventSources()).sort()).toEqual([streamOf(0), streamOf(1)]);
    expect(agents.map((a) => a.openStreams)).toEqual([1, 1]);
  });

  it('opens one stream per agent for the Overview of two agents, and closes them when the page goes', async () => {
    await open(`/a/${PLUGIN_ID}/overview`);
    for (const slot of [0, 1]) await page.getByRole('region', { name: `Agent agent-${slot}` }).getByText('shop', { exact: true }).waitFor({ timeout: 15_000 });
    await expect.poll(() => agents.map((a) => a.openStreams), { timeout: 15_000 }).toEqual([1, 1]);
    expect((await eventSources()).sort()).toEqual([streamOf(0), streamOf(1)]);
    await open('/panels/backupstatus');
    await expect.poll(() => agents.map((a) => a.openStreams), { timeout: 15_000 }).toEqual([1, 0]);
  });
});

describe("times in the user's Grafana time zone", () => {
  const shownTime = async (text: string) => {
    await open(`/a/${PLUGIN_ID}/backups`);
    await page.getByRole('link', { name: text, exact: true }).waitFor({ timeout: 15_000 });
    return page.getByRole('link', { name: text, exact: true }).count();
  };

  it.each([
    ['Asia/Tokyo', '2025-03-02 08:30:05'],
    ['utc', '2025-03-01 23:30:05'],
    // Unset or 'browser': the browser's zone, as Grafana itself shows times then.
    ['', '2025-03-01 15:30:05'],
    ['browser', '2025-03-01 15:30:05'],
  ])('shows a backup that started at 23:30:05 UTC in zone %j as %s', async (timezone, expected) => {
    grafana.timezone = timezone;
    expect(await shownTime(expected)).toBe(1);
  });
});

it('loaded without errors in the page', () => {
  expect(pageErrors).toEqual([]);
});
