import type { Verification } from '../contract/manifest.js';

export type VerifyProblem = Verification['problems'][number];
export type ProblemKind = VerifyProblem['kind'];

export function problem(kind: ProblemKind, detail: string, table?: string): VerifyProblem {
  return table === undefined ? { kind, detail } : { kind, table, detail };
}

/** The class of a verification's outcome: none, timeout (its deadline), or verification (problems found). */
export function verificationClass(v: Pick<Verification, 'ok' | 'problems'>): 'none' | 'timeout' | 'verification' {
  if (v.ok) return 'none';
  return v.problems.some((p) => p.kind === 'timeout') ? 'timeout' : 'verification';
}
