import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupOptions } from './physicalChain.js';

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
