// The classifier on evidence from the field (test/corpus/README.md): every case classified, precision
// and recall printed per class, and a failure on any regression against test/corpus/baseline.json.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAILURE_CLASSES, isRetryable, type RunClass } from '../backend/src/contract/classes.js';
import { classify, evidenceFromJson } from '../backend/src/classify/classify.js';
import type { Classification } from '../backend/src/classify/types.js';

const DIR = path.join(import.meta.dirname, 'corpus');
const RUN_CLASSES = ['none', ...FAILURE_CLASSES] as const;
/** The bar: at least this share right, for the class and for the retry decision. */
const MIN_ACCURACY = 0.97;
const MIN_CASES = 150;

const caseSchema = z.strictObject({
  id: z.string().min(1),
  origin: z.enum(['captured', 'source']),
  source: z.string().min(1).optional(),
  toolVersion: z.string().min(1),
  fault: z.string().min(1),
  evidence: z.record(z.string(), z.unknown()),
  expect: z.strictObject({ class: z.enum(RUN_CLASSES), retryable: z.boolean() }),
});
type Case = z.infer<typeof caseSchema>;

const baselineSchema = z.strictObject({
  /** Cases the classifier is known to get wrong, each with the reason; any other miss is a regression. */
  misses: z.record(z.string(), z.string()),
  /** Per class, the precision and recall below which the test fails. */
  floors: z.record(z.string(), z.strictObject({ precision: z.number(), recall: z.number() })),
});

function loadCases(): Case[] {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort();
  return files.flatMap((file) =>
    readFileSync(path.join(DIR, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        const parsed = caseSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
        return parsed.data;
      }),
  );
}

interface Scored {
  c: Case;
  got: Classification;
}

interface ClassScore {
  cls: RunClass;
  expected: number;
  predicted: number;
  right: number;
  precision: number;
  recall: number;
}

function score(scored: Scored[]): ClassScore[] {
  return RUN_CLASSES.map((cls) => {
    const expected = scored.filter((s) => s.c.expect.class === cls).length;
    const predicted = scored.filter((s) => s.got.class === cls).length;
    const right = scored.filter((s) => s.c.expect.class === cls && s.got.class === cls).length;
    return { cls, expected, predicted, right, precision: predicted === 0 ? 1 : right / predicted, recall: expected === 0 ? 1 : right / expected };
  });
}

function report(scored: Scored[], scores: ClassScore[]): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
  const rows = scores
    .filter((s) => s.expected > 0 || s.predicted > 0)
    .map((s) => `${s.cls.padEnd(14)}${String(s.expected).padStart(6)}${String(s.predicted).padStart(6)}${pct(s.precision)}${pct(s.recall)}`);
  const wrong = scored.filter((s) => s.got.class !== s.c.expect.class);
  return [
    `classifier corpus: ${scored.length} cases`,
    `${'class'.padEnd(14)}${'cases'.padStart(6)}${'said'.padStart(6)}${'prec.'.padStart(7)}${'recall'.padStart(7)}`,
    ...rows,
    ...wrong.map((s) => `  miss ${s.c.id}: expected ${s.c.expect.class}, got ${s.got.class} (${s.got.rule})`),
  ].join('\n');
}

const cases = loadCases();
const baseline = baselineSchema.parse(JSON.parse(readFileSync(path.join(DIR, 'baseline.json'), 'utf8')));
const scored: Scored[] = cases.map((c) => {
  const parsed = evidenceFromJson(c.evidence);
  if (!parsed.ok) throw new Error(`${c.id}: ${parsed.error}`);
  return { c, got: classify(parsed.evidence) };
});
const scores = score(scored);

describe('classifier corpus', () => {
  it('is big enough, with unique ids, mostly captured from real runs, and every class', () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.filter((c) => c.origin === 'captured').length).toBeGreaterThan(cases.length / 2);
    for (const c of cases) if (c.origin === 'source') expect(c.source, c.id).toBeTruthy();
  });

  it('labels retryable as the class table does', () => {
    for (const c of cases) {
      expect(c.expect.retryable, c.id).toBe(c.expect.class !== 'none' && isRetryable(c.expect.class));
    }
  });

  it(`classifies at least ${MIN_ACCURACY * 100}% right, for the class and for the retry decision`, () => {
    console.log(report(scored, scores));
    const classRight = scored.filter((s) => s.got.class === s.c.expect.class).length / scored.length;
    const retryRight = scored.filter((s) => s.got.retryable === s.c.expect.retryable).length / scored.length;
    expect(classRight).toBeGreaterThanOrEqual(MIN_ACCURACY);
    expect(retryRight).toBeGreaterThanOrEqual(MIN_ACCURACY);
  });

  it('never calls a clean run a failure, nor a failure clean unless the baseline explains it', () => {
    const cleanCalledFailed = scored.filter((s) => s.c.expect.class === 'none' && s.got.class !== 'none');
    expect(cleanCalledFailed.map((s) => `${s.c.id}: ${s.got.class}`)).toEqual([]);
    const failedCalledClean = scored.filter((s) => s.c.expect.class !== 'none' && s.got.class === 'none' && !(s.c.id in baseline.misses));
    expect(failedCalledClean.map((s) => `${s.c.id}: expected ${s.c.expect.class}`)).toEqual([]);
  });

  it('misses no case that it got right before (test/corpus/baseline.json)', () => {
    const misses = scored.filter((s) => s.got.class !== s.c.expect.class || s.got.retryable !== s.c.expect.retryable).map((s) => s.c.id);
    expect(misses.filter((id) => !(id in baseline.misses))).toEqual([]);
    // A known miss that is now right is progress: take it out of the baseline.
    expect(Object.keys(baseline.misses).filter((id) => !misses.includes(id))).toEqual([]);
  });

  it('keeps every class at or above its precision and recall floor', () => {
    for (const s of scores) {
      const floor = baseline.floors[s.cls];
      if (!floor) continue;
      expect(s.precision, `${s.cls} precision`).toBeGreaterThanOrEqual(floor.precision);
      expect(s.recall, `${s.cls} recall`).toBeGreaterThanOrEqual(floor.recall);
    }
  });
});
