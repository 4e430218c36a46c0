// What sections that compare commands side by side share: one run's sample, the medians of a
// variant's runs, and the tables of wall time / stored size and of CPU time by program.
import { type Measurement, stats, type Stats } from './measure.js';
import { fmt, markdownTable, type Table, textTable } from './results.js';

export interface Sample {
  wallSeconds: number;
  cpuSeconds: number;
  /** bytes stored; null when nothing is (e.g. /dev/null) */
  storedBytes: number | null;
  /** CPU seconds per program (the node process's own figure is exact) */
  cpuByProgram: Map<string, number>;
}

export interface Summary {
  wall: Stats;
  cpu: number;
  stored: number | null;
  cpuByProgram: Map<string, number>;
}

/** CPU seconds per program of a measured tree, as sampled from /proc. */
export function programCpu(m: Measurement): Map<string, number> {
  return new Map(m.processes.map((p) => [p.name, p.cpuSeconds]));
}

export const median = (values: number[]) => stats(values).median;

/** Medians of one variant's runs (the wall time also with its range). */
export function summarize(samples: Sample[]): Summary {
  const programs = new Set(samples.flatMap((s) => [...s.cpuByProgram.keys()]));
  return {
    wall: stats(samples.map((s) => s.wallSeconds)),
    cpu: median(samples.map((s) => s.cpuSeconds)),
    stored: samples[0]!.storedBytes === null ? null : median(samples.map((s) => s.storedBytes!)),
    cpuByProgram: new Map([...programs].map((p) => [p, median(samples.map((s) => s.cpuByProgram.get(p) ?? 0))])),
  };
}

/**
 * Median, range, the median's ratio to each of `ratios` (variant and column header), and with
 * `size` the stored size and its ratio to that variant's.
 */
export function timingTable<V extends string>(
  variants: readonly V[],
  label: Record<V, string>,
  sum: Record<V, Summary>,
  opts: { ratios: [V, string][]; size?: [V, string] },
): Table {
  const sizeCells = (s: Summary): string[] => {
    if (!opts.size) return [];
    const base = sum[opts.size[0]].stored;
    return s.stored === null ? ['—', '—'] : [fmt.mb(s.stored), fmt.ratio(s.stored / base!)];
  };
  return {
    headers: ['variant', 'median', 'min–max', ...opts.ratios.map(([, h]) => h), ...(opts.size ? ['stored', opts.size[1]] : [])],
    rows: variants.map((v) => {
      const s = sum[v];
      const ratios = opts.ratios.map(([base]) => fmt.ratio(s.wall.median / sum[base].wall.median));
      return [label[v], fmt.seconds(s.wall.median), `${s.wall.min.toFixed(2)}–${s.wall.max.toFixed(2)} s`, ...ratios, ...sizeCells(s)];
    }),
  };
}

/** Wall, total CPU, cores busy and the CPU of each program, the biggest consumers first. */
export function cpuTable<V extends string>(variants: readonly V[], label: Record<V, string>, sum: Record<V, Summary>): Table {
  const total = (p: string) => variants.reduce((n, v) => n + (sum[v].cpuByProgram.get(p) ?? 0), 0);
  const programs = [...new Set(variants.flatMap((v) => [...sum[v].cpuByProgram.keys()]))].sort((a, b) => total(b) - total(a));
  return {
    headers: ['variant', 'wall', 'CPU total', 'cores busy', ...programs],
    rows: variants.map((v) => {
      const s = sum[v];
      const per = programs.map((p) => s.cpuByProgram.get(p)?.toFixed(2) ?? '—');
      return [label[v], fmt.seconds(s.wall.median), fmt.seconds(s.cpu), (s.cpu / s.wall.median).toFixed(2), ...per];
    }),
  };
}

/** The markdown every comparison ends its tables with: the targets, then where the time goes. */
export function targetsAndCpuMarkdown(targets: Table, cpu: Table): string[] {
  return ['### Targets', '', markdownTable(targets), '', '### Where the time goes (medians, CPU seconds)', '', markdownTable(cpu)];
}

/** A comparison's console summary: what was measured, its tables, the CPU medians last. */
export function consoleSummary(dataset: string, runs: number, tables: Table[], cpu: Table): string[] {
  return [`dataset: ${dataset}; ${fmt.count(runs, 'run')} of each, alternating`, '', ...tables.flatMap((t) => [...textTable(t), '']), 'CPU seconds (medians):', ...textTable(cpu)];
}
