import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { configSchema } from './schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const example = readFileSync(path.join(root, 'warden.example.yaml'), 'utf8');

type Def = { type?: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown; in?: unknown; options?: unknown[] };

/** Every key of a zod schema, nested ones included, looking through wrappers (defaults, arrays, pipes). */
function keysOf(schema: unknown, out = new Set<string>()): Set<string> {
  const def = (schema as { def?: Def }).def;
  if (!def) return out;
  if (def.shape) {
    for (const [k, v] of Object.entries(def.shape)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  for (const inner of [def.innerType, def.element, def.in]) if (inner) keysOf(inner, out);
  for (const option of def.options ?? []) keysOf(option, out);
  return out;
}

describe('warden.example.yaml', () => {
  it('is a valid configuration', () => {
    expect(() => parseConfig(example, path.join(root, 'warden.example.yaml'), {})).not.toThrow();
  });

  it('documents every key of the schema', () => {
    const keys = [...keysOf(configSchema)];
    expect(keys).toEqual(expect.arrayContaining(['repository', 'targets', 'name', 'passwordEnv', 'keepDaily', 'listen', 'scratch']));
    for (const key of keys) {
      expect(example, `key "${key}" is not documented`).toMatch(new RegExp(`^\\s*(#\\s*)?(- )?${key}:`, 'm'));
    }
  });
});
