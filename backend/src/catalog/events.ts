// What the run manager tells its listeners (the SSE stream, the metrics, the catalog cache).
// The public shapes are those of docs/api.md; `manifest` rides along for in-process listeners only.
import type { Manifest } from '../contract/manifest.js';
import type { AgentEvent as PublicEvent, Progress } from '../contract/api.js';
import type { RunKind } from '../contract/vocabulary.js';

export type { Progress, RunKind };

/** A public event; a finished backup carries its recorded manifest (absent when it could not be recorded). */
export type AgentEvent = Exclude<PublicEvent, { type: 'run-finished' }> | (Extract<PublicEvent, { type: 'run-finished' }> & { manifest?: Manifest });

/** The event as sent to API clients: the documented fields only. */
export function publicEvent(e: AgentEvent): { name: AgentEvent['type']; data: Record<string, unknown> } {
  const { type, ...rest } = e;
  const data: Record<string, unknown> = { ...rest };
  delete data.manifest;
  return { name: type, data };
}
