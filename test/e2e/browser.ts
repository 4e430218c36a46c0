// What an end-to-end test of the built plugin needs besides the stub: where the plugin and
// Grafana's icons are, Debian's Chromium with its flags, and a page load that fails loudly when the
// host could not load the plugin. (plugin.test.ts predates this file and keeps its own copies.)
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
