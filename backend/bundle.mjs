// Bundles the compiled agent (backend/dist) into backend/dist/bundle, which `warden` runs.
// Every run pays for module loading before its work starts: resolving and reading some 400 files
// of our code and its dependencies took ~100 ms of a backup's start-up, one file per command
// takes a fraction of that. Each command stays in its own chunk, loaded when it runs.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
const outdir = path.join(dist, 'bundle');

await rm(outdir, { recursive: true, force: true });
await build({
  // The job worker is an entry of its own: jobs.js starts it as ./jobWorker.js beside itself.
  entryPoints: [path.join(dist, 'cli.js'), path.join(dist, 'service', 'jobWorker.js')],
  outdir,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies (mysql2, pino, ...) call require(); ES modules have none of their own.
  banner: { js: "import { createRequire as __wardenRequire } from 'node:module'; const require = __wardenRequire(import.meta.url);" },
});
