// What an end-to-end test of the built plugin needs besides the stub: where the plugin and
// Grafana's icons are, Debian's Chromium with its flags, and a page load that fails loudly when the
// host could not load the plugin, and screenshots for the documentation.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers/warden.js';

export const PLUGIN_ID = 'warden-mysqlbackup-app';
export const DIST = path.join(ROOT, 'dist');
export const ICONS = path.join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
// Debian's chromium; CHROMIUM_PATH points elsewhere. Nothing is ever downloaded.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(DIST, 'module.js'))) throw new Error('dist/module.js is missing: run `npm run build:plugin` first');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Loads `url` and waits for the host to render, or throws what the host reported. */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('#root > *').first().waitFor();
  const hostError = page.locator('#host-error');
  if (await hostError.count()) throw new Error(`the host could not load the plugin:\n${await hostError.textContent()}`);
}

/**
 * The test's temporary folders as a user's installation would name them, so the README's
 * screenshots show no host's scratch paths: the configuration, the repository, the rest.
 */
const USER_PATHS: [RegExp, string][] = [
  [/\/tmp\/warden-[\w-]+\/warden\.yaml/g, '/etc/warden/warden.yaml'],
  [/\/tmp\/warden-[\w-]+\/repo/g, '/var/backups/warden'],
  [/\/tmp\/warden-[\w-]+/g, '/run/warden'],
];

/** A screenshot for the documentation, with temporary paths shown as a user's (USER_PATHS). */
export async function documentScreenshot(page: Page, options: { path: string; fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } }): Promise<void> {
  await page.evaluate((rules) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      node.nodeValue = rules.reduce((text, [source, flags, to]) => text.replace(new RegExp(source, flags), to), node.nodeValue ?? '');
    }
  }, USER_PATHS.map(([re, to]) => [re.source, re.flags, to] as [string, string, string]));
  await page.screenshot(options);
}
