// The command line's options, each declared once. Where an option overrides a configuration key,
// its value is checked by that key's schema (config/schema.ts), so the command line accepts exactly
// what a configuration file would, with the same bounds.
import { Option } from 'commander';
import type { z } from 'zod';
import { LEVEL_SCHEMA, PARALLEL_SCHEMA } from '../config/schema.js';

export const DEFAULT_CONFIG = process.env.WARDEN_CONFIG ?? 'warden.yaml';

export const options = {
  config: (description = 'configuration file') => new Option('-c, --config <file>', description).default(DEFAULT_CONFIG),
  /** `verify` reads a configuration only when it needs one: no default, the command decides. */
  configWhenNeeded: (description: string) => new Option('-c, --config <file>', description),
  json: () => new Option('--json', 'print one JSON object').default(false),
  target: (description: string) => new Option('-t, --target <name>', description),
  requiredTarget: (description: string) => new Option('-t, --target <name>', description).makeOptionMandatory(),
  level: () => new Option('--level <level>', `${LEVEL_SCHEMA.options.join(', ')} (each includes the ones before)`).default('parse'),
  parallel: () => new Option('--parallel <n>', `data files loaded at once, ${PARALLEL_SCHEMA.minValue} to ${PARALLEL_SCHEMA.maxValue} (default: the target's parallel)`),
  listen: () => new Option('--listen <host:port>', 'address to listen on (default: api.listen, 127.0.0.1:9207)'),
};

export type Checked<T> = { value: T } | { error: string };

/** An option's text checked by the schema of the configuration key it stands for. */
function checkedBy<T>(schema: z.ZodType<T>, value: unknown, flag: string, text: string, expected: string): Checked<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { value: parsed.data } : { error: `${flag} must be ${expected} (got ${JSON.stringify(text)})` };
}

export const check = {
  level: (text: string) => checkedBy(LEVEL_SCHEMA, text, '--level', text, `one of ${LEVEL_SCHEMA.options.join(', ')}`),
  parallel: (text: string) =>
    checkedBy(PARALLEL_SCHEMA, /^\d+$/.test(text) ? Number(text) : Number.NaN, '--parallel', text, `a whole number from ${PARALLEL_SCHEMA.minValue} to ${PARALLEL_SCHEMA.maxValue}`),
};
