import type { FailureEvidence } from '../classify/types.js';
import type { DumpProcessOutcome } from './dumpProcess.js';
import type { StopReason } from './supervise.js';
import type { SinkFailure } from '../catalog/sink.js';

/** Everything a failed dump left behind, in the classifier's terms. */
export function dumpEvidence(toolName: string, o: DumpProcessOutcome, sink: SinkFailure | null): FailureEvidence {
  return {
    tool: toolName,
    exitCode: o.exitCode,
    signal: o.signal,
    stderr: o.stderr,
    stdoutTail: o.tail,
    trailerPresent: o.trailerPresent,
    osErrors: [...o.osErrors, ...(sink?.osErrors ?? [])],
    ...(sink?.compressor ? { compressor: sink.compressor } : o.helperFailure ? { compressor: o.helperFailure } : {}),
    facts: stopFacts(o.stopReason, o.stalledSeconds),
  };
}

/** The agent's facts about why it stopped a process, if it did. */
export function stopFacts(reason: StopReason | null, stalledSeconds: number): NonNullable<FailureEvidence['facts']> {
  return {
    killedByAgent: reason === 'shutdown',
    ...(reason === 'deadline' ? { deadlineExceeded: true } : {}),
    ...(reason === 'stall' ? { stalledSeconds } : {}),
  };
}

/** One line saying what went wrong, from the most telling piece of evidence. */
export function summarize(e: FailureEvidence): string {
  const lastError = e.stderr
    ?.split('\n')
    .map((l) => l.trim())
    .filter((l) => /error|denied|can't|lost|unknown|crashed|killed|not a compiled/i.test(l))
    .pop();
  if (e.facts?.deadlineExceeded) return 'the run exceeded its deadline and was stopped';
  if (e.facts?.stalledSeconds) return `the dump wrote nothing for ${e.facts.stalledSeconds} s and was stopped`;
  if (e.facts?.configError) return e.facts.configError;
  if (e.osErrors?.length) return `${e.osErrors[0]!.code}: ${e.osErrors[0]!.message ?? ''}`.trim();
  if (e.compressor) return `${e.compressor.name} failed (exit ${e.compressor.exitCode ?? e.compressor.signal}): ${e.compressor.stderr.trim()}`;
  if (e.facts?.killedByAgent) return 'the run was stopped by the agent (shutdown)';
  if (e.signal) return `${e.tool ?? 'the dump tool'} was killed by ${e.signal}`;
  if (lastError) return lastError;
  if (e.exitCode !== 0 && e.exitCode !== undefined && e.exitCode !== null) return `${e.tool ?? 'the dump tool'} exited with code ${e.exitCode}`;
  if (e.trailerPresent === false) return 'the dump ended without its completion trailer (cut short)';
  return 'the dump failed';
}
