// The bundled dashboard: valid Grafana dashboard JSON on a Prometheus datasource variable, and every
// metric its queries use is one the agent exports (test/metrics.test.ts checks them on a live scrape).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../backend/src/contract/metrics.js';
import { metricNames } from '../helpers/promql.js';
import { ROOT } from '../helpers/warden.js';

const AGENT_METRICS = Object.values(METRICS).map((m) => m.name);
const HISTOGRAMS = Object.values(METRICS).flatMap((m) => (m.type === 'histogram' ? [m.name] : []));

/** A histogram's series name back to the histogram's name. */
function baseName(series: string): string {
  const histogram = HISTOGRAMS.find((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`].includes(series));
  return histogram ?? series;
}

interface Panel {
  type: string;
  title: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; refId: string; datasource?: { type: string; uid: string } }>;
  panels?: Panel[];
  id: number;
}

const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', 'dashboards', 'mysql-backups.json'), 'utf8'));
const panels: Panel[] = dashboard.panels.flatMap((p: Panel) => [p, ...(p.panels ?? [])]);
const queries = panels.filter((p) => p.type !== 'row').flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));

describe('metricNames', () => {
  it('finds metric names and skips functions, labels, ranges and groupings', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le, target) (rate(x_bucket{target=~"$target", a="b c"}[5m]))) / on (target) group_left () y > bool 0'),
    ).toEqual(['x_bucket', 'y']);
    expect(metricNames('time() - max by (target) (a_seconds{target=~"$target"}) * 1000')).toEqual(['a_seconds']);
  });
});

describe('the MySQL backups dashboard', () => {
  it('is a Grafana dashboard of a recent schema with a uid and title', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard).toMatchObject({ uid: 'warden-mysql-backups', title: 'MySQL backups' });
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) expect(p.gridPos, p.title).toMatchObject({ x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) });
  });

  it('takes its Prometheus datasource and targets from variables', () => {
    const [datasource, target] = dashboard.templating.list;
    expect(datasource).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(target).toMatchObject({ name: 'target', type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' }, multi: true, includeAll: true });
    expect(target.definition).toMatch(/^label_values\(mysql_backup_\w+, target\)$/);
  });

  it('queries through the datasource variable in every panel', () => {
    expect(queries.length).toBeGreaterThan(15);
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const t of p.targets ?? []) expect(t.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('uses only metrics the agent exports, and shows every one of them', () => {
    const used = new Set<string>();
    for (const q of queries) {
      const names = metricNames(q.expr);
      expect(names.length, `${q.panel}: ${q.expr}`).toBeGreaterThan(0);
      for (const name of names) {
        expect(AGENT_METRICS, `${q.panel}: ${q.expr}`).toContain(baseName(name));
        used.add(baseName(name));
      }
    }
    used.add(baseName(metricNames(dashboard.templating.list[1].definition)[0]!));
    expect([...used].sort()).toEqual([...AGENT_METRICS].sort());
  });

  it('filters per-target queries by the target variable', () => {
    for (const q of queries.filter((x) => !/repository_/.test(x.expr))) expect(q.expr, q.panel).toContain('target=~"$target"');
  });

  it('shows the next backup, not the next verification, as the next scheduled run', () => {
    const [next, ...others] = queries.filter((q) => q.panel === 'Next scheduled run');
    expect(others).toEqual([]);
    expect(next!.expr).toMatch(/mysql_backup_next_run_timestamp_seconds\{[^}]*\bkind="backup"[^}]*\}/);
  });

  it('adds up the space of every target for the repository used', () => {
    const used = queries.filter((q) => metricNames(q.expr).includes('mysql_backup_repository_used_bytes'));
    expect(used.map((q) => q.panel)).toEqual(['Repository space']);
    // One series per target: anything but a sum shows a single target's share.
    expect(used[0]!.expr).toMatch(/^sum by \(instance\) \(mysql_backup_repository_used_bytes\)$/);
  });
});
