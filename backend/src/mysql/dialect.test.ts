// What the agent sends to each server family and version, and the options each dump tool gets,
// as mysql/dialect.ts decides them from the manuals and release notes it cites. Only MariaDB runs
// here (test/binlogCoordinates.test.ts runs every coordinate path against it); the MySQL rows
// follow the documentation.
import { describe, expect, it } from 'vitest';
import { binlogRetentionVariable, binlogStatusSql, binlogStreamArgs, coordinatesPlan, gtidSql, parseVersion, toolCompatArgs, toolTakesGlobalLock } from './dialect.js';

const SERVERS = {
  'MariaDB 10.6': { flavor: 'mariadb', version: '10.6.21-MariaDB' },
  'MariaDB 10.11': { flavor: 'mariadb', version: '10.11.19-MariaDB-0+deb12u1' },
  'MariaDB 11.4': { flavor: 'mariadb', version: '11.4.5-MariaDB' },
  'MySQL 5.7': { flavor: 'mysql', version: '5.7.44-log', gtidMode: 'OFF' },
  'MySQL 8.0': { flavor: 'mysql', version: '8.0.40', gtidMode: 'OFF' },
  'MySQL 8.4': { flavor: 'mysql', version: '8.4.3', gtidMode: 'OFF' },
  'MySQL 5.7 GTID': { flavor: 'mysql', version: '5.7.44-log', gtidMode: 'ON' },
  'MySQL 8.0 GTID': { flavor: 'mysql', version: '8.0.40', gtidMode: 'ON' },
  'MySQL 8.4 GTID': { flavor: 'mysql', version: '8.4.3', gtidMode: 'ON' },
} as const;

const TOOLS = {
  'mariadb-dump 10.11': { flavor: 'mariadb', distribution: '10.11.19' },
  'mysqldump 5.7': { flavor: 'mysql', distribution: '5.7.44' },
  'mysqldump 8.0.25': { flavor: 'mysql', distribution: '8.0.25' },
  'mysqldump 8.0.40': { flavor: 'mysql', distribution: '8.0.40' },
  'mysqldump 8.4': { flavor: 'mysql', distribution: '8.4.3' },
} as const;

type ServerName = keyof typeof SERVERS;
type ToolName = keyof typeof TOOLS;

describe('statements by server', () => {
  it.each<[ServerName, string, string]>([
    ['MariaDB 10.6', 'SHOW MASTER STATUS', 'SELECT @@GLOBAL.gtid_binlog_pos AS gtid'],
    ['MariaDB 10.11', 'SHOW MASTER STATUS', 'SELECT @@GLOBAL.gtid_binlog_pos AS gtid'],
    ['MariaDB 11.4', 'SHOW MASTER STATUS', 'SELECT @@GLOBAL.gtid_binlog_pos AS gtid'],
    ['MySQL 5.7', 'SHOW MASTER STATUS', 'SELECT @@GLOBAL.gtid_executed AS gtid'],
    ['MySQL 8.0', 'SHOW MASTER STATUS', 'SELECT @@GLOBAL.gtid_executed AS gtid'],
    // 8.2 added SHOW BINARY LOG STATUS; 8.4 removed SHOW MASTER STATUS.
    ['MySQL 8.4', 'SHOW BINARY LOG STATUS', 'SELECT @@GLOBAL.gtid_executed AS gtid'],
  ])('%s: %s, %s', (server, status, gtid) => {
    expect(binlogStatusSql(SERVERS[server])).toBe(status);
    expect(gtidSql(SERVERS[server])).toBe(gtid);
  });

  it.each<[ServerName, string, number]>([
    ['MariaDB 10.6', 'binlog_expire_logs_seconds', 1],
    ['MariaDB 10.11', 'binlog_expire_logs_seconds', 1],
    ['MySQL 5.7', 'expire_logs_days', 86_400],
    ['MySQL 8.0', 'binlog_expire_logs_seconds', 1],
    ['MySQL 8.4', 'binlog_expire_logs_seconds', 1],
  ])('%s keeps binlogs for %s', (server, name, secondsPer) => {
    expect(binlogRetentionVariable(SERVERS[server])).toEqual({ name, secondsPer });
    expect(binlogRetentionVariable({ flavor: 'mariadb', version: '10.5.27-MariaDB' }).name).toBe('expire_logs_days');
  });

  it('reads versions as the servers print them', () => {
    expect(parseVersion('10.11.19-MariaDB-0+deb12u1')).toEqual({ major: 10, minor: 11, patch: 19 });
    expect(parseVersion('8.2.0')).toEqual({ major: 8, minor: 2, patch: 0 });
    expect(binlogStatusSql({ flavor: 'mysql', version: '8.1.0' })).toBe('SHOW MASTER STATUS');
    expect(binlogStatusSql({ flavor: 'mysql', version: '8.2.0' })).toBe('SHOW BINARY LOG STATUS');
  });
});

describe('binlog coordinates by tool and server', () => {
  const tool = (args: string[]) => ({ by: 'tool', args });
  const agent = { by: 'agent', reason: expect.any(String) };
  it.each<[ToolName, ServerName, unknown]>([
    ['mariadb-dump 10.11', 'MariaDB 10.6', tool(['--master-data=2', '--gtid'])],
    ['mariadb-dump 10.11', 'MariaDB 11.4', tool(['--master-data=2', '--gtid'])],
    ['mariadb-dump 10.11', 'MySQL 5.7', tool(['--master-data=2'])],
    ['mariadb-dump 10.11', 'MySQL 8.0', tool(['--master-data=2'])],
    // mariadb-dump runs SHOW MASTER STATUS, which 8.4 removed: the agent reads them itself.
    ['mariadb-dump 10.11', 'MySQL 8.4', agent],
    ['mysqldump 5.7', 'MySQL 5.7', tool(['--master-data=2'])],
    ['mysqldump 8.0.25', 'MySQL 8.0', tool(['--master-data=2'])],
    ['mysqldump 8.0.40', 'MySQL 8.0', tool(['--source-data=2'])],
    ['mysqldump 8.0.40', 'MySQL 8.4', agent],
    ['mysqldump 8.0.40', 'MariaDB 10.11', tool(['--source-data=2'])],
    ['mysqldump 8.4', 'MySQL 8.4', tool(['--source-data=2'])],
    // mysqldump 8.4 asks a MySQL server's version first: SHOW MASTER STATUS below 8.2.
    ['mysqldump 8.4', 'MySQL 8.0', tool(['--source-data=2'])],
    ['mysqldump 8.4', 'MySQL 5.7', tool(['--source-data=2'])],
    // MariaDB's version number passes mysqldump's 8.2 test: it sends SHOW BINARY LOG STATUS.
    ['mysqldump 8.4', 'MariaDB 10.11', agent],
  ])('%s against %s', (t, s, plan) => {
    expect(coordinatesPlan(TOOLS[t], SERVERS[s])).toEqual(plan);
  });

  it('says why the agent reads them', () => {
    const plan = coordinatesPlan(TOOLS['mariadb-dump 10.11'], SERVERS['MySQL 8.4']);
    expect(plan).toEqual({ by: 'agent', reason: 'mariadb-dump 10.11.19 runs SHOW MASTER STATUS, which mysql 8.4.3 does not know' });
  });
});

describe('options each tool needs against each server', () => {
  it.each<[ToolName, ServerName, string[]]>([
    ['mariadb-dump 10.11', 'MariaDB 10.11', []],
    ['mariadb-dump 10.11', 'MySQL 8.4', []],
    ['mysqldump 5.7', 'MySQL 5.7', ['--no-tablespaces', '--set-gtid-purged=OFF']],
    ['mysqldump 5.7', 'MySQL 5.7 GTID', ['--no-tablespaces', '--set-gtid-purged=OFF']],
    // gtid_mode OFF (the default): COMMENTED would stop mysqldump ("Server has GTIDs disabled").
    ['mysqldump 8.0.40', 'MySQL 5.7', ['--no-tablespaces', '--column-statistics=0', '--set-gtid-purged=OFF']],
    ['mysqldump 8.0.40', 'MySQL 8.0', ['--no-tablespaces', '--set-gtid-purged=OFF']],
    ['mysqldump 8.4', 'MySQL 8.4', ['--no-tablespaces', '--set-gtid-purged=OFF']],
    ['mysqldump 8.0.40', 'MySQL 5.7 GTID', ['--no-tablespaces', '--column-statistics=0', '--set-gtid-purged=COMMENTED']],
    ['mysqldump 8.0.40', 'MySQL 8.0 GTID', ['--no-tablespaces', '--set-gtid-purged=COMMENTED']],
    ['mysqldump 8.4', 'MySQL 8.4 GTID', ['--no-tablespaces', '--set-gtid-purged=COMMENTED']],
    ['mysqldump 8.0.40', 'MariaDB 10.11', ['--no-tablespaces', '--column-statistics=0']],
  ])('%s against %s: %j', (t, s, args) => {
    expect(toolCompatArgs(TOOLS[t], SERVERS[s])).toEqual(args);
  });

  it.each<[ToolName, ServerName, boolean]>([
    ['mysqldump 8.4', 'MySQL 8.4 GTID', true],
    ['mysqldump 8.0.40', 'MySQL 8.0 GTID', true],
    ['mysqldump 8.0.25', 'MySQL 8.0 GTID', false],
    ['mysqldump 8.4', 'MySQL 8.4', false],
    ['mariadb-dump 10.11', 'MariaDB 10.11', false],
  ])('%s against %s takes a global read lock itself (needs RELOAD): %s', (t, s, locks) => {
    expect(toolTakesGlobalLock(TOOLS[t], SERVERS[s])).toBe(locks);
  });
});

describe('streaming the binary logs', () => {
  // What `--version` says of each: mariadb-binlog and MySQL 5.7's mysqlbinlog print their own 3.x.
  const BINLOG_TOOLS = {
    'mariadb-binlog 10.11': { flavor: 'mariadb', distribution: '3.5' },
    'mysqlbinlog 5.7': { flavor: 'mysql', distribution: '3.4' },
    'mysqlbinlog 8.0': { flavor: 'mysql', distribution: '8.0.40' },
    'mysqlbinlog 8.4': { flavor: 'mysql', distribution: '8.4.3' },
  } as const;
  it.each<[keyof typeof BINLOG_TOOLS, string]>([
    ['mariadb-binlog 10.11', '--stop-never-slave-server-id=4182017'],
    ['mysqlbinlog 5.7', '--stop-never-slave-server-id=4182017'],
    // WL#9633 (MySQL 8.0) deprecated --stop-never-slave-server-id for --connection-server-id.
    ['mysqlbinlog 8.0', '--connection-server-id=4182017'],
    ['mysqlbinlog 8.4', '--connection-server-id=4182017'],
  ])('%s connects with %s', (name, idOption) => {
    expect(binlogStreamArgs(BINLOG_TOOLS[name], 4182017, '/arch/incoming/', 'binlog.000042')).toEqual([
      '--read-from-remote-server',
      '--raw',
      '--stop-never',
      idOption,
      '--result-file=/arch/incoming/',
      'binlog.000042',
    ]);
  });
});
