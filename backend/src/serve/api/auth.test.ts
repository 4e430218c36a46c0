import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { loadApiToken } from './auth.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function config(api: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-auth-'));
  dirs.push(dir);
  return { dir, config: parseConfig(`repository: ./r\n${api}\ntargets: [{ name: a, user: u }]\n`, path.join(dir, 'w.yaml'), {}) };
}

describe('API token', () => {
  it('comes from the environment variable api.tokenEnv names, or nowhere', () => {
    const { config: c } = config('api: { tokenEnv: MY_TOKEN }');
    expect(loadApiToken(c, { MY_TOKEN: ' s3cret \n' })).toBe('s3cret');
    expect(loadApiToken(c, { WARDEN_API_TOKEN: 'other' })).toBeNull();
    expect(loadApiToken(config('').config, {})).toBeNull();
  });

  it('comes from api.tokenFile only when its mode is 0600, relative to the config file', () => {
    const { dir, config: c } = config('api: { tokenFile: api.token }');
    writeFileSync(path.join(dir, 'api.token'), 'from-file\n', { mode: 0o640 });
    expect(() => loadApiToken(c, {})).toThrow(/api\.tokenFile: .*api\.token is readable by others \(mode 640\); run chmod 600/);
    writeFileSync(path.join(dir, 'good.token'), 'from-file\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'empty.token'), '\n', { mode: 0o600 });
    expect(loadApiToken(config(`api: { tokenFile: ${path.join(dir, 'good.token')} }`).config, { WARDEN_API_TOKEN: 'env' })).toBe('from-file');
    expect(() => loadApiToken(config(`api: { tokenFile: ${path.join(dir, 'empty.token')} }`).config, {})).toThrow(/is empty/);
  });

  it('must exist when reads are protected', () => {
    expect(() => loadApiToken(config('api: { protectReads: true }').config, {})).toThrow(/api\.protectReads: needs an API token/);
  });
});
