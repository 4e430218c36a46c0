// What Grafana's server does for an app plugin, enough to run the built bundle against a real
// agent: serves dist/ under public/plugins/<id>/, keeps the app's settings (secrets write-only), and
// proxies /api/plugin-proxy/<id>/... by the routes of dist/plugin.json the way pkg/api/pluginproxy
// does: first route whose method and path match, its reqRole checked, url and headers templated
// from jsonData / secureJsonData, cookies dropped, the response streamed back (SSE included).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type Role = 'Viewer' | 'Editor' | 'Admin';

interface Route {
  path: string;
  method?: string;
  reqRole?: Role;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

interface Settings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export interface GrafanaStub {
  url: string;
  /** the signed-in user's org role, for pages loaded from now on and for route checks */
  role: Role;
  readonly settings: Settings;
  /** every proxied request: method, path under the plugin proxy, answer status */
  readonly proxied: Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const RANK: Record<Role, number> = { Viewer: 0, Editor: 1, Admin: 2 };
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml', '.map': 'application/json' };

/** Go-template lookups as Grafana's routes use them; a missing JsonData key renders as "<no value>". */
function interpolate(template: string, settings: Settings): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, scope: string, key: string) => {
    if (scope === 'SecureJsonData') return settings.secureJsonData[key] ?? '';
    const value = settings.jsonData[key];
    return value === undefined ? '<no value>' : String(value);
  });
}

/** `agent/0/*` matches `agent/0/api/v1/x` leaving `api/v1/x`, like Grafana's route tree. */
function matchPath(pattern: string, proxyPath: string): string | undefined {
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -1);
    return proxyPath.startsWith(prefix) ? proxyPath.slice(prefix.length) : undefined;
  }
  return proxyPath === pattern ? '' : undefined;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

function serveFile(res: http.ServerResponse, root: string, relative: string): void {
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    json(res, 404, { message: 'Not found' });
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

export interface StubOptions {
  pluginId: string;
  /** the built plugin */
  distDir: string;
  /** the host page bundle */
  hostDir: string;
  /** @grafana/ui's icons, which Grafana serves under public/build/img/icons */
  iconsDir: string;
}

export async function startGrafanaStub(opts: StubOptions): Promise<GrafanaStub> {
  const { pluginId, distDir, hostDir, iconsDir } = opts;
  const routes = (JSON.parse(fs.readFileSync(path.join(distDir, 'plugin.json'), 'utf8')) as { routes: Route[] }).routes;
  const settings: Settings = { enabled: false, pinned: false, jsonData: {}, secureJsonData: {} };
  const proxied: GrafanaStub['proxied'] = [];
  const state = { role: 'Viewer' as Role };

  const page = () =>
    `<!doctype html><html><head><meta charset="utf-8"><base href="/"><title>Grafana (e2e)</title>` +
    `<script>window.__e2eRole = ${JSON.stringify(state.role)};</script></head>` +
    `<body><div id="root"></div><script src="/host/host.js"></script></body></html>`;

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, proxyPath: string, query: string): Promise<void> {
    const method = req.method ?? 'GET';
    const record = (status: number) => proxied.push({ method, path: proxyPath, status });
    for (const route of routes) {
      if (route.method && route.method !== '*' && route.method !== method) continue;
      const rest = matchPath(route.path, proxyPath);
      if (rest === undefined) continue;
      if (route.reqRole && RANK[state.role] < RANK[route.reqRole]) {
        record(403);
        json(res, 403, { message: 'plugin proxy route access denied' });
        return;
      }
      const base = interpolate(route.url, settings);
      if (!/^https?:\/\//.test(base)) {
        record(500);
        json(res, 500, { message: 'Could not parse url' });
        return;
      }
      const target = new URL(`${base.replace(/\/$/, '')}/${rest}${query}`);
      const headers: http.OutgoingHttpHeaders = { ...req.headers, host: target.host };
      delete headers.cookie;
      for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = interpolate(h.content, settings);
      const body = await readBody(req);
      const upstream = http.request(target, { method, headers }, (answer) => {
        record(answer.statusCode ?? 502);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        record(502);
        if (!res.headersSent) json(res, 502, { message: 'Bad Gateway' });
        else res.destroy();
      });
      // An EventSource that goes away must not keep the agent's stream open.
      res.on('close', () => upstream.destroy());
      upstream.end(body);
      return;
    }
    record(404);
    json(res, 404, { message: 'plugin route match not found' });
  }

  async function settingsApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'POST') {
      if (state.role !== 'Admin') {
        json(res, 403, { message: 'Permission denied' });
        return;
      }
      const update = JSON.parse((await readBody(req)).toString('utf8')) as Partial<Settings>;
      Object.assign(settings, { enabled: update.enabled ?? settings.enabled, pinned: update.pinned ?? settings.pinned });
      if (update.jsonData) settings.jsonData = update.jsonData;
      for (const [key, value] of Object.entries(update.secureJsonData ?? {})) {
        if (value) settings.secureJsonData[key] = value;
        else delete settings.secureJsonData[key];
      }
      json(res, 200, { message: 'Plugin settings updated' });
      return;
    }
    // Secrets are write-only: only which keys are set goes back.
    const secureJsonFields = Object.fromEntries(Object.keys(settings.secureJsonData).map((k) => [k, true]));
    json(res, 200, { id: pluginId, enabled: settings.enabled, pinned: settings.pinned, jsonData: settings.jsonData, secureJsonFields });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const proxyPrefix = `/api/plugin-proxy/${pluginId}/`;
    const handle = async () => {
      if (p.startsWith(proxyPrefix)) await proxy(req, res, p.slice(proxyPrefix.length), url.search);
      else if (p === `/api/plugins/${pluginId}/settings`) await settingsApi(req, res);
      else if (p.startsWith(`/public/plugins/${pluginId}/`)) serveFile(res, distDir, p.slice(`/public/plugins/${pluginId}/`.length));
      else if (p.startsWith('/host/')) serveFile(res, hostDir, p.slice('/host/'.length));
      else if (p.startsWith('/public/build/img/icons/')) serveFile(res, iconsDir, p.slice('/public/build/img/icons/'.length));
      else if (p.startsWith('/api/')) json(res, 404, { message: 'Not found' });
      else res.writeHead(200, { 'content-type': 'text/html' }).end(page());
    };
    handle().catch((err: Error) => json(res, 500, { message: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get role() {
      return state.role;
    },
    set role(role: Role) {
      state.role = role;
    },
    settings,
    proxied,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
