import type { Verification } from '../catalog/manifest.js';

export type VerifyProblem = Verification['problems'][number];
export type ProblemKind = VerifyProblem['kind'];

export function problem(kind: ProblemKind, detail: string, table?: string): VerifyProblem {
  return table === undefined ? { kind, detail } : { kind, table, detail };
}
