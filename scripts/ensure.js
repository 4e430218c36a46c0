// Makes a fresh clone runnable: installs dependencies when node_modules is missing or older than
// the lockfile, and builds the agent when its sources are newer than the build. Plain Node (no
// dependencies) because it runs before they exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

const npm = (...args) => execFileSync('npm', args, { cwd: root, stdio: 'inherit' });

const installed = path.join(root, 'node_modules', '.package-lock.json');
if (mtime(installed) < mtime(path.join(root, 'package-lock.json'))) {
  console.error('warden: installing dependencies (npm ci) ...');
  npm('ci', '--no-audit', '--no-fund');
}

const built = path.join(root, 'backend', 'dist', 'bundle', 'cli.js');
if (mtime(built) < Math.max(newest(path.join(root, 'backend', 'src')), mtime(path.join(root, 'backend', 'tsconfig.json')), mtime(path.join(root, 'backend', 'bundle.mjs')))) {
  console.error('warden: building the agent ...');
  npm('run', '--silent', 'build:agent');
}
