// plugin.json of the app and of each nested panel against Grafana's published plugin.json schema
// (the project's shared copy beside the repository when present, else the one kept here, which must
// then be identical), and the agent routes against what the plugin's client expects of them.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { MAX_AGENTS } from '../../src/shared/api/settings.js';
import { ROOT } from '../helpers/warden.js';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
const shared = path.join(ROOT, '..', 'shared', 'grafana', 'plugin.schema.json');
const local = path.join(import.meta.dirname, 'plugin.schema.json');
const schemaText = fs.readFileSync(fs.existsSync(shared) ? shared : local, 'utf8');
const schema = JSON.parse(schemaText);
// The schema's patterns escape '-', which is invalid with the unicode flag Ajv uses by default.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const PANELS = fs.readdirSync(path.join(ROOT, 'src', 'panels'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const app = read('plugin.json');

interface Route {
  path: string;
  method: string;
  reqRole: string;
  url: string;
  headers: Array<{ name: string; content: string }>;
}

it('keeps its copy of the schema identical to the shared one', () => {
  if (fs.existsSync(shared)) expect(fs.readFileSync(local, 'utf8')).toBe(schemaText);
});

describe('plugin.json', () => {
  it.each(['plugin.json', ...PANELS.map((p) => `src/panels/${p}/plugin.json`)])('%s follows the schema', (file) => {
    const ok = validate(read(file));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it('declares the app as Grafana >= 11 with the fixed id', () => {
    expect(app).toMatchObject({ type: 'app', id: 'warden-mysqlbackup-app', dependencies: { grafanaDependency: '>=11.0.0' } });
  });

  it('declares the nested panels with their fixed ids, and includes each', () => {
    const ids = PANELS.map((p) => read(`src/panels/${p}/plugin.json`)).map((p) => [p.type, p.id]);
    expect(ids.sort()).toEqual([
      ['panel', 'warden-backupcontrol-panel'],
      ['panel', 'warden-backupstatus-panel'],
    ]);
    const included = app.includes.filter((i: { type: string }) => i.type === 'panel').map((i: { path: string }) => i.path);
    expect(included.sort()).toEqual(PANELS.map((p) => `panels/${p}`).sort());
  });

  it('declares that the panels run no data query, so Grafana offers no query editor for them', () => {
    for (const p of PANELS) expect(read(`src/panels/${p}/plugin.json`).skipDataQuery, p).toBe(true);
  });

  it("puts in each role's menu the pages that role can use: Alerts for org admins only", () => {
    const ROLES = ['Viewer', 'Editor', 'Admin'];
    /** pkg/services/navtree/navtreeimpl/applinks.go: includes the user's role reaches, with addToNav. */
    const menu = (role: string) =>
      (app.includes as Array<{ type: string; name: string; role?: string; addToNav?: boolean }>)
        .filter((i) => i.addToNav && ROLES.indexOf(role) >= ROLES.indexOf(i.role ?? 'Viewer'))
        .map((i) => i.name);
    expect(menu('Viewer')).toEqual(['Overview', 'Backups', 'MySQL backups']);
    expect(menu('Editor')).toEqual(['Overview', 'Backups', 'MySQL backups']);
    expect(menu('Admin')).toEqual(['Overview', 'Backups', 'Alerts', 'Configuration', 'MySQL backups']);
  });

  it('includes pages and the dashboard that exist', () => {
    const pages = app.includes.filter((i: { type: string }) => i.type === 'page').map((i: { name: string }) => i.name);
    expect(pages).toEqual(['Overview', 'Backups', 'Backup details', 'Alerts', 'Configuration']);
    const dashboard = app.includes.find((i: { type: string }) => i.type === 'dashboard');
    expect(fs.existsSync(path.join(ROOT, 'src', dashboard.path))).toBe(true);
    expect(read(path.join('src', dashboard.path)).uid).toBe(dashboard.uid);
  });

  it('has four routes per agent slot: point-in-time restores and deletes for Admins, reads for Viewers, the rest for Editors, token injected', () => {
    const routes = app.routes as Route[];
    expect(routes).toHaveLength(4 * MAX_AGENTS);
    for (let slot = 0; slot < MAX_AGENTS; slot++) {
      const common = {
        url: `{{ .JsonData.agent${slot}Url }}`,
        headers: [{ name: 'Authorization', content: `Bearer {{ .SecureJsonData.agent${slot}Token }}` }],
      };
      // Before the catch-all, which would otherwise match it first; Grafana appends what follows the route's path.
      expect(routes.filter((r) => r.path === `agent/${slot}/api/v1/restore-to-point/*`)).toEqual([
        { path: `agent/${slot}/api/v1/restore-to-point/*`, method: '*', reqRole: 'Admin', ...common, url: `${common.url}/api/v1/restore-to-point` },
      ]);
      expect(routes.findIndex((r) => r.path === `agent/${slot}/api/v1/restore-to-point/*`)).toBeLessThan(routes.findIndex((r) => r.path === `agent/${slot}/*`));
      // Grafana compares `method` with the request's verb as one word: a comma-separated list
      // (which the schema mentions) would match nothing.
      expect(routes.filter((r) => r.path === `agent/${slot}/*`)).toEqual([
        { path: `agent/${slot}/*`, method: 'GET', reqRole: 'Viewer', ...common },
        { path: `agent/${slot}/*`, method: 'DELETE', reqRole: 'Admin', ...common },
        { path: `agent/${slot}/*`, method: '*', reqRole: 'Editor', ...common },
      ]);
    }
  });

  it('lets each role do what the plugin offers it, as Grafana (11+) picks the first route whose method and path match', () => {
    const ROLES = ['Viewer', 'Editor', 'Admin'];
    /** pkg/api/pluginproxy: the first route matching method and path decides; its reqRole must be met. */
    const rolesFor = (method: string, proxyPath: string) => {
      const route = (app.routes as Route[]).find((r) => (r.method === '*' || r.method === method) && proxyPath.startsWith(r.path.replace(/\*$/, '')));
      return route ? ROLES.slice(ROLES.indexOf(route.reqRole)) : [];
    };
    const backup = 'api/v1/backups/20261122T014512.345Z-3fa9';
    for (let slot = 0; slot < MAX_AGENTS; slot++) {
      const at = (p: string) => `agent/${slot}/${p}`;
      expect(rolesFor('GET', at('api/v1/targets'))).toEqual(['Viewer', 'Editor', 'Admin']);
      expect(rolesFor('POST', at('api/v1/targets/shop/backups'))).toEqual(['Editor', 'Admin']);
      expect(rolesFor('POST', at(`${backup}/verify`))).toEqual(['Editor', 'Admin']);
      expect(rolesFor('DELETE', at(backup))).toEqual(['Admin']);
      expect(rolesFor('POST', at('api/v1/restore-to-point/20261122T014512.345Z-3fa9'))).toEqual(['Admin']);
    }
  });
});
