// `warden restore --datadir` when things go wrong, with the real mariadb-backup and mbstream against
// a throwaway MariaDB: SIGTERM midway (children stopped, scratch and partial datadir removed, class
// killed), bad --datadir paths refused before any work, a stream whose entry mbstream refuses (it
// still exits 0), and manifests whose chain fields contradict the chain.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, manifestSchema } from '../backend/src/contract/manifest.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { processes, waitFor } from './helpers/proc.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const PASSWORD = 'Rst-Pa55-that-must-never-show-19be';
const ENV = { PHYS_PW: PASSWORD };
const getServer = useMariaDB({ binlog: true });
const scratch: string[] = [];

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

let ws: { config: string; repository: string };
let full: { dir: string; manifest: Manifest };

beforeAll(async () => {
  const server = getServer();
  await loadSampleShop(server, 'shop');
  // About 24 MB that zstd cannot shrink: the unpack lasts long enough to be interrupted.
  await server.exec('CREATE TABLE shop.blobs (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB; INSERT INTO shop.blobs SELECT seq, RANDOM_BYTES(1024) FROM shop.seq_1_to_24000');
  await server.createUser('phys', PASSWORD, ['RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SELECT ON *.*']);
  ws = makeWorkspace([
    targetFor(server, 'shop', { user: 'phys', passwordEnv: 'PHYS_PW', databases: ['shop'], method: 'physical', incremental: { fullEvery: '1d' }, verifyAfterBackup: 'none' }),
  ]);
  full = await backUp();
}, 180_000);

afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function backUp(): Promise<{ dir: string; manifest: Manifest }> {
  const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], ENV);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const dir = r.json.dir as string;
  return { dir, manifest: readManifest(dir) };
}

const readManifest = (dir: string) => manifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
const writeManifest = (dir: string, m: Manifest) => writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
/** A private TMPDIR: the restore's scratch folder goes there, where the test can see it. */
const privateTmp = () => tempDir('warden-restore-tmp-');
const restore = (backup: string, datadir: string, tmp = privateTmp()) => runWarden(['restore', backup, '--config', ws.config, '--datadir', datadir, '--json'], { TMPDIR: tmp });
const childrenIn = (tmp: string) => processes().filter((p) => /(mbstream|mariadb-backup|zstd)$/.test(p.argv[0] ?? '') && p.argv.some((a) => a.includes(tmp)));

describe('warden restore --datadir, stopped or refused', () => {
  it('on SIGTERM midway stops and waits for its children, removes the scratch folder and the partial datadir, and says killed', async () => {
    const tmp = privateTmp();
    const datadir = path.join(tempDir('warden-datadir-'), 'data');
    const run = startWarden(['restore', full.dir, '--datadir', datadir, '--json'], { TMPDIR: tmp });
    run.child.stdin!.end();
    await waitFor(() => childrenIn(tmp).length > 0, 60_000, 'mbstream or mariadb-backup working in the scratch folder');
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.json).toMatchObject({ ok: false, class: 'killed', error: { class: 'killed', message: `the restore into ${datadir} was stopped (SIGINT or SIGTERM) before it finished; the scratch folder and anything copied into ${datadir} were removed` } });
    expect(childrenIn(tmp)).toEqual([]);
    expect(readdirSync(tmp).filter((d) => d.startsWith('warden-scratch-'))).toEqual([]);
    expect(existsSync(datadir)).toBe(false);
  }, 120_000);

  it('refuses a dangling symbolic link, a path under a file and a file as --datadir before any work (exit 2, why)', async () => {
    const base = tempDir('warden-datadir-');
    const file = path.join(base, 'a-file');
    writeFileSync(file, 'not a folder');
    const link = path.join(base, 'link');
    symlinkSync(path.join(base, 'nowhere'), link);
    const cases: [string, string][] = [
      [link, `--datadir ${link} is a symbolic link: a restore never writes where a link points`],
      [path.join(file, 'data'), `--datadir ${path.join(file, 'data')} is under a file: a part of its path is not a folder`],
      [file, `--datadir ${file} is not a folder`],
    ];
    for (const [datadir, message] of cases) {
      const tmp = privateTmp();
      const r = await restore(full.dir, datadir, tmp);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.json.error.message).toBe(message);
      expect(readdirSync(tmp)).toEqual([]);
    }
    expect(existsSync(path.join(base, 'nowhere'))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  }, 60_000);

  it('makes an absent --datadir 0700 and restores into it', async () => {
    const datadir = path.join(tempDir('warden-datadir-'), 'deep', 'data');
    const r = await restore(full.dir, datadir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(statSync(datadir).mode & 0o777).toBe(0o700);
    expect(readdirSync(datadir)).toEqual(expect.arrayContaining(['ibdata1', 'shop']));
  }, 120_000);

  it('fails a stream with an entry mbstream refuses (it exits 0 and says so on stderr): restore and verify, classified, nothing left', async () => {
    // A copy of the full backup whose stream ends with an entry named ../escaped.
    const dir = path.join(path.dirname(full.dir), `${full.manifest.id.slice(0, -1)}x`);
    execFileSync('cp', ['-r', full.dir, dir]);
    const work = tempDir('warden-crafted-');
    mkdirSync(path.join(work, 'in'));
    writeFileSync(path.join(work, 'escaped'), 'outside the target');
    const stream = path.join(dir, 'backup.mbstream.zst');
    // mbstream -c stores the name as given: run in work/in, ../escaped leaves the folder it unpacks into.
    execFileSync('sh', ['-c', 'zstd -dc "$1" > "$2/raw" && (cd "$2/in" && mbstream -c ../escaped) >> "$2/raw" && zstd -q -f "$2/raw" -o "$3"', 'sh', stream, work, stream]);
    const raw = readFileSync(path.join(work, 'raw'));
    const stored = readFileSync(stream);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const m = { ...full.manifest, id: path.basename(dir) };
    m.files = [{ ...m.files[0]!, bytes: stored.length, sha256: sha(stored), rawBytes: raw.length, rawSha256: sha(raw) }];
    m.sha256 = sha(stored);
    m.bytes = stored.length;
    m.rawBytes = raw.length;
    writeManifest(dir, m);

    const tmp = privateTmp();
    const datadir = path.join(tempDir('warden-datadir-'), 'data');
    const r = await restore(dir, datadir, tmp);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json).toMatchObject({ ok: false, class: 'verification' });
    expect(r.json.error.message).toMatch(/: mbstream -x failed \(exit 0\): \[00\] [\d-]+ [\d:]+ \S*mbstream: invalid filename \.\.\/escaped$/);
    expect(existsSync(datadir)).toBe(false);
    expect(readdirSync(tmp).filter((d) => d.startsWith('warden-scratch-'))).toEqual([]);

    const v = await runWarden(['verify', dir, '--level', 'parse', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(1);
    expect(v.json.problems).toEqual([{ kind: 'decompress', detail: expect.stringMatching(/^mbstream -x failed \(exit 0\): .*mbstream: invalid filename \.\.\/escaped$/) }]);
    rmSync(dir, { recursive: true });
  }, 120_000);

  it('refuses, as corruption, an incremental whose manifest says another position or LSN than its chain implies', async () => {
    await getServer().exec('UPDATE shop.blobs SET b = RANDOM_BYTES(1024) WHERE id <= 100');
    const inc = await backUp();
    expect(inc.manifest.chain).toEqual({ baseId: full.manifest.id, previousId: full.manifest.id, position: 1 });
    const tampered: [string, (m: Manifest) => void, RegExp][] = [
      ['position', (m) => (m.chain!.position = 2), new RegExp(`^backup ${inc.manifest.id} says it is link 2 of its chain; it is link 1$`)],
      ['fromLsn', (m) => (m.lsn!.fromLsn += 1), new RegExp(`^backup ${inc.manifest.id} starts at LSN \\d+, not at ${full.manifest.lsn!.toLsn} where ${full.manifest.id} ends$`)],
    ];
    for (const [what, change, message] of tampered) {
      const m = structuredClone(inc.manifest);
      change(m);
      writeManifest(inc.dir, m);
      const datadir = path.join(tempDir('warden-datadir-'), 'data');
      const r = await restore(inc.dir, datadir);
      expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.json, what).toMatchObject({ ok: false, class: 'corruption' });
      expect(r.json.error.message, what).toMatch(message);
      expect(existsSync(datadir), what).toBe(false);
    }
    writeManifest(inc.dir, inc.manifest);
  }, 120_000);
});
