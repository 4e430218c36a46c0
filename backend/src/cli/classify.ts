// `warden classify`: reads failure evidence (JSON) from stdin and prints its classification.
import { classify, evidenceFromJson } from '../classify/classify.js';
import type { Classification } from '../classify/types.js';
import { type CommandResult, EXIT, json } from './output.js';

const USAGE = 'usage: <evidence JSON> | warden classify [--json]';

/** Unusable input is a usage error (exit 2), with the reason. */
function inputError(message: string, asJson: boolean): CommandResult {
  return { exitCode: EXIT.usage, output: asJson ? json({ ok: false, error: { message } }) : `warden classify: ${message}\n${USAGE}\n` };
}

function humanLine(c: Classification): string {
  const retry = c.retryable ? 'retryable' : 'not retryable';
  const code = c.code === null ? '' : `, code ${c.code}`;
  return `${c.class} (${c.severity}, ${retry}${code}): ${c.hint} [${c.rule}]\n`;
}

export async function classifyCommand(stdinText: string, opts: { json: boolean }): Promise<CommandResult> {
  if (stdinText.trim() === '') return inputError('stdin is empty: pipe one evidence object in', opts.json);
  let input: unknown;
  try {
    input = JSON.parse(stdinText);
  } catch (err) {
    return inputError(`stdin is not valid JSON (${(err as Error).message})`, opts.json);
  }
  const parsed = evidenceFromJson(input);
  if (!parsed.ok) return inputError(`invalid evidence: ${parsed.error}`, opts.json);

  const c = classify(parsed.evidence);
  const output = opts.json
    ? json({ class: c.class, retryable: c.retryable, severity: c.severity, code: c.code, hint: c.hint, rule: c.rule })
    : humanLine(c);
  return { exitCode: EXIT.ok, output };
}
