// Issue "Architecture": no change of behaviour may cost time. `warden backup` and `warden verify
// --level parse` of this checkout against another built checkout (`--against DIR`, e.g. the
// previous commit), side by side on the same server and dataset, alternating.
import type { BenchContext, Section } from '../context.js';
import { MAIN_DATABASE } from '../context.js';
import { alternate, measureNode, stats } from '../measure.js';
import { fmt, markdownTable, textTable } from '../results.js';
import { describeCheckout, runWardenBackup, wardenCli, writeWardenConfig } from '../warden.js';

const VARIANTS = ['previous', 'this'] as const;
type Variant = (typeof VARIANTS)[number];
/** Beyond this ratio a slowdown is more than this machine's noise. */
const NOISE = 1.05;

interface Run {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
}

export const section: Section = {
  name: 'previous',
  title: 'This checkout against another (no regression)',
  async run(ctx: BenchContext) {
    if (!ctx.against) throw new Error('section "previous" needs --against DIR (a built checkout to compare with)');
    const roots: Record<Variant, string> = { previous: ctx.against, this: ctx.repoRoot };
    const { server } = await ctx.main();
    const config = await writeWardenConfig(ctx, server, MAIN_DATABASE);

    ctx.log(`backup: ${ctx.runs} runs of each, alternating`);
    const backups = await alternate(VARIANTS, ctx.runs, async (v): Promise<Run> => {
      const { measurement: m } = await runWardenBackup(ctx, config, roots[v]);
      return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, peakRssBytes: m.node.peakRssBytes };
    });

    // One backup, verified by both.
    const kept = await runWardenBackup(ctx, config, ctx.repoRoot, true);
    ctx.log(`verify --level parse: ${ctx.runs} runs of each, alternating`);
    const verifies = await alternate(VARIANTS, ctx.runs, async (v): Promise<Run> => {
      const m = await measureNode([wardenCli(roots[v]), 'verify', kept.summary.dir, '--level', 'parse', '--json'], { cwd: ctx.repoRoot });
      if (!(JSON.parse(m.stdout) as { ok: boolean }).ok) throw new Error(`warden verify (${v}) did not pass: ${m.stdout.slice(0, 500)}`);
      return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, peakRssBytes: m.node.peakRssBytes };
    });

    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const [what, results] of [['backup', backups], ['verify --level parse', verifies]] as const) {
      const median = (v: Variant, f: (r: Run) => number) => stats(results.get(v)!.map(f)).median;
      for (const v of VARIANTS) {
        const wall = stats(results.get(v)!.map((r) => r.wallSeconds));
        rows.push([what, v, `${fmt.seconds(wall.median)} (${fmt.seconds(wall.min)}–${fmt.seconds(wall.max)})`, fmt.seconds(median(v, (r) => r.cpuSeconds)), fmt.mb(median(v, (r) => r.peakRssBytes))]);
      }
      const ratio = median('this', (r) => r.wallSeconds) / median('previous', (r) => r.wallSeconds);
      verdicts.push(`${what}: this / previous = ${fmt.ratio(ratio)} of wall time (noise bound ${fmt.ratio(NOISE)}): ${fmt.verdict(ratio <= NOISE)}`);
    }
    const table = { headers: ['command', 'checkout', 'wall, median (range)', 'CPU', 'peak RSS'], rows, align: 'llrrr' };
    return {
      markdown: [await ctx.environment(), `- Compared with: commit ${await describeCheckout(ctx.against)}`, '', markdownTable(table), '', ...verdicts.map((v) => `- ${v}`)].join('\n'),
      lines: [...textTable(table), ...verdicts],
    };
  },
};
