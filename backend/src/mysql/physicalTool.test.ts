import { describe, expect, it } from 'vitest';
import { parseCheckpoints, physicalBackupArgs, physicalCopyBackArgs, physicalPrepareArgs, type PhysicalReport, type PhysicalTool, readPhysicalLine, streamExtractArgs } from './physicalTool.js';

function read(lines: string[]): PhysicalReport {
  const report: PhysicalReport = { binlog: null, lsn: null };
  for (const line of lines) readPhysicalLine(line, report);
  return report;
}

describe('the physical tools\' closing log lines', () => {
  it('reads mariadb-backup 10.11 (lines as it printed them here)', () => {
    const report = read([
      "[00] 2026-12-06 21:45:35 mariabackup: The latest check point (for incremental): '44404'",
      "[00] 2026-12-06 21:45:35 MySQL binlog position: filename 'binlog.000001', position '2324', GTID of the last change '0-1-11'",
      '[00] 2026-12-06 21:45:35 Redo log (from LSN 44404 to 48333) was copied.',
      '[00] 2026-12-06 21:45:35 completed OK!',
    ]);
    expect(report).toEqual({ binlog: { file: 'binlog.000001', position: 2324, gtid: '0-1-11' }, lsn: { toLsn: 44404, lastLsn: 48333 } });
  });

  it("reads XtraBackup's wording (its manual's sample output), with and without a GTID", () => {
    expect(
      read([
        "MySQL binlog position: filename 'mysql-bin.000001', position '80960', GTID of the last change '2e8afc7a-af69-11e6-8aaf-080027f6b007:1-178'",
        'xtrabackup: Transaction log of lsn (19747438) to (19747446) was copied.',
      ]),
    ).toEqual({ binlog: { file: 'mysql-bin.000001', position: 80960, gtid: '2e8afc7a-af69-11e6-8aaf-080027f6b007:1-178' }, lsn: { toLsn: 19747438, lastLsn: 19747446 } });
    expect(read(["MySQL binlog position: filename 'bin.000006', position '154'"]).binlog).toEqual({ file: 'bin.000006', position: 154, gtid: null });
  });

  it('leaves the report empty when the lines never came (a tool killed before its end)', () => {
    expect(read(['[01] 2026-12-06 21:45:30 Streaming ./shop/t.ibd', '[01] 2026-12-06 21:45:30         ...done'])).toEqual({ binlog: null, lsn: null });
  });

  it('parses xtrabackup_checkpoints', () => {
    const text = 'backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 44404\nlast_lsn = 48333\nrecover_binlog_info = 0\n';
    expect(parseCheckpoints(text)).toEqual({ backup_type: 'full-backuped', from_lsn: '0', to_lsn: '44404', last_lsn: '48333', recover_binlog_info: '0' });
  });
});

const tool = (name: PhysicalTool['name']): PhysicalTool => ({
  name,
  path: `/usr/bin/${name}`,
  version: '',
  flavor: name === 'mariadb-backup' ? 'mariadb' : 'mysql',
  stream: { name: name === 'mariadb-backup' ? 'mbstream' : 'xbstream', path: '' },
});

describe("the physical tools' command lines, by tool", () => {
  it('streams mariadb-backup as mbstream with the clients\' connection options (run here)', () => {
    expect(physicalBackupArgs(tool('mariadb-backup'), '/run/w/my.cnf', { host: 'db', port: 3306 }, '/run/w/scratch', null)).toEqual([
      '--defaults-file=/run/w/my.cnf',
      '--backup',
      '--stream=mbstream',
      '--target-dir=/run/w/scratch',
      '--host=db',
      '--port=3306',
      '--protocol=TCP',
    ]);
    expect(physicalBackupArgs(tool('mariadb-backup'), 'f', { socket: '/s.sock' }, 't', 44404)).toEqual(['--defaults-file=f', '--backup', '--stream=mbstream', '--incremental-lsn=44404', '--target-dir=t', '--socket=/s.sock', '--protocol=SOCKET']);
  });

  it('streams XtraBackup as xbstream with the connection options its manual lists (not run here)', () => {
    expect(physicalBackupArgs(tool('xtrabackup'), 'f', { host: '10.0.0.5', port: 3307 }, 't', null)).toEqual(['--defaults-file=f', '--backup', '--stream=xbstream', '--target-dir=t', '--host=10.0.0.5', '--port=3307']);
    expect(physicalBackupArgs(tool('xtrabackup'), 'f', { socket: '/var/run/mysqld/mysqld.sock' }, 't', 19747438)).toEqual([
      '--defaults-file=f',
      '--backup',
      '--stream=xbstream',
      '--incremental-lsn=19747438',
      '--target-dir=t',
      '--socket=/var/run/mysqld/mysqld.sock',
    ]);
  });

  it('unpacks with -x -C DIR, prepares and copies back with no option file', () => {
    expect(streamExtractArgs('/tmp/x')).toEqual(['-x', '-C', '/tmp/x']);
    expect(physicalPrepareArgs('/b')).toEqual(['--no-defaults', '--prepare', '--target-dir=/b']);
    expect(physicalPrepareArgs('/b', '/i1')).toEqual(['--no-defaults', '--prepare', '--target-dir=/b', '--incremental-dir=/i1']);
    expect(physicalCopyBackArgs('/b', '/var/lib/mysql')).toEqual(['--no-defaults', '--copy-back', '--target-dir=/b', '--datadir=/var/lib/mysql']);
  });

  it("parses XtraBackup 8.0's xtrabackup_checkpoints (its manual's sample of an incremental)", () => {
    const text = 'backup_type = incremental\nfrom_lsn = 1626007\nto_lsn = 4124244\nlast_lsn = 4124244\ncompact = 0\nrecover_binlog_info = 1\n';
    expect(parseCheckpoints(text)).toMatchObject({ backup_type: 'incremental', from_lsn: '1626007', to_lsn: '4124244', last_lsn: '4124244' });
  });
});
