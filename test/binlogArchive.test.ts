// The binlog archiver (`warden binlog`) against a real MariaDB with its binary log on: every
// finished file arrives byte for byte, the one being written is held and flushed, a tool killed
// mid-file loses no event, and logs purged before they were archived are a gap (binlog_gap).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveIndexSchema, type ArchiveIndex } from '../backend/src/binlogfile/archive.js';
import { readBinlogFacts } from '../backend/src/binlogfile/events.js';
import { useMariaDB } from './harness/mariadb.js';
import { processes, waitFor } from './helpers/proc.js';
import { makeWorkspace, startWarden, targetFor } from './helpers/warden.js';
import { Readable } from 'node:stream';

const getServer = useMariaDB({ binlog: true });
// Every character a password option file must escape.
const PASSWORD = `Arch"iv#er \\pw'; x`;
const ENV = { ARCHIVER_PW: PASSWORD };

beforeAll(async () => {
  const s = getServer();
  await s.createDatabase('shop');
  await s.query('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40), at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))');
  // What the README asks for: the replication grants, nothing else.
  await s.createUser('archiver', PASSWORD, ['REPLICATION SLAVE, BINLOG MONITOR ON *.*']);
});

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const serverFile = (name: string) => readFileSync(path.join(getServer().baseDir, name));
/**
 * The server's file being written has LOG_EVENT_BINLOG_IN_USE_F (0x1) in its format description
 * event's flags (4-byte magic + 17-byte header offset); the server clears it on close and sends it
 * cleared (the event's checksum is computed as if it were clear), so that is the one byte that differs.
 */
function asClosed(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt16LE(copy.readUInt16LE(4 + 17) & ~1, 4 + 17);
  return copy;
}

function workspace() {
  return makeWorkspace([
    targetFor(getServer(), 'shop', { user: 'archiver', passwordEnv: 'ARCHIVER_PW', binlog: { archive: true, flushSeconds: 1 } }),
  ]);
}

function readIndex(repository: string): ArchiveIndex | null {
  try {
    return archiveIndexSchema.parse(JSON.parse(readFileSync(path.join(repository, 'shop', 'binlog', 'index.json'), 'utf8')));
  } catch {
    return null;
  }
}

const archivedBytes = (repository: string, object: string) => execFileSync('zstd', ['-d', '-c', '-q', path.join(repository, 'shop', 'binlog', object)], { maxBuffer: 1 << 28 });

async function insert(n: number, note = 'row') {
  for (let i = 0; i < n; i++) await getServer().query('INSERT INTO shop.orders (note) VALUES (?)', [`${note}-${i}`]);
}

async function serverStatus() {
  const [row] = await getServer().query<{ File: string; Position: number }>('SHOW MASTER STATUS');
  return { file: row!.File, position: Number(row!.Position) };
}

/** Waits until the archive holds every file the server finished, and the current one to its end. */
async function caughtUp(repository: string) {
  const now = await serverStatus();
  const logs = (await getServer().query<{ Log_name: string }>('SHOW BINARY LOGS')).map((r) => r.Log_name);
  return waitFor(
    () => {
      const index = readIndex(repository);
      if (!index?.current || index.current.name !== now.file || index.current.bytes < now.position) return null;
      const finished = logs.filter((l) => l !== now.file);
      return finished.every((l) => index.files.some((f) => f.name === l)) ? index : null;
    },
    30_000,
    `the archive to reach ${now.file}:${now.position}`,
  );
}

/** The binlog tool streaming from the test server. */
const binlogTool = (notPid?: number) =>
  processes().find((p) => p.argv.some((a) => /(mariadb-binlog|mysqlbinlog)$/.test(a)) && p.argv.includes(`--port=${getServer().port}`) && p.pid !== notPid);

function stop(running: ReturnType<typeof startWarden>) {
  running.child.kill('SIGTERM');
  return running.done;
}

describe('warden binlog', () => {
  it('archives every finished file byte for byte, indexes what it holds, and keeps the password off every command line', async () => {
    const ws = workspace();
    const archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    try {
      await insert(20, 'first');
      await getServer().query('FLUSH BINARY LOGS');
      await insert(20, 'second');
      await getServer().query('FLUSH BINARY LOGS');
      await insert(5, 'third');
      const index = await caughtUp(ws.repository);

      const tool = await waitFor(() => binlogTool(), 10_000, 'the binlog tool');
      expect(tool.argv).toContain('--raw');
      expect(tool.argv.join(' ')).not.toContain('iv#er');

      expect(index.files.length).toBeGreaterThanOrEqual(2);
      expect(index.gaps).toEqual([]);
      for (const [i, f] of index.files.entries()) {
        const original = serverFile(f.name);
        const archived = archivedBytes(ws.repository, f.object);
        expect(sha(archived), f.name).toBe(sha(original));
        expect(f.rawSha256).toBe(sha(original));
        expect(f.rawBytes).toBe(original.length);
        expect(f.sha256).toBe(sha(readFileSync(path.join(ws.repository, 'shop', 'binlog', f.object))));
        const facts = await readBinlogFacts(Readable.from([original]));
        expect(f.nextFile).toBe(facts.nextFile);
        if (i > 0) expect(index.files[i - 1]!.nextFile).toBe(f.name);
        expect(f.serverId).toBe(1);
        expect(f.lastEventTime).not.toBeNull();
      }
      // The GTIDs: what the server says now is what the archive's newest file ends with.
      const [g] = await getServer().query<{ gtid: string }>('SELECT @@GLOBAL.gtid_binlog_pos AS gtid');
      expect(index.current!.gtidsIn).toBe(g!.gtid);
      // Only finished files are archived; the one being written stays in incoming/, flushed.
      expect(readdirSync(path.join(ws.repository, 'shop', 'binlog', 'incoming'))).toEqual([index.current!.name]);
      expect(sha(readFileSync(path.join(ws.repository, 'shop', 'binlog', 'incoming', index.current!.name)))).toBe(sha(asClosed(serverFile(index.current!.name))));
    } finally {
      const r = await stop(archiver);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ ok: true, gap: false, state: 'stopped' });
    }
  });

  it('loses no event when the tool is killed mid-file: it starts that file again', async () => {
    const ws = workspace();
    const archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop', '--json'], { ...ENV, WARDEN_LOG_LEVEL: 'info' });
    try {
      await insert(10, 'before-kill');
      await caughtUp(ws.repository);
      const tool = await waitFor(() => binlogTool(), 10_000, 'the binlog tool');
      const writes = insert(30, 'during-kill');
      process.kill(tool.pid, 'SIGKILL');
      await writes;
      await waitFor(() => binlogTool(tool.pid), 20_000, 'the tool started again');
      await insert(5, 'after-kill');
      await getServer().query('FLUSH BINARY LOGS');
      const index = await caughtUp(ws.repository);
      for (const f of index.files) expect(sha(archivedBytes(ws.repository, f.object)), f.name).toBe(sha(serverFile(f.name)));
      expect(index.gaps).toEqual([]);
    } finally {
      const r = await stop(archiver);
      expect(r.json).toMatchObject({ gap: false });
      expect(r.json.restarts).toBeGreaterThanOrEqual(1);
    }
  });

  it('says binlog_gap when the server purged logs before they were archived, records the gap, and goes on', async () => {
    const ws = workspace();
    let archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    await insert(3, 'archived');
    await caughtUp(ws.repository);
    const before = readIndex(ws.repository)!;
    expect((await stop(archiver)).code).toBe(0);

    // While the archiver is down, the server moves on and purges what it did not get.
    await getServer().query('FLUSH BINARY LOGS');
    await insert(3, 'lost');
    await getServer().query('FLUSH BINARY LOGS');
    await insert(3, 'lost-too');
    await getServer().query('FLUSH BINARY LOGS');
    const { file: newest } = await serverStatus();
    // MariaDB keeps, without a word, a file a dump thread still reads or whose transactions its
    // engines have not yet checkpointed (that comes a moment after FLUSH): ask until it is done.
    await waitFor(
      async () => {
        await getServer().query(`PURGE BINARY LOGS TO '${newest}'`);
        const left = (await getServer().query<{ Log_name: string }>('SHOW BINARY LOGS')).map((r) => r.Log_name);
        return left.length === 1 && left[0] === newest;
      },
      10_000,
      `the server to purge the logs before ${newest}`,
    );

    archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    await insert(3, 'after-gap');
    const index = await caughtUp(ws.repository);
    const r = await stop(archiver);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, gap: true, lastFailure: { class: 'binlog_gap', retryable: false, severity: 'critical' } });
    expect(r.stderr).toMatch(/\[binlog_gap\] .*purged from the server before it was archived/);
    expect(index.gaps).toHaveLength(1);
    expect(index.gaps[0]).toMatchObject({ after: before.current!.name, resumedAt: newest });
    // What it had of the file it was writing is kept; archiving goes on after the gap.
    expect(index.files.map((f) => f.name)).toContain(before.current!.name);
    expect(index.current!.name).toBe(newest);
  });

  it("stops, and overwrites nothing, when the server's logs start over (another server, or RESET MASTER)", async () => {
    const ws = workspace();
    let archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    await insert(3, 'old-server');
    await getServer().query('FLUSH BINARY LOGS');
    await insert(1, 'old-server-current');
    const before = await caughtUp(ws.repository);
    expect((await stop(archiver)).code).toBe(0);
    const digests = () => readdirSync(path.join(ws.repository, 'shop', 'binlog')).filter((f) => f.endsWith('.zst')).map((f) => [f, sha(readFileSync(path.join(ws.repository, 'shop', 'binlog', f)))]);
    const archived = digests();

    await getServer().query('RESET MASTER');
    await insert(2, 'new-server');
    await getServer().query('FLUSH BINARY LOGS');
    archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    let said = '';
    archiver.child.stderr!.on('data', (text: string) => (said += text));
    await waitFor(() => /start over/.test(said), 20_000, 'the archiver to say the logs start over');
    const r = await stop(archiver);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, gap: true, lastFailure: { class: 'binlog_gap', rule: 'archive-server-changed' } });
    expect(digests()).toEqual(archived);
    expect(readIndex(ws.repository)!.files.map((f) => f.rawSha256)).toEqual(before.files.map((f) => f.rawSha256));
  });
});
