// One line of the pre-flight: OK, WARN or FAIL with a hint, shared by every group of checks.
import type { FailureClass } from '../contract/classes.js';

export type CheckStatus = 'OK' | 'WARN' | 'FAIL';
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  hint: string | null;
  /** With FAIL: the class a run would fail with. */
  class: FailureClass | null;
}

export const ok = (name: string, detail: string): Check => ({ name, status: 'OK', detail, hint: null, class: null });
export const warn = (name: string, detail: string, hint: string): Check => ({ name, status: 'WARN', detail, hint, class: null });
export const fail = (name: string, cls: FailureClass, detail: string, hint: string): Check => ({ name, status: 'FAIL', detail, hint, class: cls });
