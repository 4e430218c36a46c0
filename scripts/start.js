// `npm start`: the main job out of the box. Installs and builds what is missing, then backs up the
// local server (127.0.0.1:3306, root, empty password) with the shipped warden.local.yaml and lists
// the repository. WARDEN_CONFIG and WARDEN_TARGET choose another configuration and target.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure.js')], { stdio: 'inherit' });

const config = process.env.WARDEN_CONFIG ?? path.join(root, 'warden.local.yaml');
const target = process.env.WARDEN_TARGET ?? 'local';
const warden = path.join(root, 'backend', 'bin', 'warden.js');
const run = (...args) => spawnSync(process.execPath, [warden, ...args], { stdio: 'inherit' }).status ?? 1;

const status = run('backup', '--config', config, '--target', target);
run('list', '--config', config, '--target', target);
process.exitCode = status;
