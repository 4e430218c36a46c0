// The alert rules: the generated files match their source, promtool accepts them, and every rule
// fires on series shaped like the agent's metrics and stays quiet on a healthy target.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CLASS_INFO, type FailureClass, SEVERITIES } from '../backend/src/contract/classes.js';
import { DATASOURCE_UID, ruleLabels } from '../src/features/alerting/grafanaRules.js';
import { GRAFANA_RULES_FILE, PROMETHEUS_RULES_FILE, renderAlerting } from '../src/features/alerting/render.js';
import { ALERT_RULES, type AlertRule } from '../src/features/alerting/rules.js';

const run = promisify(execFile);
const root = new URL('../', import.meta.url);
const rulesPath = new URL(PROMETHEUS_RULES_FILE, root).pathname;
const read = (file: string) => readFile(new URL(file, root), 'utf8');

describe('generated files', () => {
  it('match what the generator produces from src/features/alerting/ (npm run alerting:generate)', async () => {
    const files = renderAlerting();
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(5);
    for (const [file, content] of Object.entries(files)) expect(await read(file), file).toBe(content);
  });

  it('every runbook link points at a section of the README', async () => {
    // GitHub's anchors: lower case, punctuation dropped, spaces to dashes.
    const anchors = new Set([...(await read('README.md')).matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    for (const rule of ALERT_RULES) expect(anchors, rule.title).toContain(rule.runbook);
  });

  it('promtool check rules accepts the Prometheus rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', rulesPath]);
    expect(stdout).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
  });

  it('the Grafana rules parse and query only the Warden datasource and expressions', async () => {
    interface GrafanaRule { uid: string; condition: string; data: { refId: string; datasourceUid: string }[] }
    const doc = parse(await read(GRAFANA_RULES_FILE)) as { apiVersion: number; groups: { folder: string; rules: GrafanaRule[] }[] };
    expect(doc.apiVersion).toBe(1);
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.uid)).toEqual(ALERT_RULES.map((r) => r.uid));
    for (const rule of rules) {
      expect(rule.data.map((d) => d.refId)).toContain(rule.condition);
      for (const d of rule.data) expect([DATASOURCE_UID, '__expr__']).toContain(d.datasourceUid);
    }
  });
});

// --- Behaviour, with promtool test rules -------------------------------------------------------

type Labels = Record<string, string>;
const AGENT: Labels = { job: 'warden', instance: 'agent:9469' };
const TARGET: Labels = { ...AGENT, target: 'shop' };
/** The label of the series that carry the backup's method. */
const LOGICAL: Labels = { method: 'single-stream' };

function series(name: string, labels: Labels): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}
const m = (name: string, extra: Labels = {}) => series(`mysql_backup_${name}`, { ...TARGET, ...extra });

/** `n` samples, one a minute: `before` for the first `at` minutes, then `after`. */
const change = (before: number, after: number, at: number, n: number) => `${before}+0x${at - 1} ${after}+0x${n - at - 1}`;

interface Scenario {
  name: string;
  /** When the alerts are checked. */
  at: '2h' | '8d';
  /** Series replacing or adding to the healthy target's; `null` removes one. */
  changes?: Record<string, string | null>;
  /** Only these series (the agent is not scraped). */
  only?: Record<string, string>;
  /** Alerts expected by title, with the labels the expression keeps (severity is added); every other rule must be quiet. */
  fires: Record<string, Labels[]>;
}

// Samples (and rule evaluations) for each `at`: every minute, or every 10 minutes over a week so
// that promtool need not evaluate 11,000 times.
const STEP_MINUTES = { '2h': 1, '8d': 10 } as const;
const SAMPLES = { '2h': 200, '8d': 1200 } as const;
const N = SAMPLES['2h'] + 1;
const flat = (v: number, n: number = N) => `${v}+0x${n - 1}`;

/** A healthy agent with one target: it just succeeded and verified, with room to spare. */
function healthy(at: Scenario['at']): Record<string, string> {
  const now = `0+${60 * STEP_MINUTES[at]}x${SAMPLES[at]}`;
  const constant = (v: number) => flat(v, SAMPLES[at] + 1);
  const s: Record<string, string> = {
    [series('up', AGENT)]: constant(1),
    [m('last_success_timestamp_seconds')]: now,
    [m('last_attempt_timestamp_seconds')]: now,
    [m('last_run_success')]: constant(1),
    [m('last_size_bytes', LOGICAL)]: constant(1e9),
    [m('in_progress')]: constant(0),
    [m('last_verified_timestamp_seconds')]: now,
    [m('last_verify_success', { level: 'checksum' })]: constant(1),
    [m('last_verify_success', { level: 'restore' })]: constant(1),
    [m('rpo_seconds')]: constant(86_400),
    [series('mysql_backup_repository_free_bytes', AGENT)]: constant(1e12),
    [m('duration_seconds_sum', LOGICAL)]: constant(600),
    [m('duration_seconds_count', LOGICAL)]: constant(10),
    [m('binlog_last_event_timestamp_seconds')]: now,
    [m('binlog_archive_lag_seconds')]: constant(5),
    [m('binlog_gap')]: constant(0),
    [m('recoverable_to_timestamp_seconds')]: now,
    [m('offsite_window_seconds')]: constant(21_600),
    [m('offsite_newest_copied')]: constant(1),
    [m('offsite_last_copy_timestamp_seconds')]: now,
    [m('offsite_waiting_backups')]: constant(0),
  };
  for (const cls of Object.keys(CLASS_INFO)) {
    s[m('failures_total', { class: cls })] = constant(0);
    s[m('retries_total', { class: cls })] = constant(0);
  }
  return s;
}

/** The newest run failed at minute 100 with this class. */
const failedWith = (cls: FailureClass) => ({
  [m('last_run_success')]: change(1, 0, 100, N),
  [m('last_success_timestamp_seconds')]: flat(3000),
  [m('failures_total', { class: cls })]: change(0, 1, 100, N),
});

// One failing class of each severity the table uses, so every backup-failed rule is exercised.
const failedScenarios: Scenario[] = SEVERITIES.flatMap((severity) => {
  const cls = (Object.keys(CLASS_INFO) as FailureClass[]).find((c) => CLASS_INFO[c].severity === severity);
  if (!cls) return [];
  const fires: Scenario['fires'] = { [`WardenBackupFailed${severity[0]!.toUpperCase()}${severity.slice(1)}`]: [{ target: 'shop', class: cls }] };
  if (cls === 'disk_full') fires.WardenDiskFull = [{ target: 'shop', class: cls }];
  return [{ name: `a failed run (${cls}) fires backup-failed-${severity} with its class`, at: '2h', changes: failedWith(cls), fires }];
});

const SCENARIOS: Scenario[] = [
  { name: 'a healthy target: all quiet', at: '2h', fires: {} },
  { name: 'a healthy target a week on: all quiet', at: '8d', fires: {} },
  {
    name: 'never succeeded: stale fires, backup-failed does not',
    at: '2h',
    changes: {
      [m('last_success_timestamp_seconds')]: flat(0),
      [m('last_attempt_timestamp_seconds')]: flat(0),
      [m('last_run_success')]: flat(0),
      [m('last_verified_timestamp_seconds')]: flat(0),
      [m('last_size_bytes', LOGICAL)]: flat(0),
      [m('rpo_seconds')]: flat(3600),
      [m('last_verify_success', { level: 'checksum' })]: null,
      [m('last_verify_success', { level: 'restore' })]: null,
      [m('duration_seconds_sum', LOGICAL)]: null,
      [m('duration_seconds_count', LOGICAL)]: null,
    },
    fires: { WardenBackupStale: [TARGET] },
  },
  ...failedScenarios,
  // The storage classes join the backup-failed rules of their severity, with their own first action.
  { name: 'a run failed on the object storage (storage_network): backup-failed-warning', at: '2h', changes: failedWith('storage_network'),
    fires: { WardenBackupFailedWarning: [{ target: 'shop', class: 'storage_network' }] } },
  { name: 'a run failed on the object storage (storage_credentials): backup-failed-error', at: '2h', changes: failedWith('storage_credentials'),
    fires: { WardenBackupFailedError: [{ target: 'shop', class: 'storage_credentials' }] } },
  {
    name: 'a storage failure followed by a success: quiet',
    at: '2h',
    changes: { [m('failures_total', { class: 'storage_throttled' })]: change(0, 1, 60, N) },
    fires: {},
  },
  {
    name: 'a failure followed by a success: quiet',
    at: '2h',
    changes: { [m('failures_total', { class: 'auth' })]: change(0, 1, 60, N) },
    fires: {},
  },
  {
    name: 'no success within the RPO: stale',
    at: '2h',
    changes: { [m('last_success_timestamp_seconds')]: flat(100), [m('rpo_seconds')]: flat(3600) },
    fires: { WardenBackupStale: [TARGET] },
  },
  {
    name: 'a failed restore verification',
    at: '2h',
    changes: { [m('last_verify_success', { level: 'restore' })]: change(1, 0, 60, N) },
    fires: { WardenVerifyFailed: [{ ...TARGET, level: 'restore' }] },
  },
  {
    name: 'backups but no verification for a week',
    at: '8d',
    changes: { [m('last_verified_timestamp_seconds')]: flat(3600, SAMPLES['8d'] + 1) },
    fires: { WardenNotVerified: [TARGET] },
  },
  {
    name: 'free space below 1.5 × the newest backup',
    at: '2h',
    changes: { [series('mysql_backup_repository_free_bytes', AGENT)]: flat(1.4e9) },
    fires: { WardenRepositorySpaceLow: [TARGET] },
  },
  {
    name: 'free space at 1.6 × the newest backup: quiet',
    at: '2h',
    changes: { [series('mysql_backup_repository_free_bytes', AGENT)]: flat(1.6e9) },
    fires: {},
  },
  {
    name: 'disk full, saved by pruning and a retry: disk-full fires, backup-failed does not',
    at: '2h',
    changes: { [m('retries_total', { class: 'disk_full' })]: change(0, 1, 100, N) },
    fires: { WardenDiskFull: [{ target: 'shop', class: 'disk_full' }] },
  },
  {
    name: 'a run in progress for 90 minutes without a finished run before: stuck (the one-hour floor)',
    at: '2h',
    changes: {
      [m('in_progress')]: change(0, 1, 30, N),
      [m('last_attempt_timestamp_seconds')]: change(0, 1740, 30, N),
      [m('duration_seconds_sum', LOGICAL)]: null,
      [m('duration_seconds_count', LOGICAL)]: null,
    },
    fires: { WardenRunStuck: [TARGET] },
  },
  {
    name: 'a run in progress for 90 minutes that usually takes 50: quiet (under 3×)',
    at: '2h',
    changes: {
      [m('in_progress')]: change(0, 1, 30, N),
      [m('last_attempt_timestamp_seconds')]: change(0, 1740, 30, N),
      [m('duration_seconds_sum', LOGICAL)]: flat(30000),
      [m('duration_seconds_count', LOGICAL)]: flat(10),
    },
    fires: {},
  },
  {
    name: 'a run in progress for 90 minutes, logical runs take 20 and physical ones 60: quiet (3× the mean over both methods)',
    at: '2h',
    changes: {
      [m('in_progress')]: change(0, 1, 30, N),
      [m('last_attempt_timestamp_seconds')]: change(0, 1740, 30, N),
      [m('duration_seconds_sum', LOGICAL)]: flat(12000),
      [m('duration_seconds_count', LOGICAL)]: flat(10),
      [m('duration_seconds_sum', { method: 'physical' })]: flat(36000),
      [m('duration_seconds_count', { method: 'physical' })]: flat(10),
    },
    fires: {},
  },
  {
    name: 'binlog archiving stalled at minute 100: the lag grows past 5 minutes, then 5 more',
    at: '2h',
    changes: { [m('binlog_archive_lag_seconds')]: '5+0x99 60+60x100' },
    fires: { WardenBinlogArchivingStalled: [TARGET] },
  },
  {
    name: 'binlog archive 4 minutes behind for an hour: quiet',
    at: '2h',
    changes: { [m('binlog_archive_lag_seconds')]: change(5, 240, 60, N) },
    fires: {},
  },
  {
    name: 'a gap in the binlog archive after the newest backup',
    at: '2h',
    changes: { [m('binlog_gap')]: change(0, 1, 100, N) },
    fires: { WardenBinlogGap: [TARGET] },
  },
  {
    name: 'a binlog gap closed by a new full backup: quiet',
    at: '2h',
    changes: { [m('binlog_gap')]: change(1, 0, 60, N) },
    fires: {},
  },
  {
    name: 'the newest good backup finished 2 h ago without an offsite copy, the window 1 h: offsite-copy-missing',
    at: '2h',
    changes: { [m('last_success_timestamp_seconds')]: flat(60), [m('offsite_window_seconds')]: flat(3600), [m('offsite_newest_copied')]: flat(0) },
    fires: { WardenOffsiteCopyMissing: [TARGET] },
  },
  {
    name: 'a backup not yet copied, within its window: quiet',
    at: '2h',
    changes: { [m('offsite_newest_copied')]: change(1, 0, 100, N), [m('offsite_waiting_backups')]: change(0, 1, 100, N) },
    fires: {},
  },
  {
    name: 'an offsite copy failed (storage_credentials): offsite-copy-failed with its class',
    at: '2h',
    changes: { [m('offsite_copy_failed', { class: 'storage_credentials' })]: change(0, 1, 100, N) },
    fires: { WardenOffsiteCopyFailed: [{ target: 'shop', class: 'storage_credentials' }] },
  },
  {
    name: 'the agent is down',
    at: '2h',
    only: { [series('up', AGENT)]: change(1, 0, 60, N) },
    fires: { WardenAgentDown: [AGENT] },
  },
  {
    name: 'retries storming',
    at: '2h',
    changes: { [m('retries_total', { class: 'connection' })]: '0+0x100 1+1x100' },
    fires: { WardenRetriesStorming: [{ target: 'shop', class: 'connection' }] },
  },
  {
    name: 'three retries in an hour: quiet',
    at: '2h',
    changes: { [m('retries_total', { class: 'connection' })]: '0+0x100 1+1x2 3+0x98' },
    fires: {},
  },
];

/** promtool compares annotations after templating; the rules only use `{{ $labels.x }}`. */
function expand(template: string, labels: Labels): string {
  return template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? '');
}

/** A per-class hint is the class table's first action for the alert's own class. */
function expectedHint(rule: AlertRule, labels: Labels): string {
  return rule.hint === 'byClass' ? CLASS_INFO[labels.class as FailureClass].firstAction : rule.hint;
}

function expectedAlerts(rule: AlertRule, fired: Labels[]) {
  return fired.map((l) => {
    const labels = { ...l, ...ruleLabels(rule) };
    return {
      exp_labels: labels,
      exp_annotations: {
        summary: expand(rule.summary, labels),
        description: expand(rule.description, labels),
        hint: expectedHint(rule, labels),
        runbook_url: `https://github.com/warden/warden#${rule.runbook}`,
      },
    };
  });
}

function promtoolTest(s: Scenario) {
  const input = s.only ?? { ...healthy(s.at), ...s.changes };
  return {
    rule_files: [rulesPath],
    evaluation_interval: `${STEP_MINUTES[s.at]}m`,
    tests: [
      {
        interval: `${STEP_MINUTES[s.at]}m`,
        input_series: Object.entries(input)
          .filter((e): e is [string, string] => e[1] !== null)
          .map(([name, values]) => ({ series: name, values })),
        alert_rule_test: ALERT_RULES.map((rule) => ({ eval_time: s.at, alertname: rule.title, exp_alerts: expectedAlerts(rule, s.fires[rule.title] ?? []) })),
      },
    ],
  };
}

describe('alert rules under promtool test rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-alerting-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('every rule has a scenario where it fires, and the named alerts exist', () => {
    const fired = new Set(SCENARIOS.flatMap((s) => Object.keys(s.fires)));
    expect([...fired].sort()).toEqual(ALERT_RULES.map((r) => r.title).sort());
  });

  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))('%s', async (_, scenario, i) => {
    const file = join(dir, `test-${i}.yaml`);
    await writeFile(file, stringify(promtoolTest(scenario)));
    const result = await run('promtool', ['test', 'rules', file]).catch((e: { stdout: string; stderr: string }) => e);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
  });
});
