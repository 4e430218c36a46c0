import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePassword } from '../mysql/credentials.js';
import { ConfigError, findTarget, loadConfig, parseConfig } from './load.js';

const GOOD = `
repository: ./backups
targets:
  - name: shop
    host: 127.0.0.1
    port: 3306
    user: backup
    passwordEnv: SHOP_DB_PASSWORD
    databases: [shop]
    compression: zstd
`;

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, 'warden.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('warden.yaml');
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('accepts the documented example and fills defaults', () => {
    const c = parseConfig(GOOD, '/etc/warden/warden.yaml', {});
    expect(c.repositoryPath).toBe('/etc/warden/backups');
    expect(c.targets[0]).toMatchObject({ name: 'shop', port: 3306, compression: 'zstd', tool: 'auto', connectTimeoutSeconds: 10 });
  });

  it('names the key of every bad value', () => {
    const p = problems(GOOD.replace('port: 3306', 'port: "x"').replace('compression: zstd', 'compression: lz4'));
    expect(p.some((l) => l.startsWith('targets[0].port (target "shop")'))).toBe(true);
    expect(p.some((l) => l.startsWith('targets[0].compression (target "shop")'))).toBe(true);
  });

  it('rejects unknown keys, bad names, duplicates and contradictions', () => {
    expect(problems(GOOD.replace('user: backup', 'user: backup\n    pasword: x'))).toEqual([
      'targets[0] (target "shop"): unknown key: "pasword" not allowed here',
    ]);
    expect(problems(GOOD.replace('name: shop', 'name: Shop!'))[0]).toMatch(/^targets\[0\]\.name .*\[a-z0-9_-\]/);
    const dup = `${GOOD}\n  - { name: shop, user: u }\n`;
    expect(problems(dup)[0]).toMatch(/targets\[1\]\.name .*duplicate target name "shop"/);
    expect(problems(GOOD.replace('port: 3306', 'port: 3306\n    socket: /tmp/x.sock'))[0]).toMatch(/socket.*not both/);
    expect(problems('repository: x\ntargets: []\n')[0]).toMatch(/^targets:/);
    expect(problems('just a string')[0]).toMatch(/mapping/);
    expect(problems('a: [1\n')[0]).toMatch(/^YAML/);
  });

  it('reports a recursive or exploding alias as a configuration error, not a crash', () => {
    expect(problems('repository: &r [*r]\ntargets: []\n')).toEqual([expect.stringMatching(/^YAML: an alias refers to itself/)]);
    expect(problems(`${GOOD}    extra: &t [*t]\n`)).toEqual([expect.stringMatching(/^YAML: an alias refers to itself/)]);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)];
    expect(problems(`${laughs.join('\n')}\n`)).toEqual([expect.stringMatching(/^YAML: an alias refers to itself or cannot be expanded/)]);
  });

  it('lets environment variables override, and names them in errors', () => {
    const env = { WARDEN_REPOSITORY: '/var/backups', WARDEN_TARGET_SHOP_PORT: '3307', WARDEN_TARGET_SHOP_DATABASES: 'a, b' };
    const c = parseConfig(GOOD, '/x/warden.yaml', env);
    expect(c.repositoryPath).toBe('/var/backups');
    expect(c.targets[0]).toMatchObject({ port: 3307, databases: ['a', 'b'] });
    expect(problems(GOOD, { WARDEN_TARGET_SHOP_PORT: '99999' })[0]).toMatch(/targets\[0\]\.port .*\[from WARDEN_TARGET_SHOP_PORT\]/);
  });

  it('reports an unknown target with the known ones, and an unreadable file', () => {
    const c = parseConfig(GOOD, 'w.yaml', {});
    expect(() => findTarget(c, 'nope')).toThrow(/unknown target "nope"; known targets: shop/);
    expect(() => loadConfig('/nonexistent/warden.yaml')).toThrow(/cannot read the file: ENOENT/);
  });

  it('reads passwords from the environment or a private file only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-cfg-'));
    const c = parseConfig(GOOD, path.join(dir, 'w.yaml'), {});
    const t = c.targets[0]!;
    expect(resolvePassword(t, c.file, { SHOP_DB_PASSWORD: 's3cret' })).toBe('s3cret');
    expect(() => resolvePassword(t, c.file, {})).toThrow(/SHOP_DB_PASSWORD is not set/);
    writeFileSync(path.join(dir, 'pw'), 'from-file\n', { mode: 0o644 });
    const f = { ...t, passwordEnv: undefined, passwordFile: 'pw' };
    expect(() => resolvePassword(f, c.file, {})).toThrow(/readable by others \(mode 644\); run chmod 600/);
    writeFileSync(path.join(dir, 'pw600'), 'from-file\n', { mode: 0o600 });
    expect(resolvePassword({ ...f, passwordFile: 'pw600' }, c.file, {})).toBe('from-file');
    rmSync(dir, { recursive: true });
  });
});

describe('a repository on object storage', () => {
  it('keeps an s3:// repository as it is, with the s3 settings and their defaults', () => {
    const config = parseConfig(GOOD.replace('./backups', 's3://backups/warden') + 's3:\n  endpoint: http://127.0.0.1:7480\n  forcePathStyle: true\n', '/etc/warden/warden.yaml', {});
    expect(config.repositoryPath).toBe('s3://backups/warden');
    expect(config.s3).toEqual({
      endpoint: 'http://127.0.0.1:7480',
      region: 'us-east-1',
      forcePathStyle: true,
      checksums: true,
      accessKeyEnv: 'AWS_ACCESS_KEY_ID',
      secretKeyEnv: 'AWS_SECRET_ACCESS_KEY',
      profile: 'default',
    });
  });

  it('resolves a relative credentials file against the configuration file', () => {
    const config = parseConfig(GOOD.replace('./backups', 's3://backups/warden') + 's3:\n  credentialsFile: s3.credentials\n', '/etc/warden/warden.yaml', {});
    expect(config.s3.credentialsFile).toBe('/etc/warden/s3.credentials');
  });

  it('refuses an s3 credentials file that is missing or that others can read, before any use', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-cfg-'));
    try {
      const config = path.join(dir, 'warden.yaml');
      writeFileSync(config, GOOD.replace('./backups', 's3://backups/warden') + 's3:\n  credentialsFile: s3.credentials\n');
      const creds = path.join(dir, 's3.credentials');
      const refusal = () => {
        try {
          loadConfig(config, {});
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          return (err as ConfigError).problems;
        }
        return [];
      };
      expect(refusal()).toEqual([`s3.credentialsFile: cannot read ${creds} (ENOENT)`]);
      writeFileSync(creds, '[default]\naws_access_key_id = K\naws_secret_access_key = S\n', { mode: 0o644 });
      expect(refusal()).toEqual([`s3.credentialsFile: ${creds} is readable by others (mode 644); run chmod 600 on it`]);
      chmodSync(creds, 0o600);
      expect(refusal()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a binary log archive into an s3:// repository, saying why and what to do', () => {
    const text = GOOD.replace('./backups', 's3://backups/warden') + '    binlog: { archive: true }\n';
    expect(problems(text)).toEqual([
      'targets[0].binlog.archive (target "shop"): binary logs cannot be archived into an s3:// repository (their files grow in place as the server sends them); archive them into a local or mounted repository, or set archive: false',
    ]);
    expect(parseConfig(GOOD.replace('./backups', 's3://backups/warden') + '    binlog: { archive: false }\n', 'warden.yaml', {}).repositoryPath).toBe('s3://backups/warden');
  });

  it('refuses an s3 key it does not know', () => {
    expect(problems(`${GOOD}s3:\n  bucket: x\n`)).toEqual(['s3: unknown key: "bucket" not allowed here']);
  });
});

describe('an offsite copy', () => {
  const S3 = 's3:\n  endpoint: http://127.0.0.1:7480\n  forcePathStyle: true\n';

  it('takes an s3:// repository with a window (default 6h) and a bound per run', () => {
    const c = parseConfig(`${GOOD}${S3}offsite:\n  repository: s3://offsite/warden\n`, 'warden.yaml', {});
    expect(c.offsite).toEqual({ repository: 's3://offsite/warden', window: 6 * 3600, maxCopiesPerRun: 5 });
    expect(parseConfig(`${GOOD}${S3}offsite:\n  repository: s3://offsite\n  window: 2h\n`, 'warden.yaml', {}).offsite?.window).toBe(7200);
  });

  it('refuses a local offsite repository, one without the s3 settings, and one that is the repository itself', () => {
    expect(problems(`${GOOD}${S3}offsite:\n  repository: /mnt/offsite\n`)).toEqual([expect.stringMatching(/^offsite\.repository: must be an s3:\/\/bucket\/prefix location/)]);
    expect(problems(`${GOOD}offsite:\n  repository: s3://offsite/warden\n`)).toEqual(['s3: an offsite repository needs the s3 settings (endpoint, region, credentials)']);
    expect(problems(`${GOOD.replace('./backups', 's3://b/w')}${S3}offsite:\n  repository: s3://b/w/\n`)).toEqual([expect.stringMatching(/^offsite\.repository: must differ from repository/)]);
    expect(problems(`${GOOD}${S3}offsite:\n  repository: s3://offsite\n  window: soon\n`)).toEqual([expect.stringMatching(/^offsite\.window: "soon" is not a duration/)]);
  });

  it("loads the README's offsite example (with a target added)", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### Offsite copy')))![1]!;
    const c = parseConfig(`${example}${GOOD.replace(/^\s*repository:.*$/m, '')}`, 'warden.yaml', {});
    expect(c.offsite).toEqual({ repository: 's3://my-offsite-bucket/warden', window: 6 * 3600, maxCopiesPerRun: 5 });
    expect(c.s3).toMatchObject({ endpoint: 'https://s3.example.net', accessKeyEnv: 'OFFSITE_KEY_ID', secretKeyEnv: 'OFFSITE_SECRET' });
  });

  it('refuses an offsite repository inside the repository or around it, and a prefix that is no plain folder', () => {
    const onS3 = (offsite: string) => problems(`${GOOD.replace('./backups', 's3://b/w')}${S3}offsite:\n  repository: "${offsite}"\n`);
    expect(onS3('s3://b/w/offsite')).toEqual([expect.stringMatching(/^offsite\.repository: must not be inside repository s3:\/\/b\/w, nor contain it/)]);
    expect(onS3('s3://b')).toEqual([expect.stringMatching(/^offsite\.repository: must not be inside repository/)]);
    for (const odd of ['s3://b/../x', 's3://b//x', 's3://b/x/./y', 's3://b/x/..', 's3://b/x\u001b[2J']) {
      expect(onS3(odd), odd).toEqual([expect.stringMatching(/^offsite\.repository: its prefix must be folder names separated by single slashes/)]);
    }
    expect(onS3('s3://b ad/x')).toEqual([expect.stringMatching(/^offsite\.repository: must be an s3:\/\/bucket\/prefix location/)]);
    // Another prefix of the same bucket, a name sharing the repository's start, a trailing slash: fine.
    for (const fine of ['s3://b/w-offsite', 's3://b/other/w', 's3://c/w/', 's3://b2']) expect(parseConfig(`${GOOD.replace('./backups', 's3://b/w')}${S3}offsite:\n  repository: ${fine}\n`, 'warden.yaml', {}).offsite?.repository).toBe(fine);
  });
});
