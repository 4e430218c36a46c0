import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPhysicalTool, serverSeries, toolSeries } from '../mysql/physicalTool.js';
import { type Grant, parseGrant } from './grants.js';
import { datadirCheck, physicalGrantsCheck, physicalGrantsNeeded, seriesMismatch } from './physical.js';

const here = mkdtempSync(path.join(os.tmpdir(), 'warden-datadir-'));
afterAll(() => rmSync(here, { recursive: true, force: true }));

describe('the datadir check of a physical target', () => {
  it('passes a datadir this host can read, on the host the server names', async () => {
    expect(await datadirCheck(here, os.hostname())).toMatchObject({ status: 'OK', detail: `${here} is readable on this host` });
  });

  it('says the agent is not on the database host when the datadir is not here', async () => {
    const c = await datadirCheck(path.join(here, 'var-lib-mysql'), 'db-7');
    expect(c).toMatchObject({ status: 'FAIL', class: 'config' });
    expect(c.detail).toBe(`the server's datadir ${path.join(here, 'var-lib-mysql')} is not on this machine (the server runs on db-7)`);
    expect(c.hint).toMatch(/^Run the agent on the database host/);
  });

  it('warns when a folder of that name is here but the server runs elsewhere', async () => {
    const c = await datadirCheck(here, `not-${os.hostname()}`);
    expect(c).toMatchObject({ status: 'WARN' });
    expect(c.detail).toContain(`the server says it runs on not-${os.hostname()}`);
  });
});

describe("the physical tool's series against the server's", () => {
  it('passes the mariadb-backup installed here for a server of its series, and names the package for another', async () => {
    const tool = await findPhysicalTool('mariadb');
    const series = toolSeries(tool.version);
    expect(series).toMatch(/^\d+\.\d+$/);
    expect(seriesMismatch(tool, { flavor: 'mariadb', version: `${series}.99-MariaDB-log` })).toBeNull();
    const other = series === '11.4' ? '10.6' : '11.4';
    expect(seriesMismatch(tool, { flavor: 'mariadb', version: `${other}.2-MariaDB` })).toMatchObject({
      status: 'FAIL',
      class: 'config',
      detail: `mariadb-backup is built for MariaDB ${series}; the server is ${other}.2-MariaDB: a physical backup needs the tool of the server's own series`,
      hint: `Install mariadb-backup ${other} (the package of the same MariaDB release as the server) on the database host.`,
    });
  });

  it("reads each tool's --version line (XtraBackup's from its manual) and a server's VERSION()", () => {
    expect(toolSeries('mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)')).toBe('10.11');
    expect(toolSeries('mariabackup based on MariaDB server 10.4.34-MariaDB Linux (x86_64)')).toBe('10.4');
    expect(toolSeries('xtrabackup version 8.0.35-30 based on MySQL server 8.0.35 Linux (x86_64) (revision id: 6beb4b49)')).toBe('8.0');
    expect(toolSeries('xtrabackup version 8.4.0-1 based on MySQL server 8.4.0 Linux (x86_64) (revision id: da1d2b1f)')).toBe('8.4');
    expect(toolSeries('something else')).toBeNull();
    expect(serverSeries('10.11.19-MariaDB-0+deb12u1')).toBe('10.11');
    expect(serverSeries('8.0.36')).toBe('8.0');
  });

  it('refuses XtraBackup 8.0 for a MySQL 8.4 server, and a tool that names no series', () => {
    const xb80 = { name: 'xtrabackup' as const, flavor: 'mysql' as const, version: 'xtrabackup version 8.0.35-30 based on MySQL server 8.0.35 Linux (x86_64) (revision id: 6beb4b49)' };
    expect(seriesMismatch(xb80, { flavor: 'mysql', version: '8.0.36' })).toBeNull();
    expect(seriesMismatch(xb80, { flavor: 'mysql', version: '8.4.3' })).toMatchObject({
      status: 'FAIL',
      detail: "xtrabackup is built for MySQL 8.0; the server is 8.4.3: a physical backup needs the tool of the server's own series",
      hint: 'Install Percona XtraBackup 8.4 (percona-xtrabackup-84) on the database host.',
    });
    expect(seriesMismatch({ ...xb80, version: 'xtrabackup' }, { flavor: 'mysql', version: '8.4.3' })?.detail).toBe(
      'xtrabackup does not say which server series it was built for ("xtrabackup"): a physical backup needs the tool of the server\'s own series',
    );
  });
});

describe('the grants a physical backup needs, by server', () => {
  const parse = (...lines: string[]) => lines.map((l) => parseGrant(l)).filter((g): g is Grant => g !== null);
  const server = (flavor: 'mariadb' | 'mysql', version: string) => ({ flavor, version, databases: ['shop'] }) as Parameters<typeof physicalGrantsCheck>[1];

  it('asks each tool for what its documentation lists', () => {
    expect(physicalGrantsNeeded({ flavor: 'mariadb', version: '10.11.19-MariaDB' })).toEqual({ global: ['RELOAD', 'PROCESS', 'LOCK TABLES', 'BINLOG MONITOR'], tables: [] });
    expect(physicalGrantsNeeded({ flavor: 'mysql', version: '5.7.44-log' })).toEqual({ global: ['RELOAD', 'PROCESS', 'LOCK TABLES', 'REPLICATION CLIENT'], tables: [] });
    for (const version of ['8.0.36', '8.4.3']) {
      expect(physicalGrantsNeeded({ flavor: 'mysql', version })).toEqual({
        global: ['RELOAD', 'PROCESS', 'LOCK TABLES', 'REPLICATION CLIENT', 'BACKUP_ADMIN'],
        tables: [{ database: 'performance_schema', table: 'log_status' }],
      });
    }
  });

  it("passes XtraBackup's minimal grant on MySQL 8.0 and names what is missing", () => {
    const minimal = parse(
      'GRANT RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT, BACKUP_ADMIN ON *.* TO `bkpuser`@`localhost`',
      'GRANT SELECT ON `performance_schema`.`log_status` TO `bkpuser`@`localhost`',
      'GRANT SELECT ON `shop`.* TO `bkpuser`@`localhost`',
    );
    expect(physicalGrantsCheck(minimal, server('mysql', '8.0.36'))).toMatchObject({ status: 'OK' });
    const noAdmin = parse('GRANT RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT, SELECT ON *.* TO `b`@`%`');
    expect(physicalGrantsCheck(noAdmin, server('mysql', '8.4.3'))).toMatchObject({
      status: 'FAIL',
      class: 'privilege',
      detail: 'missing: BACKUP_ADMIN ON *.*',
      hint: 'GRANT BACKUP_ADMIN ON *.* to the backup user (see the README for the full grant).',
    });
    // MySQL 5.7 has no BACKUP_ADMIN: the same grant is enough there.
    expect(physicalGrantsCheck(noAdmin, server('mysql', '5.7.44'))).toMatchObject({ status: 'OK' });
    const noLogStatus = parse('GRANT RELOAD, PROCESS, LOCK TABLES, REPLICATION CLIENT, BACKUP_ADMIN ON *.* TO `b`@`%`', 'GRANT SELECT ON `shop`.* TO `b`@`%`');
    expect(physicalGrantsCheck(noLogStatus, server('mysql', '8.0.36'))).toMatchObject({
      status: 'FAIL',
      detail: 'missing: SELECT ON performance_schema.log_status',
      hint: 'GRANT SELECT ON performance_schema.log_status to the backup user (see the README for the full grant).',
    });
  });
});
