import { describe, expect, it } from 'vitest';
import { parseCheckpoints, type PhysicalReport, readPhysicalLine } from './physicalTool.js';

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
