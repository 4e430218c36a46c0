// What the run manager tells its listeners (the SSE stream, the metrics, the catalog cache).
// The public shapes are those of docs/api.md; `manifest` rides along for in-process listeners only.
import type { Manifest, RunStatus } from '../catalog/manifest.js';
import type { RunClass, Severity } from '../classify/classes.js';
import type { VerifyLevel } from '../config/schema.js';
import type { VerificationSummary } from './summaries.js';

export type RunKind = 'backup' | 'verify';

export interface Progress {
  rawBytes: number;
  bytes: number;
  tablesDone: number;
  tablesTotal: number;
  currentTable: string | null;
}

export type AgentEvent =
  | { type: 'run-started'; id: string; target: string; kind: RunKind; startedAt: string }
  | { type: 'run-progress'; id: string; target: string; progress: Progress }
  | {
      type: 'run-finished';
      id: string;
      target: string;
      kind: RunKind;
      status: RunStatus;
      class: RunClass;
      severity: Severity;
      hint: string;
      durationSeconds: number | null;
      /** The recorded manifest of a finished backup (absent when it could not be recorded). */
      manifest?: Manifest;
    }
  | { type: 'verify-finished'; id: string; target: string; level: VerifyLevel; ok: boolean; problems: VerificationSummary['problems'] };

/** The event as sent to API clients: the documented fields only. */
export function publicEvent(e: AgentEvent): { name: AgentEvent['type']; data: Record<string, unknown> } {
  const { type, ...rest } = e;
  const data: Record<string, unknown> = { ...rest };
  delete data.manifest;
  return { name: type, data };
}
