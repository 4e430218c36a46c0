import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupOptions, extractFailure } from './physicalChain.js';

describe("a backup's backup-my.cnf", () => {
  it('gives a server only the InnoDB layout options, with plain values: nothing that runs code or writes elsewhere', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-cnf-'));
    try {
      writeFileSync(
        path.join(dir, 'backup-my.cnf'),
        [
          '[mysqld]',
          'innodb_checksum_algorithm=crc32',
          'innodb_data_file_path=ibdata1:12M:autoextend',
          'innodb_log_file_size=100663296',
          'innodb_page_size=16384',
          'innodb_undo_directory=./',
          'innodb_undo_tablespaces=0',
          'init_file=shipped.sql',
          'plugin_load_add=ha_evil',
          'log_error=/var/tmp/out.log',
          'datadir=/elsewhere',
          'innodb_undo_directory=../../x',
          'innodb_page_size=16384; touch /tmp/pwned',
          "innodb_log_file_size=1 --init-file=x",
        ].join('\n'),
      );
      expect(await backupOptions(dir)).toEqual([
        '--innodb_checksum_algorithm=crc32',
        '--innodb_data_file_path=ibdata1:12M:autoextend',
        '--innodb_log_file_size=100663296',
        '--innodb_page_size=16384',
        '--innodb_undo_directory=./',
        '--innodb_undo_tablespaces=0',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mbstream -x, which exits 0 after refusing an entry', () => {
  // Lines mbstream 10.11 printed here (run by its full path, as the agent runs it).
  it('fails on its complaints though it exited 0', () => {
    expect(extractFailure('mbstream', 0, null, '[00] 2026-12-06 23:44:18 /usr/bin/mbstream: invalid filename ../escaped\n')).toBe(
      'mbstream -x failed (exit 0): [00] 2026-12-06 23:44:18 /usr/bin/mbstream: invalid filename ../escaped',
    );
    const cannotWrite = `/usr/bin/mbstream: Can't create/write to file './d/b' (Errcode: 20 "Not a directory")\n[00] 2026-12-06 23:38:13 /usr/bin/mbstream: failed to create file.\n`;
    expect(extractFailure('mbstream', 0, null, cannotWrite)).toBe(`mbstream -x failed (exit 0): /usr/bin/mbstream: Can't create/write to file './d/b' (Errcode: 20 "Not a directory")`);
    expect(extractFailure('xbstream', 0, null, 'xbstream: failed to create file.')).toBe('xbstream -x failed (exit 0): xbstream: failed to create file.');
  });

  it('passes a quiet exit 0, and fails any other exit with its last line', () => {
    expect(extractFailure('mbstream', 0, null, '')).toBeNull();
    expect(extractFailure('mbstream', 0, null, 'a line that is not the tool complaining about mbstream: x\n')).toBeNull();
    expect(extractFailure('mbstream', 1, null, 'something\nlast words\n')).toBe('mbstream -x failed (exit 1): last words');
    expect(extractFailure('mbstream', null, 'SIGKILL', '')).toBe('mbstream -x failed (SIGKILL): ');
  });
});
