import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './warden.js';

const FUNCTIONS_AND_KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan']);

/** Metric names in a PromQL expression: identifiers outside label matchers, strings, ranges and groupings that are not calls. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice(match.index + match[0].length);
    if (/^\s*\(/.test(rest) || FUNCTIONS_AND_KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** Every PromQL of the bundled dashboard: panel targets and query variables (`label_values(expr, label)` gives its expr). */
export function dashboardExpressions(): string[] {
  const d = JSON.parse(readFileSync(path.join(ROOT, 'src', 'dashboards', 'mysql-backups.json'), 'utf8'));
  const fromPanels = (panels: { targets?: { expr?: string }[]; panels?: unknown[] }[]): string[] =>
    panels.flatMap((p) => [...(p.targets ?? []).map((t) => t.expr ?? ''), ...fromPanels((p.panels ?? []) as never)]).filter(Boolean);
  const variables = (d.templating?.list ?? []).filter((v: { type: string }) => v.type === 'query').map((v: { definition: string }) => v.definition.replace(/^label_values\((.*),\s*\w+\)$/, '$1'));
  return [...fromPanels(d.panels), ...variables];
}
