// The archiver's pre-flight decisions for servers the test suite cannot start (MySQL 5.7 to 8.4,
// older MariaDB), from the SHOW GRANTS lines and variables those servers give.
import { describe, expect, it } from 'vitest';
import { binlogMonitorPrivilege, replicaHostsSql, type Server } from '../mysql/dialect.js';
import { archiveGrantCheck, blocksBackup, formatCheck, rowImageCheck, serverIdCheck } from './archive.js';
import { type Grant, parseGrant } from './grants.js';
import { fail } from './result.js';

const mysql = (version: string): Server => ({ flavor: 'mysql', version });
const mariadb = (version: string): Server => ({ flavor: 'mariadb', version });
const grantsOf = (...lines: string[]): Grant[] => lines.map((l) => parseGrant(l)!);

describe('dialect choices for the archiver', () => {
  it.each([
    [mysql('5.7.44-log'), 'SHOW SLAVE HOSTS'],
    [mysql('8.0.21'), 'SHOW SLAVE HOSTS'],
    [mysql('8.0.22'), 'SHOW REPLICAS'],
    [mysql('8.4.3'), 'SHOW REPLICAS'],
    [mariadb('10.4.34-MariaDB'), 'SHOW SLAVE HOSTS'],
    [mariadb('11.4.2-MariaDB'), 'SHOW SLAVE HOSTS'],
  ])('%o lists its replicas with %s', (server, sql) => {
    expect(replicaHostsSql(server)).toBe(sql);
  });

  it.each([
    [mysql('5.7.44'), 'REPLICATION CLIENT'],
    [mysql('8.4.3'), 'REPLICATION CLIENT'],
    [mariadb('10.4.34-MariaDB'), 'REPLICATION CLIENT'],
    [mariadb('10.5.1-MariaDB'), 'REPLICATION CLIENT'],
    [mariadb('10.5.2-MariaDB'), 'BINLOG MONITOR'],
    [mariadb('10.11.19-MariaDB-0+deb12u1'), 'BINLOG MONITOR'],
  ])('%o names the monitor privilege %s', (server, privilege) => {
    expect(binlogMonitorPrivilege(server)).toBe(privilege);
  });
});

describe('archive-grants', () => {
  it.each([
    ['MySQL 8.4', mysql('8.4.3'), 'GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `backup`@`%`'],
    ['MariaDB 10.11', mariadb('10.11.19-MariaDB'), 'GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `backup`@`%`'],
    ['MariaDB, the new name', mariadb('11.4.2-MariaDB'), 'GRANT REPLICATION REPLICA, BINLOG MONITOR ON *.* TO `backup`@`%`'],
    ['SUPER for the monitor', mysql('5.7.44'), 'GRANT SUPER, REPLICATION SLAVE ON *.* TO `backup`@`%`'],
    ['ALL PRIVILEGES', mysql('8.0.36'), 'GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`'],
  ])('%s: OK', (_, server, line) => {
    expect(archiveGrantCheck(grantsOf(line), server, 'backup@%')).toMatchObject({ status: 'OK' });
  });

  it('a grant on one database does not count: REPLICATION SLAVE is global', () => {
    const c = archiveGrantCheck(grantsOf('GRANT SELECT ON `shop`.* TO `backup`@`%`', 'GRANT REPLICATION CLIENT ON *.* TO `backup`@`%`'), mysql('8.0.36'), 'backup@%');
    expect(c).toMatchObject({ status: 'FAIL', class: 'privilege', hint: 'GRANT REPLICATION SLAVE ON *.* TO `backup`@`%`;' });
  });

  it.each([
    [mysql('8.4.3'), 'GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `backup`@`10.0.0.%`;'],
    [mariadb('10.4.34-MariaDB'), 'GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `backup`@`10.0.0.%`;'],
    [mariadb('10.6.18-MariaDB'), 'GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `backup`@`10.0.0.%`;'],
  ])('%o without either: the GRANT to run is %s', (server, hint) => {
    const c = archiveGrantCheck(grantsOf('GRANT SELECT ON *.* TO `backup`@`10.0.0.%`'), server, 'backup@10.0.0.%');
    expect(c).toMatchObject({ name: 'archive-grants', status: 'FAIL', class: 'privilege', hint });
    expect(c.detail).toMatch(/REPLICATION SLAVE \(to stream the binary logs\), .+ \(for SHOW BINARY LOGS and SHOW MASTER STATUS\)/);
  });

  it('quotes an account whose name holds a backtick or an @', () => {
    const c = archiveGrantCheck([], mysql('8.4.3'), 'we`ird@name@host');
    expect(c.hint).toBe('GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `we``ird@name`@`host`;');
  });
});

describe('archive-format and archive-row-image', () => {
  it.each([
    ['ROW', 'OK', /^ROW$/],
    ['MIXED', 'WARN', /judges safe are logged as statements/],
    ['STATEMENT', 'WARN', /runs the statements again.*NOW\(\)/],
  ])('binlog_format %s: %s', (format, status, detail) => {
    const c = formatCheck(format);
    expect(c).toMatchObject({ name: 'archive-format', status });
    expect(c.detail).toMatch(detail);
    if (status === 'WARN') expect(c.hint).toMatch(/binlog_format=ROW/);
  });

  it.each([
    ['FULL', 'OK'],
    ['FULL_NODUP', 'OK'],
    ['MINIMAL', 'WARN'],
    ['NOBLOB', 'WARN'],
  ])('binlog_row_image %s: %s', (image, status) => {
    const c = rowImageCheck(image);
    expect(c).toMatchObject({ name: 'archive-row-image', status });
    if (status === 'WARN') expect(c.detail).toMatch(/cannot show what a row held before a change/);
  });
});

describe('archive-server-id', () => {
  const none = { ids: [] };
  it.each([
    ['its own id', 1_500_000_000, 1, none, 'OK', /replica id 1500000000, distinct from server_id 1 and 0 registered replica/],
    ['the server id', 7, 7, none, 'FAIL', /is the server's own server_id/],
    ['a replica id', 3, 1, { ids: [2, 3] }, 'FAIL', /used by a replica of the server/],
    ['replicas not listed', 3, 1, { error: 'Access denied' }, 'OK', /the replicas, not listed \(Access denied\)/],
    // MySQL (and MariaDB before 1 became the minimum) refuse every replica then.
    ['server_id 0', 3, 0, none, 'FAIL', /refuses every replica/],
  ])('%s: %s', (_, archiverId, serverId, replicas, status, detail) => {
    const c = serverIdCheck(archiverId, serverId, replicas);
    expect(c).toMatchObject({ name: 'archive-server-id', status });
    expect(c.detail).toMatch(detail);
    if (status === 'FAIL') expect(c.class).toBe('config');
  });
});

it('a failing archiver check does not stop a backup; any other does', () => {
  expect(blocksBackup(fail('archive-grants', 'privilege', 'missing', 'GRANT …'))).toBe(false);
  expect(blocksBackup(fail('grants', 'privilege', 'missing', 'GRANT …'))).toBe(true);
});
