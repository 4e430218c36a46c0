// scripts/stack-smoke.sh cannot run here (no Docker engine), so it is checked three ways: it lints
// (bash -n, shellcheck); every service name, port, id, route and target in its config block agrees
// with docker-compose.yml, plugin.json, src/panels/*/plugin.json, provisioning/ and docker/warden.yaml;
// and it runs end to end against fakes of docker and of the five services' HTTP APIs (its own
// logic: waits, checks, PASS/FAIL lines, teardown), and fails fast when docker is missing.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLASS_INFO, type FailureClass } from '../backend/src/contract/classes.js';
import { ROOT } from './helpers/warden.js';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'scripts', 'stack-smoke.sh');
const source = readFileSync(SCRIPT, 'utf8');
const BEGIN = '# --- config begin';
const END = '# --- config end';
const configBlock = source.slice(source.indexOf(BEGIN), source.indexOf(END));
const body = source.slice(source.indexOf(END));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const yamlOf = <T>(file: string) => parse(read(file)) as T;

// --- the config block, as bash evaluates it -------------------------------------------------------

const NAMES = [...configBlock.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
/** Every variable of the block: a scalar as one element, an array as its elements. */
function loadConfig(block: string): Record<string, string[]> {
  const printer = [
    `for n in ${NAMES.join(' ')}; do`,
    '  declare -n ref="$n"',
    '  printf "%s" "$n"',
    '  for x in "${ref[@]}"; do printf "\\t%s" "$x"; done',
    '  printf "\\n"',
    '  unset -n ref',
    'done',
  ].join('\n');
  const out = execFileSync('bash', ['-c', `set -euo pipefail\n${block}\n${printer}`], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
  return Object.fromEntries(out.trimEnd().split('\n').map((line) => { const [name, ...values] = line.split('\t'); return [name!, values]; }));
}
const config = loadConfig(configBlock);
const one = (name: string): string => {
  const v = config[name];
  if (!v || v.length !== 1) throw new Error(`${name} is not a scalar in the config block of scripts/stack-smoke.sh`);
  return v[0]!;
};
const list = (name: string): string[] => {
  const v = config[name];
  if (!v) throw new Error(`${name} is not in the config block of scripts/stack-smoke.sh`);
  return v;
};

/** A Prometheus/Go duration in seconds ("60s", "5m", "1h", "0s"). */
function seconds(d: string | number): number {
  if (typeof d === 'number') return d;
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * ({ ms: 0, s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as const)[m[2] as 'ms'];
  return total;
}

// --- the files the script must agree with ----------------------------------------------------------

interface Service { image?: string; environment?: Record<string, string>; ports?: string[]; volumes?: string[]; healthcheck?: unknown }
const composeText = read('docker-compose.yml');
const compose = parse(composeText) as { services: Record<string, Service> };
const service = (name: string) => {
  const svc = compose.services[name];
  if (!svc) throw new Error(`docker-compose.yml has no service ${name}`);
  return svc;
};
/** "127.0.0.1:9207:9207" -> host address, host port, container port. */
function published(svc: Service): { host: string; hostPort: string; containerPort: string } {
  expect(svc.ports, 'published ports').toHaveLength(1);
  const [host, hostPort, containerPort] = svc.ports![0]!.split(':');
  return { host: host!, hostPort: hostPort!, containerPort: containerPort! };
}

interface Route { path: string; method: string; reqRole: string; url: string; headers?: { name: string; content: string }[] }
const pluginJson = JSON.parse(read('plugin.json')) as { id: string; includes: { type: string; path?: string }[]; routes: Route[] };
const panelDirs = readdirSync(path.join(ROOT, 'src', 'panels'), { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(ROOT, 'src', 'panels', d.name, 'plugin.json')));
const panelIds = panelDirs.map((d) => (JSON.parse(read(`src/panels/${d.name}/plugin.json`)) as { id: string }).id);

interface Rule { uid: string; title: string; for: string; labels: Record<string, string>; data: { model: { expr?: string } }[] }
const rulesYaml = yamlOf<{ groups: { name: string; folder: string; interval: string; rules: Rule[] }[] }>('provisioning/alerting/rules.yaml');
const rules = rulesYaml.groups.flatMap((g) => g.rules);
interface PolicyRoute { receiver?: string; object_matchers?: string[][]; group_wait?: string; routes?: PolicyRoute[] }
const policies = yamlOf<{ policies: PolicyRoute[] }>('provisioning/alerting/policies.yaml').policies;
const contactPoints = yamlOf<{ contactPoints: { name: string; receivers: { type: string }[] }[] }>('provisioning/alerting/contact-points.yaml').contactPoints;
const appProvisioning = yamlOf<{ apps: { type: string; jsonData: Record<string, unknown>; secureJsonData: Record<string, string> }[] }>('provisioning/plugins/warden.yaml').apps;
const prometheusYml = yamlOf<{ global?: { scrape_interval?: string }; scrape_configs: { job_name: string; scrape_interval?: string; static_configs: { targets: string[] }[] }[] }>('provisioning/prometheus/prometheus.yml');
const wardenYaml = yamlOf<{ api: { listen: string; allowedHosts?: string[] }; targets: { name: string; user: string; passwordEnv?: string }[] }>('docker/warden.yaml');
const apiDoc = read('docs/api.md');

/** The receivers a warden alert of this severity reaches, down the provisioned policy tree. */
function receiversFor(labels: Record<string, string>): string[] {
  const matches = (r: PolicyRoute) => (r.object_matchers ?? []).every(([k, op, v]) => op === '=' && labels[k!] === v);
  const walk = (routes: PolicyRoute[] | undefined): string[] =>
    (routes ?? []).filter(matches).flatMap((r) => [...(r.routes?.some(matches) ? [] : r.receiver ? [r.receiver] : []), ...walk(r.routes)]);
  return [...new Set(walk(policies[0]!.routes))];
}
const isEmailReceiver = (name: string) => contactPoints.find((c) => c.name === name)?.receivers.some((r) => r.type === 'email') ?? false;

// --- lint ------------------------------------------------------------------------------------------

describe('scripts/stack-smoke.sh lints', () => {
  it('parses (bash -n)', async () => {
    await run('bash', ['-n', SCRIPT]);
  });

  it('passes shellcheck', async () => {
    const found = await run('bash', ['-c', 'command -v shellcheck']).then(() => true, () => false);
    expect(found, 'shellcheck is not installed: apt-get install -y shellcheck (.ci/run installs it)').toBe(true);
    const result = await run('shellcheck', ['--shell=bash', SCRIPT]).then(() => '', (e: { stdout?: string }) => e.stdout ?? String(e));
    expect(result).toBe('');
  });

  it('is executable and uses strict mode', () => {
    expect(readFileSync(SCRIPT).subarray(0, 19).toString()).toBe('#!/usr/bin/env bash');
    expect(source).toMatch(/^set -euo pipefail$/m);
    expect(execFileSync('bash', ['-c', 'test -x "$0" && echo yes', SCRIPT], { encoding: 'utf8' }).trim()).toBe('yes');
  });
});

// --- one place for every URL, port and id -----------------------------------------------------------

describe('the config block of scripts/stack-smoke.sh', () => {
  it('is the only place with URLs, ports and ids', () => {
    const code = body.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    expect(code).not.toMatch(/http:\/\//); // https:// only in links to install docs
    expect(code).not.toMatch(/\/api\//);
    expect(code).not.toMatch(/\b(9207|9090|3000|8025|1025)\b/);
    expect(code).not.toMatch(/warden-[a-z]/);
    expect(code).not.toMatch(/\bshop\b/);
    expect(code).not.toMatch(/mysql_backup_last/);
  });

  it('names the services, the secrets and the ports of docker-compose.yml', () => {
    for (const name of ['SVC_MYSQL', 'SVC_AGENT', 'SVC_PROMETHEUS', 'SVC_GRAFANA', 'SVC_MAILPIT']) service(one(name));
    expect(service(one('SVC_MYSQL')).image).toMatch(/^mysql:8\.4/);
    expect(service(one('SVC_MYSQL')).healthcheck, 'the script waits for the mysql container health').toBeDefined();
    expect(service(one('SVC_MAILPIT')).image).toMatch(/mailpit/);
    expect(service(one('SVC_GRAFANA')).image).toMatch(/^grafana\/grafana:/);
    expect(service(one('SVC_PROMETHEUS')).image).toMatch(/^prom\/prometheus:/);

    const required = [...new Set([...composeText.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!))].sort();
    expect([...list('REQUIRED_ENV')].sort()).toEqual(required);

    const ports: Array<[string, string, string]> = [
      ['SVC_AGENT', 'AGENT_PORT', 'AGENT_URL'],
      ['SVC_PROMETHEUS', 'PROMETHEUS_PORT', 'PROMETHEUS_URL'],
      ['SVC_GRAFANA', 'GRAFANA_PORT', 'GRAFANA_URL'],
      ['SVC_MAILPIT', 'MAILPIT_PORT', 'MAILPIT_URL'],
    ];
    for (const [svc, port, url] of ports) {
      const p = published(service(one(svc)));
      expect(p.host, `${svc} binds`).toBe(one('HOST'));
      expect(p.hostPort, port).toBe(one(port));
      expect(one(url)).toBe(`http://${one('HOST')}:${one(port)}`);
    }
    expect(one('COMPOSE_FILE')).toBe('docker-compose.yml');
    expect(one('COMPOSE_PROJECT')).not.toBe(path.basename(ROOT)); // never the project of a stack you run yourself
  });

  it('waits on readiness endpoints the services have', () => {
    expect(apiDoc).toContain('`GET /readyz`');
    expect(one('AGENT_READY_URL')).toBe(`${one('AGENT_URL')}/readyz`);
    expect(one('PROMETHEUS_READY_URL')).toBe(`${one('PROMETHEUS_URL')}/-/ready`);
    expect(one('GRAFANA_HEALTH_URL')).toBe(`${one('GRAFANA_URL')}/api/health`);
    expect(one('MAILPIT_READY_URL')).toBe(`${one('MAILPIT_URL')}/readyz`);
  });

  it('logs in as the Grafana admin whose password compose demands', () => {
    const env = service(one('SVC_GRAFANA')).environment ?? {};
    expect(env.GF_SECURITY_ADMIN_USER ?? 'admin').toBe(one('GRAFANA_USER'));
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
  });

  it('expects the app of plugin.json and the panels of src/panels/*/plugin.json', () => {
    expect(one('APP_ID')).toBe(pluginJson.id);
    expect([...list('PANEL_IDS')].sort()).toEqual([...panelIds].sort());
    expect(pluginJson.includes.filter((i) => i.type === 'panel').map((i) => i.path).sort()).toEqual(panelDirs.map((d) => `panels/${d.name}`).sort());
    const grafana = service(one('SVC_GRAFANA'));
    expect(grafana.volumes).toContain(`./dist:/var/lib/grafana/plugins/${one('APP_ID')}:ro`);
    expect(String(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',')).toContain(one('APP_ID'));
    expect(one('GRAFANA_PLUGINS_URL')).toBe(`${one('GRAFANA_URL')}/api/plugins`);
    expect(one('GRAFANA_APP_SETTINGS_URL')).toBe(`${one('GRAFANA_URL')}/api/plugins/${one('APP_ID')}/settings`);
  });

  it('goes through the plugin route of its agent slot, as provisioned', () => {
    const slot = one('AGENT_SLOT');
    expect(one('PROXY_URL')).toBe(`${one('GRAFANA_URL')}/api/plugin-proxy/${one('APP_ID')}/agent/${slot}`);
    const routes = pluginJson.routes.filter((r) => r.path === `agent/${slot}/*`);
    const post = routes.find((r) => r.method === 'POST') ?? routes.find((r) => r.method === '*');
    const get = routes.find((r) => r.method === 'GET') ?? routes.find((r) => r.method === '*');
    expect(post, 'a route that takes POST').toBeDefined();
    expect(get, 'a route that takes GET').toBeDefined();
    for (const r of [post!, get!]) {
      expect(['Viewer', 'Editor', 'Admin']).toContain(r.reqRole); // the admin has every role
      expect(r.url).toBe(`{{ .JsonData.agent${slot}Url }}`);
      expect(r.headers?.find((h) => h.name === 'Authorization')?.content).toBe(`Bearer {{ .SecureJsonData.agent${slot}Token }}`);
    }
    const app = appProvisioning.find((a) => a.type === one('APP_ID'));
    expect(app, 'provisioning/plugins enables the app').toBeDefined();
    expect(app!.jsonData[`agent${slot}Url`]).toBe('${WARDEN_AGENT_URL}');
    expect(app!.secureJsonData[`agent${slot}Token`]).toBe('${WARDEN_API_TOKEN}');
    const agentPort = published(service(one('SVC_AGENT'))).containerPort;
    expect(service(one('SVC_GRAFANA')).environment?.WARDEN_AGENT_URL).toBe(`http://${one('SVC_AGENT')}:${agentPort}`);
    expect(wardenYaml.api.listen.split(':').pop()).toBe(agentPort);
    expect(wardenYaml.api.allowedHosts).toContain(one('SVC_AGENT'));
  });

  it('backs up a target of docker/warden.yaml through endpoints of docs/api.md', () => {
    const target = wardenYaml.targets.find((t) => t.name === one('TARGET'));
    expect(target, `docker/warden.yaml has target ${one('TARGET')}`).toBeDefined();
    expect(one('PROXY_TARGET_URL')).toBe(`${one('PROXY_URL')}/api/v1/targets/${one('TARGET')}`);
    expect(one('PROXY_BACKUPS_TRIGGER_URL')).toBe(`${one('PROXY_TARGET_URL')}/backups`);
    expect(one('PROXY_BACKUP_URL')).toBe(`${one('PROXY_URL')}/api/v1/backups`);
    for (const endpoint of ['GET /api/v1/targets/:name', 'POST /api/v1/targets/:name/backups', 'GET /api/v1/backups/:id']) expect(apiDoc).toContain(`\`${endpoint}\``);

    // The forced failure: the same MySQL user, its host as 02-grants.sh creates it, its password
    // restored from the variable the mysql service has.
    expect(one('BACKUP_USER')).toBe(target!.user);
    expect(read('docker/mysql-init/02-grants.sh')).toContain(`'${one('BACKUP_USER')}'@'${one('BACKUP_USER_HOST')}'`);
    expect(target!.passwordEnv).toBe('SHOP_DB_PASSWORD');
    expect(service(one('SVC_MYSQL')).environment).toHaveProperty('SHOP_DB_PASSWORD');
    expect(service(one('SVC_MYSQL')).environment).toHaveProperty('MYSQL_ROOT_PASSWORD');
    expect(body).toContain('password=$SHOP_DB_PASSWORD');
  });

  it('looks for the scrape job and the metric Prometheus and the agent have', () => {
    const job = prometheusYml.scrape_configs.find((j) => j.job_name === one('SCRAPE_JOB'));
    expect(job, `prometheus.yml has job ${one('SCRAPE_JOB')}`).toBeDefined();
    const agentPort = published(service(one('SVC_AGENT'))).containerPort;
    expect(job!.static_configs.flatMap((s) => s.targets)).toContain(`${one('SVC_AGENT')}:${agentPort}`);
    expect(seconds(job!.scrape_interval ?? prometheusYml.global?.scrape_interval ?? '1m')).toBe(Number(one('SCRAPE_INTERVAL')));
    expect(service(one('SVC_PROMETHEUS')).volumes).toContain('./provisioning/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(one('SUCCESS_METRIC')).toBe('mysql_backup_last_success_timestamp_seconds');
    expect(read('backend/src/contract/metrics.ts')).toMatch(/PREFIX = 'mysql_backup_'[\s\S]*'last_success_timestamp_seconds'/);
    expect(one('PROMETHEUS_TARGETS_URL')).toBe(`${one('PROMETHEUS_URL')}/api/v1/targets`);
    expect(one('PROMETHEUS_QUERY_URL')).toBe(`${one('PROMETHEUS_URL')}/api/v1/query`);
  });

  it('knows every rule of provisioning/alerting/rules.yaml and which failures are e-mailed', () => {
    expect([...list('RULE_UIDS')].sort()).toEqual(rules.map((r) => r.uid).sort());
    const emailed = rules.filter((r) => r.title.startsWith('WardenBackupFailed') && receiversFor(r.labels).some(isEmailReceiver)).map((r) => r.uid);
    expect([...list('EMAIL_FAILED_RULE_UIDS')].sort()).toEqual(emailed.sort());

    // The forced failure's class has a rule that is e-mailed.
    const cls = one('FORCED_FAILURE_CLASS') as FailureClass;
    expect(CLASS_INFO[cls]).toBeDefined();
    const rule = rules.find((r) => list('EMAIL_FAILED_RULE_UIDS').includes(r.uid) && r.labels.severity === CLASS_INFO[cls].severity);
    expect(rule, `an e-mailed backup-failed rule of severity ${CLASS_INFO[cls].severity}`).toBeDefined();
    expect(rule!.data[0]!.model.expr).toMatch(new RegExp(`class=~"[^"]*\\b${cls}\\b`));
    // Mail goes to the catcher.
    expect(service(one('SVC_GRAFANA')).environment?.GF_SMTP_HOST).toBe(`${one('SVC_MAILPIT')}:1025`);
    expect(one('MAILPIT_MESSAGES_URL')).toBe(`${one('MAILPIT_URL')}/api/v1/messages`);
  });

  it('waits for the mail at least as long as the rules and the policy say', () => {
    const group = rulesYaml.groups.find((g) => g.rules.some((r) => list('EMAIL_FAILED_RULE_UIDS').includes(r.uid)))!;
    expect(Number(one('RULE_INTERVAL_FALLBACK'))).toBe(seconds(group.interval));
    const forMax = Math.max(...rules.filter((r) => list('EMAIL_FAILED_RULE_UIDS').includes(r.uid)).map((r) => seconds(r.for)));
    expect(Number(one('RULE_FOR_FALLBACK'))).toBe(forMax);
    const waits: number[] = [];
    const walk = (rs: PolicyRoute[] | undefined) => rs?.forEach((r) => { if (r.group_wait) waits.push(seconds(r.group_wait)); walk(r.routes); });
    walk(policies);
    expect(Number(one('GROUP_WAIT_FALLBACK'))).toBe(Math.max(30, ...waits)); // 30s: Grafana's default group_wait
    expect(Number(one('MAIL_MARGIN'))).toBeGreaterThanOrEqual(60);
    // The rule-state check waits two intervals: the first evaluation comes within one.
    expect(body).toMatch(/2 \* interval \+ 30/);
  });
});

// --- running it -----------------------------------------------------------------------------------

const tmpRoots: string[] = [];
afterAll(() => tmpRoots.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => { const d = mkdtempSync(path.join(os.tmpdir(), 'stack-smoke-')); tmpRoots.push(d); return d; };

interface Result { code: number | null; stdout: string; stderr: string; ms: number }
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - started }); });
  });
}
/** A PATH of links to the commands named, and nothing else. */
function pathWith(commands: string[]): string {
  const dir = tmp();
  for (const cmd of commands) {
    const found = execFileSync('bash', ['-c', 'command -v "$0" || true', cmd], { encoding: 'utf8' }).trim();
    if (found) symlinkSync(found, path.join(dir, cmd));
  }
  return dir;
}
const writeExecutable = (file: string, text: string) => { writeFileSync(file, text); chmodSync(file, 0o755); };

describe('scripts/stack-smoke.sh without Docker', () => {
  it('fails fast, naming docker, when docker is not in PATH', async () => {
    const bin = pathWith(['curl', 'jq', 'dirname']);
    const r = await runScript(SCRIPT, [], { PATH: bin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing from PATH:\n\s+- docker \(Docker Engine with the Compose v2 plugin/);
    expect(r.stderr).not.toMatch(/- (curl|jq) /);
    expect(r.stdout).toBe('');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('names every missing tool at once', async () => {
    const r = await runScript(SCRIPT, [], { PATH: pathWith([]) });
    expect(r.code).toBe(2);
    for (const tool of ['docker', 'curl', 'jq']) expect(r.stderr).toContain(`- ${tool} (`);
  });

  it('says so when the Compose plugin or the daemon is missing', async () => {
    const bin = pathWith(['curl', 'jq', 'dirname']);
    writeExecutable(path.join(bin, 'docker'), '#!/bin/bash\n[ "$1" = compose ] && { echo "docker: unknown command: docker compose" >&2; exit 1; }\nexit 0\n');
    let r = await runScript(SCRIPT, [], { PATH: bin });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'docker compose' (Compose v2) does not work here");
    writeExecutable(path.join(bin, 'docker'), '#!/bin/bash\n[ "$1" = info ] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; }\nexit 0\n');
    r = await runScript(SCRIPT, [], { PATH: bin });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot reach the Docker daemon');
  });

  it('explains itself with --help and refuses unknown options', async () => {
    let r = await runScript(SCRIPT, ['--help'], { PATH: pathWith([]) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--keep[\s\S]*down -v/);
    r = await runScript(SCRIPT, ['--frobnicate'], { PATH: pathWith([]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --frobnicate');
  });
});

// --- a whole run, against fakes -------------------------------------------------------------------

interface Fakes { ports: Record<'agent' | 'prometheus' | 'grafana' | 'mailpit', number>; close: () => Promise<void>; state: FakeState }
interface FakeState { posts: number; backups: Map<string, { status: string; class: string }>; mailSent: boolean; brokenFile: string; authFailures: number; missingPanel?: string }

/** The five services' HTTP APIs as the script uses them, answering like the real ones would. */
async function startFakes(password: string, stateDir: string, missingPanel?: string): Promise<Fakes> {
  const state: FakeState = { posts: 0, backups: new Map(), mailSent: false, brokenFile: path.join(stateDir, 'broken'), authFailures: 0, missingPanel };
  const json = (res: http.ServerResponse, status: number, value: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(value)); };
  const titles = Object.fromEntries(rules.map((r) => [r.uid, r.title]));
  const proxy = `/api/plugin-proxy/${one('APP_ID')}/agent/${one('AGENT_SLOT')}`;

  const handlers: Record<keyof Fakes['ports'], (req: http.IncomingMessage, url: URL, res: http.ServerResponse, body: string) => void> = {
    agent: (_req, url, res) => (url.pathname === '/readyz' ? json(res, 200, { status: 'ready' }) : json(res, 404, {})),
    prometheus: (_req, url, res) => {
      if (url.pathname === '/-/ready') return void res.end('Prometheus Server is Ready.\n');
      if (url.pathname === '/api/v1/targets') return json(res, 200, { status: 'success', data: { activeTargets: [{ labels: { job: one('SCRAPE_JOB') }, health: 'up', lastError: '' }] } });
      if (url.pathname === '/api/v1/query') {
        expect(url.searchParams.get('query')).toBe(`${one('SUCCESS_METRIC')}{target="${one('TARGET')}"}`);
        return json(res, 200, { status: 'success', data: { resultType: 'vector', result: [{ metric: { target: one('TARGET') }, value: [1733489100, '1733489012.345'] }] } });
      }
      json(res, 404, {});
    },
    grafana: (req, url, res, body) => {
      if (url.pathname === '/api/health') return json(res, 200, { database: 'ok' });
      if (req.headers.authorization !== `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`) return json(res, 401, { message: 'Unauthorized' });
      const p = url.pathname;
      if (p === '/api/plugins') {
        expect(url.search).toBe(''); // ?embedded=0 would hide the nested panels
        const ids = [one('APP_ID'), ...list('PANEL_IDS')].filter((id) => id !== state.missingPanel);
        return json(res, 200, ids.map((id) => ({ id, type: id === one('APP_ID') ? 'app' : 'panel', enabled: id === one('APP_ID') })));
      }
      if (p === '/api/plugins/errors') return json(res, 200, state.missingPanel ? [{ pluginId: state.missingPanel, errorCode: 'signatureMissing', pluginType: 'panel' }] : []);
      if (p === `/api/plugins/${one('APP_ID')}/settings`) return json(res, 200, { id: one('APP_ID'), type: 'app', enabled: true });
      if (p === `${proxy}/api/v1/targets/${one('TARGET')}`) return json(res, 200, { name: one('TARGET'), running: null });
      if (p === `${proxy}/api/v1/targets/${one('TARGET')}/backups` && req.method === 'POST') {
        expect(req.headers['content-type']).toBe('application/json');
        expect(body).toBe('{}');
        const id = `20261206T0${++state.posts}0000.000Z-abcd`;
        const broken = existsSync(state.brokenFile);
        state.backups.set(id, broken ? { status: 'failed', class: 'auth' } : { status: 'success', class: 'none' });
        if (broken) state.authFailures++;
        return json(res, 202, { id, target: one('TARGET') });
      }
      const backup = p.startsWith(`${proxy}/api/v1/backups/`) && state.backups.get(p.split('/').pop()!);
      if (backup) return json(res, 200, { id: p.split('/').pop(), target: one('TARGET'), status: backup.status, class: backup.class, error: backup.status === 'failed' ? { class: 'auth', message: "Access denied for user 'backup'" } : null });
      const rule = p.match(/^\/api\/v1\/provisioning\/alert-rules\/([\w-]+)$/);
      if (rule) return titles[rule[1]!] ? json(res, 200, { uid: rule[1], title: titles[rule[1]!], folderUID: 'f0', ruleGroup: 'warden', for: '0s', provenance: 'file' }) : json(res, 404, { message: 'not found' });
      if (p === '/api/v1/provisioning/folder/f0/rule-groups/warden') return json(res, 200, { title: 'warden', folderUid: 'f0', interval: 1, rules: [] });
      if (p === '/api/v1/provisioning/policies') return json(res, 200, { receiver: 'x', group_wait: '1s', routes: [{ receiver: 'y', group_wait: '2s' }] });
      if (p === '/api/prometheus/grafana/api/v1/rules') {
        return json(res, 200, { status: 'success', data: { groups: [{ name: 'warden', file: 'Warden', rules: rules.map((r) => ({ name: r.title, state: 'inactive', health: r.uid === 'warden-backup-stale' ? 'nodata' : 'ok', type: 'alerting', lastEvaluation: new Date().toISOString() })) }] } });
      }
      json(res, 404, { message: `fake grafana: no ${req.method} ${p}` });
    },
    mailpit: (_req, url, res) => {
      if (url.pathname === '/readyz') return void res.end();
      if (url.pathname === '/api/v1/messages') {
        const old = { ID: 'old1', Subject: '[FIRING:1] WardenBackupFailedError (shop)' }; // there before the forced failure: must not count
        if (state.authFailures > 0) state.mailSent = true;
        const messages = state.mailSent ? [{ ID: 'new1', Subject: `[FIRING:1] WardenBackupFailedError (${one('TARGET')})` }, old] : [old];
        return json(res, 200, { total: messages.length, messages });
      }
      json(res, 404, {});
    },
  };

  const servers: http.Server[] = [];
  const ports = {} as Fakes['ports'];
  for (const name of Object.keys(handlers) as (keyof Fakes['ports'])[]) {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        try { handlers[name](req, new URL(req.url!, 'http://fake'), res, body); } catch (e) { json(res, 500, { message: String(e) }); }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    ports[name] = (server.address() as AddressInfo).port;
  }
  return { ports, state, close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined) };
}

/** A copy of the script in a fake checkout: ports pointed at the fakes, quick polling, a built dist/. */
function fakeCheckout(ports: Fakes['ports']): { dir: string; script: string } {
  const dir = tmp();
  mkdirSync(path.join(dir, 'scripts'));
  let text = source
    .replace(/^AGENT_PORT=\d+$/m, `AGENT_PORT=${ports.agent}`)
    .replace(/^PROMETHEUS_PORT=\d+$/m, `PROMETHEUS_PORT=${ports.prometheus}`)
    .replace(/^GRAFANA_PORT=\d+$/m, `GRAFANA_PORT=${ports.grafana}`)
    .replace(/^MAILPIT_PORT=\d+$/m, `MAILPIT_PORT=${ports.mailpit}`)
    .replace(/^POLL=\d+$/m, 'POLL=0.1');
  expect(text.match(new RegExp(`=(${ports.agent}|${ports.prometheus}|${ports.grafana}|${ports.mailpit}|0\\.1)$`, 'gm'))).toHaveLength(5);
  writeExecutable(path.join(dir, 'scripts', 'stack-smoke.sh'), text);
  writeFileSync(path.join(dir, 'docker-compose.yml'), composeText);
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'plugin.json'), read('plugin.json'));
  writeFileSync(path.join(dir, 'dist', 'module.js'), '');
  for (const d of panelDirs) {
    mkdirSync(path.join(dir, 'dist', 'panels', d.name), { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'panels', d.name, 'plugin.json'), '{}');
    writeFileSync(path.join(dir, 'dist', 'panels', d.name, 'module.js'), '');
  }
  return { dir, script: path.join(dir, 'scripts', 'stack-smoke.sh') };
}

/**
 * docker as the script uses it: compose up/ps/logs/down/exec and inspect, logged. `compose exec`
 * runs the given command here (the in-container script, with a fake mysql that logs what it gets).
 */
function fakeDocker(stateDir: string): { bin: string; log: string; mysqlLog: string } {
  const bin = tmp();
  const log = path.join(stateDir, 'docker.log');
  const mysqlLog = path.join(stateDir, 'mysql.log');
  writeExecutable(
    path.join(bin, 'docker'),
    `#!/bin/bash
printf '%s\\n' "$*" >>"${log}"
case $1 in
  info) exit 0 ;;
  inspect) case \${!#} in cid-${one('SVC_MYSQL')}) echo "running healthy" ;; *) echo running ;; esac; exit 0 ;;
  compose) shift ;;
  *) exit 1 ;;
esac
[ "$1" = version ] && { echo "Docker Compose version v2.99.0"; exit 0; }
while [ $# -gt 0 ]; do case $1 in -p | -f) shift 2 ;; *) break ;; esac; done
case $1 in
  up | down | logs) exit 0 ;;
  ps) echo "cid-\${!#}" ;;
  exec) shift; [ "$1" = -T ] && shift; shift; PATH="${bin}/container:$PATH" "$@" ;;
  *) exit 1 ;;
esac
`,
  );
  mkdirSync(path.join(bin, 'container'));
  writeExecutable(
    path.join(bin, 'container', 'mysql'),
    `#!/bin/bash
printf 'ARGS %s\\n' "$*" >>"${mysqlLog}"
for a; do case $a in --defaults-extra-file=*) cat "\${a#*=}" >>"${mysqlLog}" ;; esac; done
sql=$(cat)
printf '%s\\n' "$sql" >>"${mysqlLog}"
case $sql in *smoke-wrong-*) touch "${path.join(stateDir, 'broken')}" ;; *) rm -f "${path.join(stateDir, 'broken')}" ;; esac
`,
  );
  return { bin, log, mysqlLog };
}

describe('scripts/stack-smoke.sh against fakes of docker and the five services', () => {
  const secrets = { GRAFANA_ADMIN_PASSWORD: 'gr@fana "pass" \\ word', SHOP_DB_PASSWORD: "it's a \\ test", MYSQL_ROOT_PASSWORD: 'root-pw' };

  it('passes every check, breaks and restores the backup password, and tears the stack down', async () => {
    const stateDir = tmp();
    const fakes = await startFakes(secrets.GRAFANA_ADMIN_PASSWORD, stateDir);
    try {
      const { script } = fakeCheckout(fakes.ports);
      const docker = fakeDocker(stateDir);
      const r = await runScript(script, [], { PATH: `${docker.bin}:${process.env.PATH}`, ...secrets });
      const lines = r.stdout.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('FAIL')), r.stdout + r.stderr).toEqual([]);
      expect(lines.map((l) => l.split(' ')[1]!.replace(/:.*/, ''))).toEqual([
        'up', 'up', 'up', 'up', 'up',
        'plugins-loaded', 'backup-through-proxy', 'prometheus-scrapes-agent', 'prometheus-has-metric',
        'alert-rules-exist', 'alert-rules-evaluate', 'failed-backup-mail', '12',
      ]);
      expect(lines.at(-1)).toBe('stack-smoke: 12 passed, 0 failed');
      expect(r.stdout).toContain(`PASS failed-backup-mail ("[FIRING:1] WardenBackupFailedError (${one('TARGET')})" in Mailpit)`);
      expect(r.code).toBe(0);

      // Generated the one secret not given, and said so without printing it.
      expect(r.stderr).toContain('generated throwaway values for WARDEN_API_TOKEN');
      // Its own project; up with a build, down with the volumes.
      const calls = readFileSync(docker.log, 'utf8');
      expect(calls).toContain(`compose -p ${one('COMPOSE_PROJECT')} -f `);
      expect(calls).toMatch(/ up -d --build\n/);
      expect(calls).toMatch(/ down -v --remove-orphans\n/);
      for (const s of Object.values(secrets)) expect(calls).not.toContain(s);

      // The password went wrong before the second backup, and came back whole; no password on argv.
      expect(fakes.state.authFailures).toBe(1);
      const sql = readFileSync(docker.mysqlLog, 'utf8');
      expect(sql).toMatch(new RegExp(`ALTER USER '${one('BACKUP_USER')}'@'%' IDENTIFIED BY 'smoke-wrong-[0-9a-f]{24}';`));
      expect(sql).toContain(`ALTER USER '${one('BACKUP_USER')}'@'%' IDENTIFIED BY 'it''s a \\\\ test';`);
      expect(sql).toContain('[client]\nuser=root\npassword="root-pw"');
      for (const line of sql.split('\n').filter((l) => l.startsWith('ARGS'))) expect(line).toMatch(/^ARGS --defaults-extra-file=\/dev\/fd\/\d+$/);
      expect(existsSync(path.join(stateDir, 'broken'))).toBe(false);
    } finally {
      await fakes.close();
    }
  });

  it('fails the plugin check with Grafana’s reason, still runs the rest, exits 1 and tears down', async () => {
    const stateDir = tmp();
    const fakes = await startFakes(secrets.GRAFANA_ADMIN_PASSWORD, stateDir, list('PANEL_IDS')[1]);
    try {
      const { script } = fakeCheckout(fakes.ports);
      const docker = fakeDocker(stateDir);
      const r = await runScript(script, [], { PATH: `${docker.bin}:${process.env.PATH}`, ...secrets, WARDEN_API_TOKEN: 't' });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`FAIL plugins-loaded: not loaded: ${list('PANEL_IDS')[1]}; plugin errors reported by Grafana: ${list('PANEL_IDS')[1]}: signatureMissing`);
      expect(r.stdout.trim().split('\n').at(-1)).toBe('stack-smoke: 11 passed, 1 failed');
      expect(r.stderr).not.toContain('generated throwaway');
      expect(readFileSync(docker.log, 'utf8')).toMatch(/ down -v --remove-orphans\n/);
    } finally {
      await fakes.close();
    }
  });

  it('leaves the stack up with --keep', async () => {
    const stateDir = tmp();
    const fakes = await startFakes(secrets.GRAFANA_ADMIN_PASSWORD, stateDir);
    try {
      const { script } = fakeCheckout(fakes.ports);
      const docker = fakeDocker(stateDir);
      const r = await runScript(script, ['--keep'], { PATH: `${docker.bin}:${process.env.PATH}`, ...secrets, WARDEN_API_TOKEN: 't' });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(readFileSync(docker.log, 'utf8')).not.toMatch(/ down /);
      expect(r.stderr).toContain(`--keep: the stack stays up; remove it with: docker compose -p ${one('COMPOSE_PROJECT')}`);
    } finally {
      await fakes.close();
    }
  });
});
