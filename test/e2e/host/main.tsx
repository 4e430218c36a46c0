// A stand-in for Grafana's frontend: boots @grafana/runtime, shares Grafana's packages with plugin
// bundles through an AMD loader, and mounts the built app, its config page or a nested panel.
import './boot';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import { AppPlugin, PanelPlugin, type AppPluginMeta, type KeyValue } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { config, locationService, setBackendSrv } from '@grafana/runtime';
import * as grafanaUI from '@grafana/ui';
import { GlobalStyles, PanelChrome, ThemeContext } from '@grafana/ui';
import * as React from 'react';
import { useLayoutEffect, useState, type ReactNode } from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as reactRouter from 'react-router';
import { Route, Router, Routes } from 'react-router';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import { hostBackendSrv } from './backendSrv';
import { loadPluginModule } from './loader';

const PLUGIN_ID = 'warden-mysqlbackup-app';
const PLUGIN_BASE = `/public/plugins/${PLUGIN_ID}`;

// What sharedDependenciesMap gives plugins; `react-router` is Grafana's router v6 instance.
const SHARED: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUI,
  '@grafana/runtime': grafanaRuntime,
  rxjs,
  'rxjs/operators': rxjsOperators,
  'react-router': reactRouter,
};

setBackendSrv(hostBackendSrv);

async function appMeta(): Promise<AppPluginMeta> {
  const [pluginJson, settings] = await Promise.all([
    fetch(`${PLUGIN_BASE}/plugin.json`).then((r) => r.json()),
    fetch(`/api/plugins/${PLUGIN_ID}/settings`).then((r) => r.json()),
  ]);
  return { ...pluginJson, ...settings, baseUrl: PLUGIN_BASE, module: `${PLUGIN_BASE}/module.js` };
}

async function loadApp(): Promise<AppPlugin> {
  const { plugin } = await loadPluginModule(`${PLUGIN_BASE}/module.js`, SHARED);
  if (!(plugin instanceof AppPlugin)) throw new Error('module.js does not export an AppPlugin');
  plugin.meta = await appMeta();
  plugin.init(plugin.meta);
  return plugin;
}

/** Grafana renders plugins inside its react-router, driven by locationService's history. */
function HostRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

function Chrome({ title, children }: { title: string; children: ReactNode }) {
  const theme = config.theme2;
  return (
    <div style={{ padding: theme.spacing(2, 3), minHeight: '100vh' }}>
      <nav style={{ display: 'flex', gap: theme.spacing(2), marginBottom: theme.spacing(2) }}>
        <strong>{title}</strong>
        {['overview', 'backups', 'alerts'].map((page) => (
          <a key={page} href={`/a/${PLUGIN_ID}/${page}`}>
            {page}
          </a>
        ))}
        <a href={`/plugins/${PLUGIN_ID}`}>configuration</a>
      </nav>
      {children}
    </div>
  );
}

async function appPage(): Promise<ReactNode> {
  const plugin = await loadApp();
  const Root = plugin.root!;
  const query: KeyValue = Object.fromEntries(new URLSearchParams(window.location.search));
  const root = (
    <Root meta={plugin.meta} basename={`/a/${PLUGIN_ID}`} query={query} path={window.location.pathname} onNavChanged={() => undefined} />
  );
  // Grafana mounts the app root in a route of its own, so the app's routes are relative to it.
  return (
    <Chrome title="Warden MySQL Backup">
      <Routes>
        <Route path={`/a/${PLUGIN_ID}/*`} element={root} />
      </Routes>
    </Chrome>
  );
}

async function configPage(): Promise<ReactNode> {
  const plugin = await loadApp();
  const Body = plugin.configPages![0]!.body;
  return (
    <Chrome title="Warden MySQL Backup: configuration">
      <Body plugin={plugin} query={{}} />
    </Chrome>
  );
}

async function loadPanel(name: string): Promise<NonNullable<PanelPlugin['panel']>> {
  const { plugin } = await loadPluginModule(`${PLUGIN_BASE}/panels/${name}/module.js`, SHARED);
  if (!(plugin instanceof PanelPlugin) || !plugin.panel) throw new Error(`${name} does not export a PanelPlugin`);
  return plugin.panel;
}

/** A panel in a panel frame, as a dashboard shows it. */
function framedPanel(Panel: NonNullable<PanelPlugin['panel']>, title: string, options: Record<string, unknown>, key?: number): ReactNode {
  const [width, height] = [760, 260];
  return (
    <div key={key} style={{ padding: 24 }}>
      <PanelChrome title={title} width={width} height={height}>
        {(innerWidth, innerHeight) => (
          <Panel {...({ options, width: innerWidth, height: innerHeight, id: key ?? 1, title } as unknown as grafanaData.PanelProps)} />
        )}
      </PanelChrome>
    </div>
  );
}

/** A nested panel in a panel frame, its options from the URL (?targets=a,b&verifyLevel=parse). */
async function panelPage(name: string): Promise<ReactNode> {
  const Panel = await loadPanel(name);
  const params = new URLSearchParams(window.location.search);
  const options: Record<string, unknown> = { verifyLevel: params.get('verifyLevel') ?? 'parse' };
  if (params.get('targets')) options.targets = params.get('targets')!.split(',');
  return framedPanel(Panel, params.get('title') ?? name, options);
}

/**
 * A dashboard of several panels, `?panels=backupstatus,backupcontrol:1`: each panel by name, with
 * `:slot` for an agent other than the first. Grafana loads each panel's module once, whatever the
 * number of its panels on the dashboard; one module at a time here, as the loader has one `define`.
 */
async function dashboardPage(): Promise<ReactNode> {
  const specs = (new URLSearchParams(window.location.search).get('panels') ?? '').split(',').map((spec) => spec.split(':'));
  const modules = new Map<string, NonNullable<PanelPlugin['panel']>>();
  for (const [name] of specs) if (!modules.has(name!)) modules.set(name!, await loadPanel(name!));
  return specs.map(([name, slot], i) =>
    framedPanel(modules.get(name!)!, `${name} ${slot ?? 0}`, { verifyLevel: 'parse', ...(slot ? { agent: Number(slot) } : {}) }, i + 1),
  );
}

function route(): Promise<ReactNode> {
  const path = window.location.pathname;
  if (path.startsWith(`/plugins/${PLUGIN_ID}`)) return configPage();
  if (path === '/dashboard') return dashboardPage();
  const panel = /^\/panels\/([a-z]+)/.exec(path);
  if (panel) return panelPage(panel[1]!);
  return appPage();
}

// Grafana turns clicks on same-origin links into router navigation instead of page loads.
document.addEventListener('click', (event) => {
  const anchor = (event.target as Element).closest?.('a');
  const href = anchor?.getAttribute('href');
  if (!anchor || !href?.startsWith('/') || anchor.target || event.defaultPrevented) return;
  event.preventDefault();
  const samePlugin = href.startsWith(`/a/${PLUGIN_ID}`) && window.location.pathname.startsWith(`/a/${PLUGIN_ID}`);
  if (samePlugin) locationService.push(href);
  else window.location.assign(href);
});

const root = createRoot(document.getElementById('root')!);
route().then(
  (page) =>
    root.render(
      <ThemeContext.Provider value={config.theme2}>
        <GlobalStyles />
        <HostRouter>{page}</HostRouter>
      </ThemeContext.Provider>,
    ),
  (err: Error) => root.render(<pre id="host-error">{err.stack ?? err.message}</pre>),
);
