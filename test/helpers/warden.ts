// Runs the built `warden` CLI the way users and scripts do, and writes throwaway configurations.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { stringify } from 'yaml';
import type { TestServer } from '../harness/mariadb.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WARDEN_BIN = path.join(ROOT, 'backend', 'bin', 'warden.js');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is. */
  json: any;
}

export interface Running {
  child: ChildProcess;
  done: Promise<RunResult>;
}

export function startWarden(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [WARDEN_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      let json: unknown = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        // not JSON output
      }
      resolve({ code, signal, stdout, stderr, json });
    });
  });
  return { child, done };
}

export function runWarden(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<RunResult> {
  const r = startWarden(args, env);
  r.child.stdin!.end(stdin ?? '');
  return r.done;
}

export interface TestTarget {
  name: string;
  host?: string;
  port?: number;
  socket?: string;
  user: string;
  passwordEnv?: string;
  passwordFile?: string;
  databases?: string[];
  compression?: 'zstd' | 'gzip' | 'none';
  [key: string]: unknown;
}

const workspaces: string[] = [];
// Registered on the importing test file's root suite.
afterAll(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder with a config file and a repository beside it; removed after the test file. */
export function makeWorkspace(targets: TestTarget[], extra: Record<string, unknown> = {}): { dir: string; config: string; repository: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-test-'));
  workspaces.push(dir);
  const repository = path.join(dir, 'repo');
  const config = path.join(dir, 'warden.yaml');
  writeFileSync(config, stringify({ repository, targets, ...extra }));
  return { dir, config, repository };
}

export function targetFor(server: TestServer, name: string, fields: Partial<TestTarget> = {}): TestTarget {
  return { name, host: '127.0.0.1', port: server.port, user: 'root', ...fields };
}
