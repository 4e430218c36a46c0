// The shape of failure evidence as JSON (`warden classify` stdin, evidence pasted from the field).
// Unknown keys are rejected so that a typo (`stdrr`) is reported, not silently ignored.
import { z } from 'zod';
import type { FailureEvidence } from './types.js';

const osError = z.strictObject({
  code: z.string().min(1),
  syscall: z.string().optional(),
  path: z.string().optional(),
  message: z.string().optional(),
});

const storageError = z.strictObject({
  name: z.string().optional(),
  code: z.string().optional(),
  status: z.number().int().optional(),
  message: z.string().optional(),
});

const compressor = z.strictObject({
  name: z.string().min(1),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stderr: z.string(),
});

const facts = z.strictObject({
  deadlineExceeded: z.boolean().optional(),
  stalledSeconds: z.number().nonnegative().optional(),
  preflightFailedCheck: z.string().optional(),
  configError: z.string().optional(),
  lossyCharset: z.boolean().optional(),
  missingObjects: z.array(z.string()).optional(),
  killedByAgent: z.boolean().optional(),
});

export const evidenceSchema: z.ZodType<FailureEvidence> = z.strictObject({
  tool: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
  stderr: z.string().optional(),
  stdoutTail: z.string().optional(),
  trailerPresent: z.boolean().optional(),
  osErrors: z.array(osError).optional(),
  storageErrors: z.array(storageError).optional(),
  compressor: compressor.optional(),
  facts: facts.optional(),
});
