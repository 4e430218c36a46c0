// `warden classify` (backend/src/commands/classify.ts): stdin JSON in, one line or one object out.
import { describe, expect, it } from 'vitest';
import { classifyCommand } from './classify.js';

const evidence = JSON.stringify({
  tool: 'mariadb-dump',
  exitCode: 2,
  signal: null,
  stderr: `mariadb-dump: Got error: 1049: "Unknown database 'nosuchdb'" when selecting the database`,
  stdoutTail: '',
});

describe('classifyCommand', () => {
  it('prints one JSON object with --json', async () => {
    const { exitCode, output } = await classifyCommand(evidence, { json: true });
    expect(exitCode).toBe(0);
    const parsed: unknown = JSON.parse(output);
    expect(parsed).toEqual({
      class: 'not_found',
      retryable: false,
      severity: 'error',
      code: 1049,
      hint: expect.stringContaining('nosuchdb'),
      rule: 'unknown-database',
    });
  });

  it('prints a short human line without --json', async () => {
    const { exitCode, output } = await classifyCommand(evidence, { json: false });
    expect(exitCode).toBe(0);
    expect(output).toMatch(/^not_found \(error, not retryable, code 1049\): [^\n]*nosuchdb[^\n]* \[unknown-database\]\n$/);
  });

  it('reads storage errors pasted from the field', async () => {
    const stdin = JSON.stringify({ storageErrors: [{ name: 'SlowDown', status: 503, message: 'Please reduce your request rate.' }] });
    const { exitCode, output } = await classifyCommand(stdin, { json: true });
    expect(exitCode).toBe(0);
    expect(JSON.parse(output)).toMatchObject({ class: 'storage_throttled', retryable: true, code: 'SlowDown', rule: 'storage-throttled' });
  });

  it.each([
    ['{"storageErrors": [{"status": "503"}]}', /storageErrors/],
    ['', /stdin is empty/],
    ['{"tool": "mysqldump",', /not valid JSON/],
    ['{"stderr": 42}', /"stderr"/],
    ['{"stdrr": "x"}', /unknown key "stdrr"/],
  ])('exits 2 on %j', async (stdin, message) => {
    const { exitCode, output } = await classifyCommand(stdin, { json: false });
    expect(exitCode).toBe(2);
    expect(output).toMatch(message);
    expect(output).toContain('usage:');
  });

  it('keeps --json output one JSON object on bad input', async () => {
    const { exitCode, output } = await classifyCommand('[]', { json: true });
    expect(exitCode).toBe(2);
    expect(JSON.parse(output)).toEqual({ ok: false, error: { message: expect.stringContaining('invalid evidence') } });
  });
});
