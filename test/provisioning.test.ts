// Grafana's provisioning files and docker-compose.yml, checked the way Grafana and Compose would
// read them (no Docker engine here): formats, cross-references, environment, mounted paths.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allowedHosts, hostOfHeader } from '../backend/src/serve/api/hosts.js';
import { parseConfig } from '../backend/src/config/load.js';
import { SEVERITIES } from '../backend/src/contract/classes.js';
import { agentsFromJsonData, tokenKey, urlKey, type AppJsonData } from '../src/shared/api/settings.js';
import { APP_LABEL, DATASOURCE_UID } from '../src/features/alerting/grafanaRules.js';
import { CONTACT_ENV, ROUTING, type PolicyRoute } from '../src/features/alerting/notifications.js';
import { CONTACT_POINTS_FILE, GRAFANA_RULES_FILE, POLICIES_FILE, TEMPLATES_FILE } from '../src/features/alerting/render.js';
import { ALERT_RULES } from '../src/features/alerting/rules.js';
import { ROOT } from './helpers/warden.js';

const run = promisify(execFile);
const PLUGIN_ID = 'warden-mysqlbackup-app';
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const yamlOf = <T>(file: string) => parse(read(file)) as T;

// --- docker-compose.yml, as Compose reads it -----------------------------------------------------

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, unknown>;
  command?: string[];
}
const compose = yamlOf<{ services: Record<string, Service>; volumes?: Record<string, unknown> }>('docker-compose.yml');
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** What the shell gives Compose: the secrets it demands, nothing else. */
const SHELL_ENV: Record<string, string> = {
  WARDEN_API_TOKEN: 'token-from-the-shell',
  SHOP_DB_PASSWORD: 'db-password-from-the-shell',
  MYSQL_ROOT_PASSWORD: 'root-password-from-the-shell',
  GRAFANA_ADMIN_PASSWORD: 'grafana-password-from-the-shell',
};

/**
 * Compose's interpolation: `${VAR:-default}` (the default when unset or empty), `${VAR:?message}`
 * (refuses to start when unset or empty), `${VAR}`.
 */
function composeInterpolate(value: string, shell: Record<string, string> = SHELL_ENV): string {
  return value.replace(/\$\{(\w+)(?:(:-|:\?)([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string) => {
    const set = shell[name];
    if (set) return set;
    if (op === ':?') throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return op === ':-' ? arg : '';
  });
}
const composeDefault = (value: string) => composeInterpolate(value);

/** Bind mounts as [host path, container path]; named volumes are skipped. */
function bindMounts(svc: Service): Array<[string, string]> {
  return (svc.volumes ?? [])
    .map((v) => v.split(':') as [string, string, string?])
    .filter(([source]) => source.startsWith('./'))
    .map(([source, target]) => [source, target]);
}

/** Where a container path is mounted from, in the repository. */
function hostPathOf(svc: Service, containerPath: string): string | undefined {
  for (const [source, target] of bindMounts(svc)) {
    if (containerPath === target || containerPath.startsWith(`${target}/`)) return source + containerPath.slice(target.length);
  }
  return undefined;
}

/** The ids of every plugin.json in the built plugin (the app and each nested plugin), sorted. */
function distPluginIds(): string[] {
  const dist = path.join(ROOT, 'dist');
  expect(existsSync(path.join(dist, 'plugin.json')), 'dist/plugin.json (npm run build:plugin)').toBe(true);
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === 'plugin.json');
  return files.map((f) => (JSON.parse(readFileSync(path.join(dist, f), 'utf8')) as { id: string }).id).sort();
}

const grafanaEnv = Object.fromEntries(Object.entries(service('grafana').environment ?? {}).map(([k, v]) => [k, composeDefault(String(v))]));

/** Grafana's provisioning expands `$VAR` and `${VAR}` from its environment (`$$` is a literal `$`). */
function grafanaExpand(text: string, env: Record<string, string> = grafanaEnv): string {
  return text.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (all, braced?: string, bare?: string) => {
    if (all === '$$') return '$';
    const name = (braced ?? bare)!;
    if (!(name in env)) throw new Error(`$${name} is not set in the grafana service's environment`);
    return env[name]!;
  });
}

describe('docker-compose.yml', () => {
  it('has the whole stack: MySQL 8, the agent, Prometheus, Grafana and a mail catcher', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['agent', 'grafana', 'mailcatcher', 'mysql', 'prometheus']);
    expect(service('mysql').image).toMatch(/^mysql:8\./);
    expect(service('grafana').image).toMatch(/^grafana\/grafana:(1[1-9]|[2-9]\d)\./);
    expect(service('prometheus').image).toMatch(/^prom\/prometheus:/);
    expect(service('agent').build).toMatchObject({ context: '.' });
  });

  it('mounts only paths that exist in the repository (dist/ once built)', () => {
    const mounts = Object.values(compose.services).flatMap(bindMounts);
    expect(mounts.length).toBeGreaterThanOrEqual(8);
    for (const [source] of mounts) expect(existsSync(path.join(ROOT, source)), `${source} is mounted but missing`).toBe(true);
  });

  it('declares every named volume and every service it depends on', () => {
    for (const svc of Object.values(compose.services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('./') && !source.startsWith('/')) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(compose.services)).toContain(dep);
    }
  });

  it('runs the agent from its Dockerfile as a non-root user, with the repository in a volume', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^USER (?!root\b)\w+/m);
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) expect(existsSync(path.join(ROOT, source!)), source).toBe(true);
    const agent = service('agent');
    const [[, configPath] = []] = [...(agent.command ?? []).join(' ').matchAll(/--config (\S+)/g)];
    const configFile = hostPathOf(agent, configPath ?? '/etc/warden/warden.yaml');
    expect(configFile).toBe('./docker/warden.yaml');
    // The mounted config is valid for the agent with the environment Compose gives it.
    const env = Object.fromEntries(Object.entries(agent.environment ?? {}).map(([k, v]) => [k, composeDefault(String(v))]));
    const config = parseConfig(read(configFile!), configFile!, env);
    const repositoryVolume = (agent.volumes ?? []).find((v) => v.split(':')[1] === config.repository);
    expect(repositoryVolume, 'the repository is a volume').toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(repositoryVolume!.split(':')[0]);
    expect(config.targets[0]!.host).toBe('mysql');
  });

  it('loads the unsigned plugin from dist/ and sends Grafana mail to the catcher', () => {
    const grafana = service('grafana');
    expect(grafanaEnv.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',')).toContain(PLUGIN_ID);
    expect(hostPathOf(grafana, `/var/lib/grafana/plugins/${PLUGIN_ID}`)).toBe('./dist');
    expect(grafanaEnv.GF_SMTP_ENABLED).toBe('true');
    expect(grafanaEnv.GF_SMTP_HOST).toBe('mailcatcher:1025');
    // Agent and Grafana share one token; Grafana reaches the agent by its service name.
    expect(service('agent').environment!.WARDEN_API_TOKEN).toBe(grafana.environment!.WARDEN_API_TOKEN);
    expect(grafanaEnv.WARDEN_AGENT_URL).toBe('http://agent:9207');
  });

  it('allows every plugin in dist/ to load unsigned, the nested panels too, in Compose and in the README', () => {
    // Grafana checks each plugin's own id, nested ones included (pkg/plugins/manager/signature/authorizer.go).
    const ids = distPluginIds();
    expect(ids).toEqual(expect.arrayContaining([PLUGIN_ID, 'warden-backupstatus-panel', 'warden-backupcontrol-panel']));
    expect(grafanaEnv.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').sort()).toEqual(ids);
    for (const readme of ['README.md', 'src/README.md']) {
      const lists = [...read(readme).matchAll(/allow_loading_unsigned_plugins = ([\w,-]+)/g)].map((m) => m[1]!.split(',').sort());
      expect(lists.length, readme).toBeGreaterThan(0);
      for (const list of lists) expect(list, readme).toEqual(ids);
    }
  });

  it('ships no secret: the token, the passwords and the Grafana admin password must come from the shell or .env', () => {
    const secrets: Array<[string, string]> = [
      ['agent', 'WARDEN_API_TOKEN'],
      ['grafana', 'WARDEN_API_TOKEN'],
      ['agent', 'SHOP_DB_PASSWORD'],
      ['mysql', 'SHOP_DB_PASSWORD'],
      ['mysql', 'MYSQL_ROOT_PASSWORD'],
      ['grafana', 'GF_SECURITY_ADMIN_PASSWORD'],
    ];
    for (const [svc, key] of secrets) {
      const value = String(service(svc).environment?.[key]);
      expect(value, `${svc}.${key}`).toMatch(/^\$\{\w+:\?[^}]+\}$/);
      expect(() => composeInterpolate(value, {}), `${svc}.${key}`).toThrow(/required variable \w+ is missing a value: .*\.env/);
      expect(() => composeInterpolate(value, { ...SHELL_ENV, [value.slice(2).split(':')[0]!]: '' })).toThrow(/required variable/);
    }
    // No default anywhere in the file may stand in for one of them.
    const raw = read('docker-compose.yml');
    for (const name of Object.keys(SHELL_ENV)) expect(raw, name).not.toMatch(new RegExp(`\\$\\{${name}:-`));
    expect(raw).not.toMatch(/change-me|rootpw|backup-pw/);
  });

  it("lets the agent answer to the name Grafana and Prometheus use for it, and to no other", () => {
    const agent = service('agent');
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(read('Dockerfile'))![1]!) as string[];
    const listen = cmd[cmd.indexOf('--listen') + 1]!;
    const agentConfig = parseConfig(read('docker/warden.yaml'), 'docker/warden.yaml', Object.fromEntries(Object.entries(agent.environment ?? {}).map(([k, v]) => [k, composeDefault(String(v))])));
    const hosts = allowedHosts(listen.replace(/:\d+$/, ''), agentConfig.api.allowedHosts);
    const allows = (host: string) => hosts.has(hostOfHeader(host) ?? '');
    expect(allows(new URL(grafanaEnv.WARDEN_AGENT_URL!).host)).toBe(true);
    const scrape = yamlOf<{ scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> }>('provisioning/prometheus/prometheus.yml');
    for (const target of scrape.scrape_configs.find((j) => j.job_name === 'warden')!.static_configs.flatMap((c) => c.targets)) expect(allows(target), target).toBe(true);
    expect(allows('evil.example:9207')).toBe(false);
  });
});

// --- Grafana provisioning -------------------------------------------------------------------------

const GRAFANA_PROVISIONING = '/etc/grafana/provisioning';
const grafana = service('grafana');

/** A provisioning file as Grafana reads it: from its mounted folder, with the environment expanded. */
function provisioned<T>(folder: string, file: string): T {
  const hostDir = hostPathOf(grafana, `${GRAFANA_PROVISIONING}/${folder}`);
  expect(hostDir, `${folder} is mounted into Grafana`).toBe(`./provisioning/${folder}`);
  const doc = parse(grafanaExpand(read(path.join(hostDir!, file)))) as T & { apiVersion: number };
  expect(doc.apiVersion).toBe(1);
  return doc;
}

/** The dashboard providers' files in the folder mounted into Grafana, by name. */
function dashboardProviderFiles(): Record<string, string> {
  const hostDir = hostPathOf(grafana, `${GRAFANA_PROVISIONING}/dashboards`)!;
  const names = readdirSync(path.join(ROOT, hostDir)).filter((f) => /\.ya?ml$/.test(f));
  return Object.fromEntries(names.map((name) => [name, read(path.join(hostDir, name))]));
}

/** The uids of the dashboards those providers load, from the folders mounted into Grafana. */
function providedDashboardUids(files = dashboardProviderFiles()): string[] {
  return Object.values(files).flatMap((text) => {
    const doc = parse(grafanaExpand(text)) as { providers?: Array<{ type: string; options: { path: string } }> };
    return (doc.providers ?? []).flatMap((provider) => {
      const source = hostPathOf(grafana, provider.options.path);
      if (provider.type !== 'file' || !source || !existsSync(path.join(ROOT, source))) return [];
      const json = readdirSync(path.join(ROOT, source), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
      return json.map((f) => (JSON.parse(read(path.join(source, f))) as { uid?: string }).uid ?? '');
    });
  });
}

interface Receiver {
  uid: string;
  type: string;
  settings: Record<string, unknown>;
}
interface FileRule {
  uid: string;
  title: string;
  condition: string;
  for: string;
  noDataState: string;
  execErrState: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  data: Array<{ refId: string; datasourceUid: string; relativeTimeRange: { from: number; to: number }; model: { refId: string } }>;
}

const rulesRaw = yamlOf<{ groups: Array<{ rules: FileRule[] }> }>(GRAFANA_RULES_FILE);
const datasources = provisioned<{ datasources: Array<{ uid: string; type: string; url: string; isDefault?: boolean }> }>('datasources', 'prometheus.yaml');
const contactDoc = provisioned<{ contactPoints: Array<{ orgId: number; name: string; receivers: Receiver[] }> }>('alerting', path.basename(CONTACT_POINTS_FILE));
const policyDoc = provisioned<{ policies: Array<PolicyRoute & { orgId: number }> }>('alerting', path.basename(POLICIES_FILE));
const templateDoc = provisioned<{ templates: Array<{ orgId: number; name: string; template: string }> }>('alerting', path.basename(TEMPLATES_FILE));

/** Grafana's routing: depth first, the first matching child wins unless it says `continue`. */
function receiversFor(route: PolicyRoute, labels: Record<string, string>, inherited = ''): string[] {
  const receiver = route.receiver ?? inherited;
  const found: string[] = [];
  for (const child of route.routes ?? []) {
    const matches = (child.object_matchers ?? []).every(([name, op, value]) => {
      const actual = labels[name] ?? '';
      if (op === '=') return actual === value;
      if (op === '!=') return actual !== value;
      const re = new RegExp(`^(?:${value})$`);
      return op === '=~' ? re.test(actual) : !re.test(actual);
    });
    if (!matches) continue;
    found.push(...receiversFor(child, labels, receiver));
    if (!child.continue) break;
  }
  return found.length > 0 ? found : [receiver];
}

describe('Grafana provisioning', () => {
  it('every rule queries the provisioned Prometheus datasource by its fixed uid', () => {
    const uids = new Set(datasources.datasources.map((d) => d.uid));
    expect(uids).toContain(DATASOURCE_UID);
    const prometheus = datasources.datasources.find((d) => d.uid === DATASOURCE_UID)!;
    expect(prometheus.type).toBe('prometheus');
    expect(new URL(prometheus.url).host).toBe('prometheus:9090');
    // Grafana expands the environment everywhere in a rule but in its annotations.
    expect(hostPathOf(grafana, `${GRAFANA_PROVISIONING}/alerting`)).toBe('./provisioning/alerting');
    const rules = yamlOf<{ apiVersion: number; groups: Array<{ orgId: number; name: string; folder: string; interval: string; rules: FileRule[] }> }>(GRAFANA_RULES_FILE);
    expect(rules.apiVersion).toBe(1);
    for (const group of rules.groups) {
      const { rules: groupRules, ...groupFields } = group;
      grafanaExpand(JSON.stringify([groupFields, groupRules.map(({ annotations: _, ...expanded }) => expanded)]));
      expect(group).toMatchObject({ orgId: 1, name: expect.any(String), folder: expect.any(String), interval: expect.stringMatching(/^\d+[smh]$/) });
      for (const rule of groupRules) {
        expect(rule.uid).toMatch(/^[a-zA-Z0-9-_]{1,40}$/);
        expect(['OK', 'NoData', 'Alerting', 'KeepLast']).toContain(rule.noDataState);
        expect(['OK', 'Error', 'Alerting', 'KeepLast']).toContain(rule.execErrState);
        expect(rule.for).toMatch(/^\d+[smh]$/);
        expect(rule.data.map((d) => d.refId)).toContain(rule.condition);
        for (const query of rule.data) {
          expect(query.model.refId).toBe(query.refId);
          expect(query.relativeTimeRange).toBeDefined();
          if (query.datasourceUid !== '__expr__') expect(uids).toContain(query.datasourceUid);
        }
      }
    }
  });

  it('rule annotations name the target, the class and the hint, verbatim (Grafana does not expand them)', () => {
    const rules = rulesRaw.groups.flatMap((g) => g.rules);
    expect(rules).toHaveLength(ALERT_RULES.length);
    for (const rule of rules) {
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'hint', 'runbook_url', 'summary']);
      expect(rule.annotations.hint!.length, rule.title).toBeGreaterThan(10);
      expect(rule.labels[APP_LABEL.name]).toBe(APP_LABEL.value);
      expect(SEVERITIES).toContain(rule.labels.severity);
    }
  });

  it('each contact point has the settings its type requires, from the environment', () => {
    const receivers = contactDoc.contactPoints.flatMap((cp) => cp.receivers);
    const required: Record<string, string> = { email: 'addresses', dingding: 'url', webhook: 'url' };
    expect(receivers.map((r) => r.type).sort()).toEqual(['dingding', 'email', 'webhook']);
    for (const receiver of receivers) {
      const key = required[receiver.type]!;
      expect(receiver.settings[key], `${receiver.uid}.${key}`).toEqual(expect.any(String));
      expect(String(receiver.settings[key]).length).toBeGreaterThan(0);
    }
    const byType = (type: string) => receivers.find((r) => r.type === type)!.settings;
    expect(byType('email').addresses).toBe(grafanaEnv.WARDEN_ALERT_EMAIL);
    expect(byType('dingding').url).toBe(grafanaEnv.WARDEN_DINGTALK_URL);
    expect(byType('webhook').url).toBe(grafanaEnv.WARDEN_WEBHOOK_URL);
    // The raw file refers to the environment, never to a literal address.
    const raw = read(CONTACT_POINTS_FILE);
    for (const ref of Object.values(CONTACT_ENV)) expect(raw).toContain(ref);
  });

  it('the messages use templates the template file defines, and they show class, hint and target', () => {
    const [template] = templateDoc.templates;
    const defined = [...template!.template.matchAll(/\{\{\s*define "([^"]+)"/g)].map((m) => m[1]);
    const used = contactDoc.contactPoints.flatMap((cp) => cp.receivers).flatMap((r) => [...JSON.stringify(r.settings).matchAll(/template \\"([^"\\]+)\\"/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(defined).toContain(name);
    for (const field of ['.Labels.target', '.Labels.class', '.Annotations.hint']) expect(template!.template).toContain(field);
  });

  it('the policy routes by severity to contact points that exist', () => {
    const names = new Set(contactDoc.contactPoints.map((cp) => cp.name));
    const [tree] = policyDoc.policies;
    const walk = (route: PolicyRoute): string[] => [route.receiver ?? '', ...(route.routes ?? []).flatMap(walk)].filter(Boolean);
    for (const receiver of walk(tree!)) expect(names, receiver).toContain(receiver);
    const warden = (severity: string) => receiversFor(tree!, { [APP_LABEL.name]: APP_LABEL.value, severity, alertname: 'x' });
    expect(warden('critical')).toEqual(['Warden DingTalk', 'Warden email']);
    expect(warden('error')).toEqual(['Warden email']);
    expect(warden('warning')).toEqual(['Warden webhook']);
    for (const severity of SEVERITIES) expect(warden(severity)).toHaveLength(ROUTING[severity].length);
    // Every rule's severity reaches someone.
    for (const rule of ALERT_RULES) expect(warden(rule.severity).length).toBeGreaterThan(0);
  });

  it('enables the app with its agent in jsonData and the token in secureJsonData', () => {
    const doc = provisioned<{ apps: Array<{ type: string; org_id: number; disabled: boolean; jsonData: AppJsonData; secureJsonData: Record<string, string> }> }>('plugins', 'warden.yaml');
    const [app] = doc.apps;
    expect(app).toMatchObject({ type: PLUGIN_ID, disabled: false });
    expect(agentsFromJsonData(app!.jsonData)).toEqual([{ slot: 0, name: 'agent', url: grafanaEnv.WARDEN_AGENT_URL }]);
    expect(app!.jsonData[urlKey(0)]).toBe(grafanaEnv.WARDEN_AGENT_URL);
    expect(app!.secureJsonData[tokenKey(0)]).toBe(grafanaEnv.WARDEN_API_TOKEN);
    // The routes of plugin.json read exactly these keys.
    const routes = (JSON.parse(read('plugin.json')) as { routes: Array<{ path: string; url: string; headers?: Array<{ content: string }> }> }).routes;
    const slot0 = routes.filter((r) => r.path.startsWith('agent/0/'));
    expect(slot0.length).toBeGreaterThan(0);
    for (const route of slot0) {
      expect(route.url).toContain(`.JsonData.${urlKey(0)}`);
      expect(JSON.stringify(route.headers)).toContain(`.SecureJsonData.${tokenKey(0)}`);
    }
  });

  it("provisions the plugin's dashboard one way only: through plugin.json, never also by a provider", () => {
    // Grafana imports an app's included dashboards when the app is enabled, provisioning included
    // (pkg/services/plugindashboards/service/dashboard_updater.go); a provider loading one more copy
    // with the same uid would fight that import. The includes work wherever the plugin is installed.
    const dashboards = (JSON.parse(read('plugin.json')) as { includes: Array<{ type: string; path?: string; uid?: string }> }).includes.filter((i) => i.type === 'dashboard');
    expect(dashboards.length).toBeGreaterThan(0);
    for (const d of dashboards) {
      expect(existsSync(path.join(ROOT, 'dist', d.path!)), `dist/${d.path} (npm run build)`).toBe(true);
      expect((JSON.parse(read(path.join('src', d.path!))) as { uid: string }).uid).toBe(d.uid);
    }
    const provisioned = providedDashboardUids();
    for (const d of dashboards) expect(provisioned, `${d.uid} is both included and provisioned`).not.toContain(d.uid);
  });

  it('would catch a provider that loads the included dashboard again', () => {
    const provider = 'apiVersion: 1\nproviders:\n  - name: x\n    type: file\n    options:\n      path: /var/lib/grafana/plugins/warden-mysqlbackup-app/dashboards\n';
    expect(providedDashboardUids({ 'warden.yaml': provider })).toContain('warden-mysql-backups');
  });
});

describe('Prometheus', () => {
  const prometheus = service('prometheus');
  const configFile = hostPathOf(prometheus, '/etc/prometheus/prometheus.yml');

  it('scrapes the agent under the job the "agent down" rule watches (promtool check config)', async () => {
    expect(configFile).toBe('./provisioning/prometheus/prometheus.yml');
    const { stdout } = await run('promtool', ['check', 'config', path.join(ROOT, configFile!)]);
    expect(stdout).toContain('SUCCESS');
    const config = yamlOf<{ scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> }>(configFile!);
    const job = config.scrape_configs.find((j) => j.job_name === 'warden');
    expect(job).toBeDefined();
    expect(ALERT_RULES.find((r) => r.uid === 'warden-agent-down')!.expr).toContain('job="warden"');
    const agentConfig = parseConfig(read('docker/warden.yaml'), 'docker/warden.yaml', { WARDEN_API_TOKEN: 't', SHOP_DB_PASSWORD: 'p' });
    const port = agentConfig.api.listen.split(':').pop();
    expect(job!.static_configs.flatMap((s) => s.targets)).toEqual([`agent:${port}`]);
  });
});
