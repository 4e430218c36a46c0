// What Grafana's server does for an app plugin, enough to run the built bundle against a real
// agent: serves dist/ under public/plugins/<id>/, keeps the app's settings (secrets write-only), and
// proxies /api/plugin-proxy/<id>/... by the routes of dist/plugin.json the way pkg/api/pluginproxy
// does: first route whose method and path match, its reqRole checked, url and headers templated
// from jsonData / secureJsonData, cookies dropped, the response streamed back (SSE included).
// It also keeps an in-memory alerting store behind the alerting provisioning API and /api/folders,
// answering as Grafana does (404s, lists, provenance, redacted secrets) and recording every request.
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

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Json = Record<string, unknown>;
/** '' for made in the UI or with X-Disable-Provenance, 'api' for through the API without it, 'file' */
type Stored<T = Json> = T & { provenance: string };

export interface AlertingStore {
  folders: Map<string, { uid: string; title: string }>;
  /** by uid; each has folderUID and ruleGroup */
  rules: Map<string, Stored>;
  /** by uid, secrets in clear (the API redacts them) */
  contactPoints: Map<string, Stored<{ uid: string; name: string; type: string; settings: Json }>>;
  templates: Map<string, Stored<{ name: string; template: string }>>;
  policies: Stored;
  /** every request to the alerting provisioning API and /api/folders, in order */
  readonly requests: RecordedRequest[];
}

export interface GrafanaStub {
  url: string;
  /** the signed-in user's org role, for pages loaded from now on and for route checks */
  role: Role;
  /** the signed-in user's time zone preference for pages loaded from now on ('' when unset) */
  timezone: string;
  readonly settings: Settings;
  /** every proxied request: method, path under the plugin proxy, answer status */
  readonly proxied: Array<{ method: string; path: string; status: number }>;
  readonly alerting: AlertingStore;
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

const REDACTED = '[REDACTED]';
/** Settings Grafana 12 keeps encrypted and answers redacted, by integration type. */
const SECURE_SETTINGS: Record<string, string[]> = { dingding: ['url'], webhook: ['password', 'authorization_credentials'] };
/** Settings an integration cannot do without: Grafana refuses the contact point without them. */
const REQUIRED_SETTINGS: Record<string, string[]> = { dingding: ['url'], email: ['addresses'], webhook: ['url'] };

/** The route of the seeded policy tree that belongs to someone else, and its contact point. */
export const SEEDED_ROUTE = { receiver: 'Team email', object_matchers: [['team', '=', 'payments']] };
const SEEDED_CONTACT_POINT = { uid: 'team-email', name: 'Team email', type: 'email', settings: { addresses: 'team@example.com' } };

/** A Grafana where someone already routes alerts: one contact point and one route of theirs. */
function seededAlerting(): AlertingStore {
  return {
    folders: new Map(),
    rules: new Map(),
    contactPoints: new Map([[SEEDED_CONTACT_POINT.uid, { ...SEEDED_CONTACT_POINT, disableResolveMessage: false, provenance: '' }]]),
    templates: new Map(),
    policies: { receiver: SEEDED_ROUTE.receiver, group_by: ['grafana_folder', 'alertname'], routes: [SEEDED_ROUTE], provenance: '' },
    requests: [],
  };
}

type Answer = [status: number, body?: unknown];
type Handler = (params: string[], body: Json, provenance: string) => Answer;

const locked = (what: string): Answer => [409, { message: `cannot change provenance from 'file' to '': the ${what} is provisioned from files` }];

/** Grafana leaves an empty provenance out of its answers. */
function shown<T extends { provenance: string }>(item: T): Omit<T, 'provenance'> | T {
  const { provenance, ...rest } = item;
  return provenance ? item : rest;
}

function redacted<T extends { type: string; settings: Json }>(point: T): T {
  const secure = SECURE_SETTINGS[point.type] ?? [];
  const settings = Object.fromEntries(Object.entries(point.settings).map(([k, v]) => [k, secure.includes(k) && v ? REDACTED : v]));
  return { ...point, settings };
}

function receivers(route: Json): string[] {
  const own = typeof route.receiver === 'string' ? [route.receiver] : [];
  return [...own, ...((route.routes as Json[] | undefined) ?? []).flatMap(receivers)];
}

function missingSettings(point: Json): string[] {
  const settings = (point.settings ?? {}) as Json;
  return (REQUIRED_SETTINGS[String(point.type)] ?? []).filter((key) => !settings[key]);
}

/** Grafana's alerting provisioning API and folder API over an in-memory store, by method and path. */
function alertingRoutes(store: AlertingStore): Array<{ method: string; path: RegExp; role: Role; handle: Handler }> {
  const P = '/api/v1/provisioning';
  const admin = (method: string, path: string, handle: Handler) => ({ method, path: new RegExp(`^${P}${path}$`), role: 'Admin' as Role, handle });
  return [
    {
      method: 'GET',
      path: /^\/api\/folders\/([^/]+)$/,
      role: 'Viewer',
      handle: ([uid]) => (store.folders.has(uid!) ? [200, store.folders.get(uid!)] : [404, { message: 'folder not found' }]),
    },
    {
      method: 'POST',
      path: /^\/api\/folders$/,
      role: 'Editor',
      handle: (_, body) => {
        const folder = { uid: String(body.uid), title: String(body.title) };
        if (store.folders.has(folder.uid)) return [409, { message: 'a folder with the same uid already exists' }];
        store.folders.set(folder.uid, folder);
        return [200, folder];
      },
    },
    admin('GET', '/alert-rules', () => [200, [...store.rules.values()].map(shown)]),
    admin('GET', '/alert-rules/([^/]+)', ([uid]) => (store.rules.has(uid!) ? [200, shown(store.rules.get(uid!)!)] : [404])),
    admin('PUT', '/folder/([^/]+)/rule-groups/([^/]+)', ([folderUID, ruleGroup], body, provenance) => {
      if (!store.folders.has(folderUID!)) return [404, { message: 'folder not found' }];
      const incoming = (body.rules as Json[] | undefined) ?? [];
      const current = [...store.rules.values()].filter((r) => r.folderUID === folderUID && r.ruleGroup === ruleGroup);
      const touched = [...current, ...incoming.flatMap((r) => store.rules.get(String(r.uid)) ?? [])];
      if (touched.some((r) => r.provenance === 'file')) return locked('alert rule');
      for (const rule of current) store.rules.delete(String(rule.uid));
      for (const rule of incoming) store.rules.set(String(rule.uid), { ...rule, folderUID, ruleGroup, provenance });
      return [200, body];
    }),
    admin('GET', '/contact-points', () => [200, [...store.contactPoints.values()].map((p) => shown(redacted(p)))]),
    admin('POST', '/contact-points', (_, body, provenance) => {
      const missing = missingSettings(body);
      if (missing.length) return [400, { message: 'contact point is not valid', error: `${String(body.type)}: ${missing.join(', ')} required` }];
      const uid = String(body.uid || `cp${store.contactPoints.size + 1}`);
      if (store.contactPoints.has(uid)) return [400, { message: `contact point with uid '${uid}' already exists` }];
      const point = { ...body, uid, name: String(body.name), type: String(body.type), settings: body.settings as Json, provenance };
      store.contactPoints.set(uid, point);
      return [202, shown(redacted(point))];
    }),
    admin('PUT', '/contact-points/([^/]+)', ([uid], body, provenance) => {
      const stored = store.contactPoints.get(uid!);
      if (!stored) return [404, { message: `contact point with uid '${uid}' not found` }];
      if (stored.provenance === 'file') return locked('contact point');
      // A redacted secret sent back keeps the stored one.
      const sent = (body.settings ?? {}) as Json;
      const settings = Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, v === REDACTED ? stored.settings[k] : v]));
      const point = { ...body, uid: uid!, name: String(body.name), type: String(body.type), settings, provenance };
      const missing = missingSettings(point);
      if (missing.length) return [400, { message: 'contact point is not valid', error: `${point.type}: ${missing.join(', ')} required` }];
      store.contactPoints.set(uid!, point);
      return [202, { message: 'contactpoint updated' }];
    }),
    admin('GET', '/templates', () => [200, [...store.templates.values()].map(shown)]),
    admin('PUT', '/templates/([^/]+)', ([name], body, provenance) => {
      if (store.templates.get(name!)?.provenance === 'file') return locked('template');
      if (typeof body.template !== 'string' || body.template === '') return [400, { message: 'template must not be empty' }];
      const template = { name: name!, template: body.template, provenance };
      store.templates.set(name!, template);
      return [202, shown(template)];
    }),
    admin('GET', '/policies', () => [200, shown(store.policies)]),
    admin('PUT', '/policies', (_, body, provenance) => {
      if (store.policies.provenance === 'file') return locked('notification policy tree');
      const names = new Set([...store.contactPoints.values()].map((p) => p.name));
      const unknown = receivers(body).find((name) => !names.has(name));
      if (unknown !== undefined) return [400, { message: 'invalid object specification', error: `receiver '${unknown}' does not exist` }];
      store.policies = { ...body, provenance };
      return [202, { message: 'policies updated' }];
    }),
  ];
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
  const state = { role: 'Viewer' as Role, timezone: '' };
  const alerting = seededAlerting();
  const alertingApi = alertingRoutes(alerting);

  const page = () =>
    `<!doctype html><html><head><meta charset="utf-8"><base href="/"><title>Grafana (e2e)</title>` +
    `<script>window.__e2eRole = ${JSON.stringify(state.role)}; window.__e2eTimezone = ${JSON.stringify(state.timezone)};</script></head>` +
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

  async function alertingRequest(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    const method = req.method ?? 'GET';
    const raw = (await readBody(req)).toString('utf8');
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    alerting.requests.push({ method, path: pathname, headers: req.headers, body });
    for (const route of alertingApi) {
      const match = route.method === method ? route.path.exec(pathname) : null;
      if (!match) continue;
      if (RANK[state.role] < RANK[route.role]) {
        json(res, 403, { message: "You'll need additional permissions to perform this action.", title: 'Access denied' });
        return;
      }
      // Without X-Disable-Provenance, what the API writes is locked against edits in the UI.
      const provenance = req.headers['x-disable-provenance'] ? '' : 'api';
      const [status, answer] = route.handle(match.slice(1).map(decodeURIComponent), (body ?? {}) as Json, provenance);
      if (answer === undefined) res.writeHead(status).end();
      else json(res, status, answer);
      return;
    }
    json(res, 404, { message: 'Not found' });
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
      else if (p === '/api/folders' || p.startsWith('/api/folders/') || p.startsWith('/api/v1/provisioning/')) await alertingRequest(req, res, p);
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
    get timezone() {
      return state.timezone;
    },
    set timezone(timezone: string) {
      state.timezone = timezone;
    },
    settings,
    proxied,
    alerting,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
