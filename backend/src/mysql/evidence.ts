// Evidence of a failure the agent met before or around a tool (its own errors, the server's, the OS's),
// in the classifier's terms.
import type { FailureEvidence } from '../classify/types.js';
import { ConfigError } from '../config/load.js';
import { ServerError } from './server.js';
import { ToolNotFoundError } from './tool.js';

/** Evidence for a failure that happened in the agent before or around the dump tool. */
export function evidenceOf(err: unknown, tool?: string): FailureEvidence {
  if (err instanceof ConfigError) return { facts: { configError: err.problems.join('; ') }, stderr: err.message };
  if (err instanceof ToolNotFoundError) return { osErrors: [{ code: 'ENOENT', syscall: `spawn ${err.wanted}`, path: err.wanted, message: err.message }] };
  if (err instanceof ServerError) return { tool, stderr: err.message, exitCode: 2 };
  const e = err as NodeJS.ErrnoException;
  if (e?.code) return { osErrors: [{ code: e.code, syscall: e.syscall, path: e.path, message: e.message }], stderr: e.message };
  return { stderr: e instanceof Error ? e.message : String(err) };
}

