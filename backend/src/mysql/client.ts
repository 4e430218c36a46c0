// The mariadb / mysql command-line client, fed SQL on stdin. Credentials come from a 0600 defaults
// file (first argument, as the client requires); nothing secret is ever in argv.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { collectStderr, spawnChild } from './children.js';
import { writeDefaultsFile } from './credentials.js';
import { which } from './tool.js';
import type { ServerLogin } from './login.js';
import { endpointArgs } from './server.js';

export function findClient(): { name: 'mariadb' | 'mysql'; path: string } {
  for (const name of ['mariadb', 'mysql'] as const) {
    const path = which(name);
    if (path) return { name, path };
  }
  // Shaped like spawn's own error, so the classifier calls it not_found.
  const message = 'neither the mariadb nor the mysql client is installed (looked on PATH)';
  throw Object.assign(new Error(message), { code: 'ENOENT', syscall: 'spawn mariadb', path: 'mariadb' });
}

export interface ClientProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the client has exited and its defaults file is gone. */
  exit: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the client reading SQL from stdin, in `database` when given. */
export function startClient(login: ServerLogin, database?: string): ClientProcess {
  const client = findClient();
  const defaults = writeDefaultsFile(login.user, login.password);
  const { endpoint } = login;
  const args = [
    `--defaults-file=${defaults.path}`,
    ...endpointArgs(endpoint),
    `--connect-timeout=${login.connectTimeoutSeconds}`,
    '--default-character-set=utf8mb4',
    // Dumps may hold any byte inside strings; the client must not interpret them.
    '--binary-mode',
    '--batch',
    '--max-allowed-packet=1G',
    ...(database ? [`--database=${database}`] : []),
  ];
  const child = spawnChild(client.path, args, ['pipe', 'ignore', 'pipe']);
  const stderr = collectStderr(child);
  const exit = (once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>)
    .then(
      ([exitCode, signal]) => ({ exitCode, signal, stderr: stderr() }),
      // spawn itself failed (EACCES, ENOENT): report it the way a shell would.
      (err: Error) => ({ exitCode: 127, signal: null, stderr: `${client.name}: ${err.message}` }),
    )
    .finally(() => defaults.remove());
  return { name: client.name, child, exit };
}
