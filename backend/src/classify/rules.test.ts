// One case per rule (per wording for stderr rules: mariadb-dump 10.11/11.x and mysqldump 8.0/8.4),
// plus checks on the table itself. Lines marked "real" were captured from mariadb-dump 10.11.
import { describe, expect, it } from 'vitest';
import { FAILURE_CLASSES } from '../contract/classes.js';
import { classify, UNMATCHED_RULE } from './classify.js';
import { renderHint } from './match.js';
import { redact } from './redact.js';
import { PRIORITY, RULES } from './rules.js';
import type { FailureEvidence } from './types.js';

type Flavor = 'mariadb' | 'mysql' | 'agent' | 'mydumper' | 'physical';

interface Case {
  rule: string;
  flavor: Flavor;
  evidence: FailureEvidence;
  /** Substring the hint must contain (the object captured from the message). */
  hint?: string;
}

const mariadb = (stderr: string, exitCode = 2): FailureEvidence => ({ tool: 'mariadb-dump', exitCode, signal: null, stderr });
const mysql = (stderr: string, exitCode = 2): FailureEvidence => ({ tool: 'mysqldump', exitCode, signal: null, stderr });
const agent = (extra: FailureEvidence): FailureEvidence => ({ tool: 'mariadb-dump', exitCode: 2, signal: null, stderr: '', ...extra });
const mydumper = (stderr: string, exitCode = 1, tool = 'mydumper'): FailureEvidence => ({ tool, exitCode, signal: null, stderr });
const physical = (stderr: string, exitCode = 1, tool = 'mariadb-backup'): FailureEvidence => ({ tool, exitCode, signal: null, stderr });

const CASES: Case[] = [
  // auth
  { rule: 'auth-access-denied', flavor: 'mariadb', hint: "'wrong'@'127.0.0.1'", // real
    evidence: mariadb(`mariadb-dump: Got error: 1045: "Access denied for user 'wrong'@'127.0.0.1' (using password: YES)" when trying to connect`) },
  { rule: 'auth-access-denied', flavor: 'mysql', hint: "'backup'@'localhost'",
    evidence: mysql(`mysqldump: Got error: 1045: Access denied for user 'backup'@'localhost' (using password: YES) when trying to connect`) },
  { rule: 'auth-no-password', flavor: 'mariadb', hint: "'root'@'localhost'",
    evidence: mariadb(`mariadb-dump: Got error: 1698: "Access denied for user 'root'@'localhost'" when trying to connect`) },
  { rule: 'auth-no-password', flavor: 'mysql', hint: "'root'@'localhost'",
    evidence: mysql(`mysqldump: Got error: 1698: Access denied for user 'root'@'localhost' when trying to connect`) },
  { rule: 'auth-host-not-allowed', flavor: 'mariadb', hint: '10.0.0.7',
    evidence: mariadb(`mariadb-dump: Got error: 1130: "Host '10.0.0.7' is not allowed to connect to this MariaDB server" when trying to connect`) },
  { rule: 'auth-host-not-allowed', flavor: 'mysql', hint: '10.0.0.7',
    evidence: mysql(`mysqldump: Got error: 1130: Host '10.0.0.7' is not allowed to connect to this MySQL server when trying to connect`) },
  { rule: 'auth-plugin', flavor: 'mariadb', hint: 'caching_sha2_password',
    evidence: mariadb(`mariadb-dump: Got error: 2059: "Plugin caching_sha2_password could not be loaded: lib/mariadb/plugin/caching_sha2_password.so: cannot open shared object file: No such file or directory" when trying to connect`) },
  { rule: 'auth-plugin', flavor: 'mysql', hint: 'caching_sha2_password',
    evidence: mysql(`mysqldump: Got error: 2061: Authentication plugin 'caching_sha2_password' reported error: Authentication requires secure connection. when trying to connect`) },
  { rule: 'auth-password-expired', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Got error: 1862: "Your password has expired. To log in you must change it using a client that supports expired passwords" when trying to connect`) },
  { rule: 'auth-password-expired', flavor: 'mysql',
    evidence: mysql(`mysqldump: Got error: 1862: Your password has expired. To log in you must change it using a client that supports expired passwords. when trying to connect`) },
  { rule: 'auth-insecure-transport', flavor: 'mysql',
    evidence: mysql('mysqldump: Got error: 3159: Connections using insecure transport are prohibited while --require_secure_transport=ON. when trying to connect') },
  { rule: 'auth-account-locked', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Got error: 4151: "Access denied, this account is locked" when trying to connect`) },
  { rule: 'auth-account-locked', flavor: 'mysql',
    evidence: mysql(`mysqldump: Got error: 3118: Access denied for user 'backup'@'localhost'. Account is locked. when trying to connect`) },

  // privilege
  { rule: 'privilege-after-login', flavor: 'mariadb', hint: 'FLUSH TABLES WITH READ LOCK',
    evidence: mariadb(`mariadb-dump: Couldn't execute 'FLUSH TABLES WITH READ LOCK': Access denied for user 'admin'@'%' (using password: YES) (1045)`) },
  { rule: 'privilege-after-login', flavor: 'mysql', hint: 'FLUSH TABLES WITH READ LOCK',
    evidence: mysql(`mysqldump: Couldn't execute 'FLUSH TABLES WITH READ LOCK': Access denied for user 'admin'@'%' (using password: YES) (1045)`) },
  { rule: 'privilege-database', flavor: 'mariadb', hint: 'warden_cls_probe', // real
    evidence: mariadb(`mariadb-dump: Got error: 1044: "Access denied for user 'warden_cls_probe'@'127.0.0.1' to database 'warden_cls_probe'" when using LOCK TABLES`) },
  { rule: 'privilege-database', flavor: 'mysql', hint: 'shop',
    evidence: mysql(`mysqldump: Got error: 1044: Access denied for user 'backup'@'localhost' to database 'shop' when using LOCK TABLES`) },
  { rule: 'privilege-table', flavor: 'mariadb', hint: 'Grant SHOW VIEW privilege on warden_cls_probe.v_bad', // real
    evidence: mariadb("mariadb-dump: Couldn't execute 'show create table `v_bad`': SHOW VIEW command denied to user 'warden_cls_probe'@'127.0.0.1' for table `warden_cls_probe`.`v_bad` (1142)") },
  { rule: 'privilege-table', flavor: 'mysql', hint: 'Grant TRIGGER privilege on orders',
    evidence: mysql(`mysqldump: Couldn't execute 'SHOW TRIGGERS LIKE 'orders'': TRIGGER command denied to user 'backup'@'localhost' for table 'orders' (1142)`) },
  { rule: 'privilege-column', flavor: 'mariadb', hint: 'email',
    evidence: mariadb("mariadb-dump: Couldn't execute 'SELECT /*!40001 SQL_NO_CACHE */ `id`, `email` FROM `customers`': SELECT command denied to user 'backup'@'localhost' for column 'email' in table 'customers' (1143)") },
  { rule: 'privilege-column', flavor: 'mysql', hint: 'customers',
    evidence: mysql("mysqldump: Couldn't execute 'SELECT /*!40001 SQL_NO_CACHE */ * FROM `customers`': SELECT command denied to user 'backup'@'localhost' for column 'email' in table 'customers' (1143)") },
  { rule: 'privilege-routine', flavor: 'mariadb', hint: 'shop.calc_tax',
    evidence: mariadb("mariadb-dump: Couldn't execute 'SHOW CREATE FUNCTION `calc_tax`': EXECUTE command denied to user 'backup'@'localhost' for routine 'shop.calc_tax' (1370)") },
  { rule: 'privilege-routine', flavor: 'mysql', hint: 'shop.calc_tax',
    evidence: mysql("mysqldump: Couldn't execute 'SHOW CREATE FUNCTION `calc_tax`': EXECUTE command denied to user 'backup'@'localhost' for routine 'shop.calc_tax' (1370)") },
  { rule: 'privilege-global', flavor: 'mariadb', hint: 'Grant the backup user RELOAD ON', // real
    evidence: mariadb(`mariadb-dump: Couldn't execute 'FLUSH /*!40101 LOCAL */ TABLES': Access denied; you need (at least one of) the RELOAD privilege(s) for this operation (1227)`) },
  { rule: 'privilege-global', flavor: 'mariadb', hint: 'SUPER, SLAVE MONITOR', // real
    evidence: mariadb(`mariadb-dump: Couldn't execute 'SHOW ALL SLAVES STATUS': Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation (1227)`) },
  { rule: 'privilege-global', flavor: 'mysql', hint: 'SUPER, REPLICATION CLIENT',
    evidence: mysql(`mysqldump: Couldn't execute 'SHOW MASTER STATUS': Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation (1227)`) },
  { rule: 'privilege-global', flavor: 'mysql', hint: 'RELOAD or FLUSH_TABLES',
    evidence: mysql(`mysqldump: Couldn't execute 'FLUSH TABLES WITH READ LOCK': Access denied; you need (at least one of) the RELOAD or FLUSH_TABLES privilege(s) for this operation (1227)`) },
  { rule: 'privilege-insufficient', flavor: 'mysql', hint: 'SHOW_ROUTINE', // mysqldump.cc, dump_routines_for_db
    evidence: mysql('mysqldump: backup has insufficient privileges to SHOW CREATE FUNCTION `calc_tax`!') },
  { rule: 'privilege-insufficient', flavor: 'physical', hint: 'BACKUP_ADMIN', // XtraBackup --check-privileges
    evidence: physical('2026-02-03T02:00:02.098400-00:00 0 [ERROR] [MY-011825] [Xtrabackup]  missing required privilege BACKUP_ADMIN on *.*', 1, 'xtrabackup') },
  { rule: 'privilege-binlog-routines', flavor: 'mariadb',
    evidence: { tool: 'mariadb', exitCode: 1, signal: null, stderr: 'ERROR 1419 (HY000) at line 88: You do not have the SUPER privilege and binary logging is enabled (you *might* want to use the less safe log_bin_trust_function_creators variable)' } },
  { rule: 'privilege-binlog-routines', flavor: 'mysql',
    evidence: { tool: 'mysql', exitCode: 1, signal: null, stderr: 'ERROR 1419 (HY000) at line 88: You do not have the SUPER privilege and binary logging is enabled (you *might* want to use the less safe log_bin_trust_function_creators variable)' } },
  { rule: 'privilege-not-supported', flavor: 'mariadb', hint: 'LIMIT & IN/ALL/ANY/SOME subquery',
    evidence: mariadb(`mariadb-dump: Couldn't execute 'SELECT engine FROM t WHERE id IN (SELECT id FROM u LIMIT 1)': This version of MariaDB doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery' (1235)`) },
  { rule: 'privilege-not-supported', flavor: 'mysql', hint: 'LIMIT & IN/ALL/ANY/SOME subquery',
    evidence: mysql(`mysqldump: Couldn't execute 'SELECT engine FROM t WHERE id IN (SELECT id FROM u LIMIT 1)': This version of MySQL doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery' (1235)`) },
  { rule: 'privilege-tablespaces', flavor: 'mysql', hint: 'PROCESS ON', // exit 0, trailer written (mysqldump.cc dump_all_tablespaces)
    evidence: { ...mysql(`mysqldump: Error: 'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation' when trying to dump tablespaces`, 0), stdoutTail: '-- Dump completed on 2026-12-06  2:00:00\n' } },
  { rule: 'privilege-hidden-objects', flavor: 'agent', hint: 'shop.v_orders, shop.trg_audit',
    evidence: agent({ exitCode: 0, trailerPresent: true, facts: { missingObjects: ['shop.v_orders', 'shop.trg_audit'] } }) },

  // connection
  { rule: 'connection-refused', flavor: 'mariadb', hint: '127.0.0.1', // real: Connector/C reports TCP as 2002
    evidence: mariadb(`mariadb-dump: Got error: 2002: "Can't connect to server on '127.0.0.1' (115)" when trying to connect`) },
  { rule: 'connection-refused', flavor: 'mariadb', hint: '/tmp/nosock.sock', // real
    evidence: mariadb(`mariadb-dump: Got error: 2002: "Can't connect to local server through socket '/tmp/nosock.sock' (2)" when trying to connect`) },
  { rule: 'connection-refused', flavor: 'mysql', hint: '127.0.0.1:3306',
    evidence: mysql(`mysqldump: Got error: 2003: Can't connect to MySQL server on '127.0.0.1:3306' (111) when trying to connect`) },
  { rule: 'connection-refused', flavor: 'mysql', hint: '/var/run/mysqld/mysqld.sock',
    evidence: mysql(`mysqldump: Got error: 2002: Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2) when trying to connect`) },
  { rule: 'connection-unknown-host', flavor: 'mariadb', hint: 'no-such-host.invalid', // real
    evidence: mariadb(`mariadb-dump: Got error: 2005: "Unknown server host 'no-such-host.invalid' (-2)" when trying to connect`) },
  { rule: 'connection-unknown-host', flavor: 'mysql', hint: 'db-primary.internal',
    evidence: mysql(`mysqldump: Got error: 2005: Unknown MySQL server host 'db-primary.internal' (-2) when trying to connect`) },
  { rule: 'connection-gone-away', flavor: 'mariadb',
    evidence: mariadb("mariadb-dump: Couldn't execute 'SHOW FIELDS FROM `orders`': Server has gone away (2006)") },
  { rule: 'connection-gone-away', flavor: 'mysql',
    evidence: mysql("mysqldump: Couldn't execute 'SHOW FIELDS FROM `orders`': MySQL server has gone away (2006)") },
  { rule: 'connection-lost', flavor: 'mariadb', hint: 'while dumping t:', // real
    evidence: mariadb('mariadb-dump: Error 2013: Lost connection to server during query when dumping table `t` at row: 36780', 3) },
  { rule: 'connection-lost', flavor: 'mysql', hint: 'orders',
    evidence: mysql('mysqldump: Error 2013: Lost connection to MySQL server during query when dumping table `orders` at row: 1234', 3) },
  { rule: 'connection-too-many', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Got error: 1040: "Too many connections" when trying to connect`) },
  { rule: 'connection-too-many', flavor: 'mysql',
    evidence: mysql(`mysqldump: Got error: 1040: Too many connections when trying to connect`) },
  { rule: 'connection-host-blocked', flavor: 'mariadb', hint: '10.0.0.7',
    evidence: mariadb(`mariadb-dump: Got error: 1129: "Host '10.0.0.7' is blocked because of many connection errors; unblock with 'mariadb-admin flush-hosts'" when trying to connect`) },
  { rule: 'connection-host-blocked', flavor: 'mysql', hint: '10.0.0.7',
    evidence: mysql(`mysqldump: Got error: 1129: Host '10.0.0.7' is blocked because of many connection errors; unblock with 'mysqladmin flush-hosts' when trying to connect`) },
  { rule: 'connection-server-shutdown', flavor: 'mariadb',
    evidence: mariadb('mariadb-dump: Error 1053: Server shutdown in progress when dumping table `orders` at row: 88', 3) },
  { rule: 'connection-server-shutdown', flavor: 'mysql',
    evidence: mysql('mysqldump: Error 1053: Server shutdown in progress when dumping table `orders` at row: 88', 3) },
  { rule: 'connection-idle-disconnect', flavor: 'mysql',
    evidence: mysql("mysqldump: Couldn't execute 'SHOW CREATE TABLE `orders`': The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior. (4031)") },

  // killed on the server
  { rule: 'killed-on-server', flavor: 'mariadb', // real (KILL QUERY)
    evidence: mariadb('mariadb-dump: Error 1317: Query execution was interrupted when dumping table `t` at row: 36264', 3) },
  { rule: 'killed-on-server', flavor: 'mariadb',
    evidence: mariadb("mariadb-dump: Couldn't execute 'SHOW CREATE TABLE `t`': Connection was killed (1927)") },
  { rule: 'killed-on-server', flavor: 'mysql',
    evidence: mysql('mysqldump: Error 1317: Query execution was interrupted when dumping table `orders` at row: 5000', 3) },

  // disk full
  { rule: 'disk-full-errno', flavor: 'mariadb', evidence: mariadb('mariadb-dump: Got errno 28 on write', 5) }, // real
  { rule: 'disk-full-errno', flavor: 'mariadb',
    evidence: mariadb('mariadb-dump: Error 1030: Got error 28 "No space left on device" from storage engine InnoDB when dumping table `orders` at row: 0', 3) },
  { rule: 'disk-full-errno', flavor: 'mysql', evidence: mysql('mysqldump: Got errno 28 on write', 5) },
  { rule: 'disk-full-errno', flavor: 'mysql',
    evidence: mysql(`mysqldump: Couldn't execute 'SELECT ...': Error writing file '/tmp/MYfd=47' (OS errno 28 - No space left on device) (3)`) },
  { rule: 'disk-full-server-table', flavor: 'mariadb', hint: '/tmp/#sql-temptable-1f2a-4-0',
    evidence: mariadb("mariadb-dump: Couldn't execute 'SELECT ...': The table '/tmp/#sql-temptable-1f2a-4-0' is full (1114)") },
  { rule: 'disk-full-server-table', flavor: 'mysql', hint: '/tmp/#sql1f2a_9_0',
    evidence: mysql("mysqldump: Error 1114: The table '/tmp/#sql1f2a_9_0' is full when dumping table `events` at row: 0", 3) },
  { rule: 'disk-file-too-large', flavor: 'mariadb', evidence: mariadb('mariadb-dump: Got errno 27 on write', 5) },
  { rule: 'disk-file-too-large', flavor: 'mysql', evidence: mysql('mysqldump: Got errno 27 on write', 5) },

  // corruption
  { rule: 'corruption-crashed-table', flavor: 'mariadb', hint: 'warden_cls_probe.m', // real
    evidence: mariadb(`mariadb-dump: Got error: 144: "Table './warden_cls_probe/m' is marked as crashed and last (automatic?) repair failed" when doing LOCK TABLES`) },
  { rule: 'corruption-crashed-table', flavor: 'mariadb', hint: 'warden_cls_probe.m', // real
    evidence: mariadb("mariadb-dump: Couldn't execute 'show create table `m`': Table './warden_cls_probe/m' is marked as crashed and last (automatic?) repair failed (144)") },
  { rule: 'corruption-crashed-table', flavor: 'mariadb', hint: 'demo',
    evidence: mariadb(`mariadb-dump: Got error: 130: "Incorrect file format 'demo'" when using LOCK TABLES`) },
  { rule: 'corruption-crashed-table', flavor: 'mysql', hint: 'shop.orders',
    evidence: mysql(`mysqldump: Got error: 145: Table './shop/orders' is marked as crashed and should be repaired when using LOCK TABLES`) },
  { rule: 'corruption-crashed-table', flavor: 'mariadb', // real: two scribbled InnoDB pages
    evidence: mariadb('mariadb-dump: Error 1030: Got error 1877 "Unknown error 1877" from storage engine InnoDB when dumping table `items` at row: 0', 3) },
  { rule: 'corruption-crashed-table', flavor: 'mysql', hint: 'shop.orders',
    evidence: mysql(`mysqldump: Error: 'Table './shop/orders' is marked as crashed and should be repaired' when using LOCK TABLES`) },
  { rule: 'corruption-broken-table', flavor: 'mydumper', hint: 'shop.sessions', // real: a warning, and exit 0
    evidence: mydumper('** (mydumper:8362): WARNING **: 03:17:27.487: Broken table detected, please review: shop.sessions', 0) },
  { rule: 'corruption-datafile-copy', flavor: 'physical', // real, the tail of a page dump before it
    evidence: physical('  Y    L z  ? m  2 `  % S    F t\n[00] FATAL ERROR: 2026-12-06 03:19:01 mariabackup: Error: failed to copy datafile.') },
  { rule: 'corruption-table-file-missing', flavor: 'mariadb', hint: 'table c_myd.notes', // real
    evidence: mariadb(`mariadb-dump: Got error: 29: "File './c_myd/notes.MYD' not found (Errcode: 2 "No such file or directory")" when using LOCK TABLES`) },
  { rule: 'corruption-table-file-missing', flavor: 'mysql', hint: 'table shop.orders',
    evidence: mysql(`mysqldump: Got error: 29: File './shop/orders.MYD' not found (OS errno 2 - No such file or directory) when using LOCK TABLES`) },
  { rule: 'corruption-binlog', flavor: 'mariadb',
    evidence: { tool: 'mariadb-binlog', exitCode: 1, signal: null, stderr: "ERROR: Error in Log_event::read_log_event(): 'Event crc check failed! Most likely there is event corruption.', data_len: 84, event_type: 2" } },
  { rule: 'corruption-binlog', flavor: 'mysql',
    evidence: { tool: 'mysqlbinlog', exitCode: 1, signal: null, stderr: "ERROR: Error in Log_event::read_log_event(): 'Event truncated', data_len: 1234, event_type: 30" } },
  { rule: 'corruption-compressed-input', flavor: 'mariadb',
    evidence: { tool: 'mariadb', exitCode: 1, signal: null, stderr: "gzip: stdin: invalid compressed data--crc error\nERROR 1064 (42000) at line 1468: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'VALUES (13' at line 1" } },
  { rule: 'corruption-compressed-input', flavor: 'mysql',
    evidence: { tool: 'mysql', exitCode: 1, signal: null, stderr: 'orders.sql.zst : Read error (39) : premature end\nERROR 1064 (42000) at line 2201: You have an error in your SQL syntax' } },
  { rule: 'corruption-innodb', flavor: 'mariadb',
    evidence: mariadb('mariadb-dump: Error 1030: Got error 176 "Read page with wrong checksum" from storage engine InnoDB when dumping table `orders` at row: 5120', 3) },
  { rule: 'corruption-innodb', flavor: 'mysql', hint: 'shop.orders',
    evidence: mysql("mysqldump: Couldn't execute 'SHOW CREATE TABLE `orders`': Tablespace is missing for table `shop`.`orders`. (1812)") },

  // charset
  { rule: 'charset-conversion', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Couldn't execute 'SHOW TRIGGERS LIKE 'orders'': Illegal mix of collations (utf8mb4_general_ci,IMPLICIT) and (utf8mb4_uca1400_ai_ci,COERCIBLE) for operation 'like' (1267)`) },
  { rule: 'charset-conversion', flavor: 'mysql',
    evidence: mysql(`mysqldump: Couldn't execute 'SHOW TRIGGERS LIKE 'orders'': Illegal mix of collations (utf8mb3_general_ci,IMPLICIT) and (utf8mb4_0900_ai_ci,COERCIBLE) for operation 'like' (1267)`) },
  { rule: 'charset-conversion', flavor: 'mysql', hint: "'body'",
    evidence: mysql(`mysqldump: Couldn't execute 'SELECT ...': Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'body' at row 1 (1366)`) },
  { rule: 'charset-unknown', flavor: 'mariadb', hint: 'xyz', // real (exit 1, no error code)
    evidence: mariadb(`mariadb-dump: Character set 'xyz' is not a compiled character set and is not specified in the '/usr/share/mysql/charsets/Index.xml' file`, 1) },
  { rule: 'charset-unknown', flavor: 'mysql', hint: 'utf8mb5',
    evidence: mysql(
      `mysqldump: Character set 'utf8mb5' is not a compiled character set and is not specified in the '/usr/share/mysql-8.0/charsets/Index.xml' file\n` +
        'mysqldump: Got error: 2019: Can\'t initialize character set utf8mb5 (path: /usr/share/mysql-8.0/charsets/) when trying to connect',
    ) },
  { rule: 'charset-variable', flavor: 'mariadb', hint: 'utf16',
    evidence: mariadb(`mariadb-dump: Got error: 1231: "Variable 'character_set_client' can't be set to the value of 'utf16'" when trying to connect`) },
  { rule: 'charset-variable', flavor: 'mysql', hint: 'ucs2',
    evidence: mysql(`mysqldump: Got error: 1231: Variable 'character_set_client' can't be set to the value of 'ucs2' when trying to connect`) },
  { rule: 'charset-lossy-warning', flavor: 'mariadb', // real: --show-warnings, exit 0
    evidence: { tool: 'mariadb', exitCode: 0, signal: null, stderr: '', stdoutTail: "Warning (Code 1366): Incorrect string value: '\\xF0\\x9F\\x9A\\x80' for column `cs`.`t`.`name` at row 1" } },
  { rule: 'charset-lossy-warning', flavor: 'mysql',
    evidence: { tool: 'mysql', exitCode: 0, signal: null, stderr: '', stdoutTail: "Warning (Code 1366): Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'body' at row 1" } },
  { rule: 'charset-lossy', flavor: 'agent', evidence: agent({ exitCode: 0, trailerPresent: true, facts: { lossyCharset: true } }) },

  // not found
  { rule: 'unknown-database', flavor: 'mariadb', hint: 'nosuchdb', // real
    evidence: mariadb(`mariadb-dump: Got error: 1049: "Unknown database 'nosuchdb'" when selecting the database`) },
  { rule: 'unknown-database', flavor: 'mysql', hint: 'shop_old',
    evidence: mysql(`mysqldump: Got error: 1049: Unknown database 'shop_old' when selecting the database`) },
  { rule: 'myloader-switch-database', flavor: 'mydumper', hint: 'crm_x',
    evidence: mydumper('** (myloader:812): CRITICAL **: 04:31:02.118: Error switching to database crm_x whilst restoring table contacts', 1, 'myloader') },
  { rule: 'unknown-table', flavor: 'mariadb', hint: 'nosuchtable', // real (exit 6)
    evidence: mariadb(`mariadb-dump: Couldn't find table: "nosuchtable"`, 6) },
  { rule: 'unknown-table', flavor: 'mysql', hint: 'shop.orders_2019',
    evidence: mysql("mysqldump: Couldn't execute 'SHOW FIELDS FROM `orders_2019`': Table 'shop.orders_2019' doesn't exist (1146)") },
  { rule: 'binlog-not-found', flavor: 'mariadb',
    evidence: { tool: 'mariadb-binlog', exitCode: 1, signal: null, stderr: "ERROR: Got error reading packet from server: Could not find first log file name in binary log index file" } },
  { rule: 'binlog-not-found', flavor: 'mysql',
    evidence: { tool: 'mysqlbinlog', exitCode: 1, signal: null, stderr: "ERROR: Got error reading packet from server: Could not find first log file name in binary log index file" } },
  // MySQL 8.0.26+ wording of ER_SOURCE_HAS_PURGED_REQUIRED_GTIDS (share/messages_to_clients.txt)
  { rule: 'binlog-not-found', flavor: 'mysql',
    evidence: { tool: 'mysqlbinlog', exitCode: 1, signal: null, stderr: "ERROR: Got error reading packet from server: Cannot replicate because the source purged required binary logs. Replicate the missing transactions from elsewhere, or provision a new replica from backup. Consider increasing the source's binary log expiration period. The GTID set sent by the replica is '', and the missing transactions are 'c2a8e9a4-1b1d-11ef-9f3b-0242ac120002:1-12'" } },
  { rule: 'view-invalid', flavor: 'mariadb', hint: 'warden_cls_probe.v_bad', // real
    evidence: mariadb(`mariadb-dump: Got error: 1356: "View 'warden_cls_probe.v_bad' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them" when using LOCK TABLES`) },
  { rule: 'view-invalid', flavor: 'mysql', hint: 'shop.v_sales',
    evidence: mysql("mysqldump: Couldn't execute 'SHOW FIELDS FROM `v_sales`': View 'shop.v_sales' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them (1356)") },
  { rule: 'definer-missing', flavor: 'mariadb', hint: "'nobody_cls'@'localhost'", // real
    evidence: mariadb(`mariadb-dump: Got error: 1449: "The user specified as a definer ('nobody_cls'@'localhost') does not exist" when using LOCK TABLES`) },
  { rule: 'definer-missing', flavor: 'mysql', hint: "'admin'@'%'",
    evidence: mysql(`mysqldump: Got error: 1449: The user specified as a definer ('admin'@'%') does not exist when using LOCK TABLES`) },
  { rule: 'tool-not-found-shell', flavor: 'mariadb', hint: 'mariadb-dump',
    evidence: mariadb('sh: 1: mariadb-dump: not found', 127) },
  { rule: 'tool-not-found-shell', flavor: 'mysql', hint: 'mysqldump',
    evidence: mysql('bash: mysqldump: command not found', 127) },

  // config
  { rule: 'usage', flavor: 'mariadb', hint: 'mariadb-dump printed its usage', // real (no database named)
    evidence: mariadb('Usage: mariadb-dump [OPTIONS] database [tables]\nOR     mariadb-dump [OPTIONS] --databases DB1 [DB2 DB3...]\nFor more options, use mariadb-dump --help', 1) },
  { rule: 'usage', flavor: 'mysql', hint: 'mysqldump printed its usage',
    evidence: mysql('Usage: mysqldump [OPTIONS] database [tables]\nOR     mysqldump [OPTIONS] --databases [OPTIONS] DB1 [DB2 DB3...]\nFor more options, use mysqldump --help', 1) },
  { rule: 'datadir-unreadable', flavor: 'physical', hint: '/var/lib/mysql/', // real (mariadb-backup 10.11 run as another user)
    evidence: physical(`mariadb-backup: Can't change dir to '/var/lib/mysql/' (errno: 13 "Permission denied")\n[00] 2026-12-06 21:46:14 my_setwd() failed , /var/lib/mysql/`) },
  { rule: 'output-path', flavor: 'mariadb', hint: '/nonexist/x.sql', // real (-r into a missing directory)
    evidence: mariadb(`mariadb-dump: Can't create/write to file '/nonexist/x.sql' (Errcode: 2 "No such file or directory")`, 2) },
  { rule: 'output-path', flavor: 'mariadb', hint: '/var/backups/shop-2019.sql', // real: the client's `source` of a missing file
    evidence: { tool: 'mariadb', exitCode: 1, signal: null, stderr: "ERROR at line 1: Failed to open file '/var/backups/shop-2019.sql', error: 2" } },
  { rule: 'output-path', flavor: 'mysql', hint: '/backups/shop.sql',
    evidence: mysql(`mysqldump: Can't create/write to file '/backups/shop.sql' (OS errno 13 - Permission denied)`, 2) },
  { rule: 'tool-server-mismatch', flavor: 'mysql', hint: 'mysqldump for MySQL', // 8.0 mysqldump against MySQL 8.4
    evidence: mysql("mysqldump: Couldn't execute 'SHOW MASTER STATUS': You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'MASTER STATUS' at line 1 (1064)") },
  { rule: 'tool-server-mismatch', flavor: 'mariadb', // MySQL 8.4 mysqldump against MariaDB
    evidence: mysql("mysqldump: Couldn't execute '/*!80000 SET SESSION information_schema_stats_expiry=0 */': Unknown system variable 'information_schema_stats_expiry' (1193)") },
  { rule: 'tool-server-mismatch', flavor: 'physical',
    evidence: physical("2026-02-03T02:00:01.961189-00:00 0 [ERROR] [MY-011825] [Xtrabackup] Unsupported server version: '10.11.6-MariaDB-0+deb12u1'", 1, 'xtrabackup') },
  { rule: 'server-setting', flavor: 'mariadb', hint: 'read-only',
    evidence: { tool: 'mariadb', exitCode: 1, signal: null, stderr: 'ERROR 1290 (HY000) at line 23: The MariaDB server is running with the --read-only option so it cannot execute this statement' } },
  { rule: 'server-setting', flavor: 'mysql',
    evidence: { tool: 'mysql', exitCode: 1, signal: null, stderr: 'ERROR 3948 (42000) at line 1: Loading local data is disabled; this must be enabled on both the client and server sides' } },
  { rule: 'bad-variable-value', flavor: 'mariadb', hint: 'sql_mode',
    evidence: mariadb(`mariadb-dump: Couldn't execute 'SET SESSION sql_mode='NOPE'': Variable 'sql_mode' can't be set to the value of 'NOPE' (1231)`) },
  { rule: 'bad-variable-value', flavor: 'mysql', hint: 'sql_mode',
    evidence: mysql(`mysqldump: Couldn't execute 'SET SESSION sql_mode='NOPE'': Variable 'sql_mode' can't be set to the value of 'NOPE' (1231)`) },
  { rule: 'gtid-disabled', flavor: 'mysql', evidence: mysql('Error: Server has GTIDs disabled.', 0) },
  { rule: 'target-not-empty', flavor: 'mydumper', // real (0.10), SIGTRAP from g_error
    evidence: { tool: 'mydumper', exitCode: null, signal: 'SIGTRAP', stderr: '** (mydumper:48211): ERROR **: 02:00:01.125: Directory is not empty (use --clear or --dirty): /backups/2026-02-03' } },
  { rule: 'target-not-empty', flavor: 'physical', // real
    evidence: physical('[00] 2026-12-06 03:19:09 Original data directory /var/lib/mysql is not empty!') },
  { rule: 'not-a-backup', flavor: 'mydumper', evidence: mydumper('** (myloader:10239): CRITICAL **: 03:18:09.498: the specified directory is not a mydumper backup', 1, 'myloader') }, // real
  { rule: 'not-a-backup', flavor: 'physical', evidence: physical("[00] FATAL ERROR: 2026-12-06 03:19:04 Can't open backup-my.cnf for reading") }, // real
  { rule: 'restore-target-not-empty', flavor: 'mydumper', hint: 'orders', // real
    evidence: mydumper("** (myloader:10101): CRITICAL **: 03:18:06.689: Error restoring shop.orders from file shop.orders-schema.sql: Table 'orders' already exists", 1, 'myloader') },
  { rule: 'restore-target-not-empty', flavor: 'mariadb',
    evidence: { tool: 'mariadb', exitCode: 1, signal: null, stderr: "ERROR 1062 (23000) at line 57: Duplicate entry '1' for key 'PRIMARY'" } },
  { rule: 'restore-target-not-empty', flavor: 'mysql',
    evidence: { tool: 'mysql', exitCode: 1, signal: null, stderr: "ERROR 1050 (42S01) at line 41: Table 'orders' already exists" } },
  { rule: 'unknown-option', flavor: 'mariadb', hint: '--bogus-opt', evidence: mariadb(`mariadb-dump: unknown option '--bogus-opt'`) }, // real
  { rule: 'unknown-option', flavor: 'mariadb', hint: 'foo_bar=1', evidence: mariadb(`mariadb-dump: unknown variable 'foo_bar=1'`, 7) }, // real
  { rule: 'unknown-option', flavor: 'mysql', hint: 'max-allowed-packets=1G',
    evidence: mysql(`mysqldump: [ERROR] unknown variable 'max-allowed-packets=1G'.`) },
  { rule: 'bad-option-value', flavor: 'mariadb', hint: 'port', // real
    evidence: mariadb(
      `Unknown suffix 'a' used for variable 'port' (value 'abc'). Legal suffix characters are: K, M, G, T, P, E\nmariadb-dump: Error while setting value 'abc' to 'port'`,
      9,
    ) },
  { rule: 'bad-option-value', flavor: 'mariadb', evidence: mariadb('Invalid mode to --compatible: foo', 1) }, // real
  { rule: 'bad-option-value', flavor: 'mysql', hint: '--where',
    evidence: mysql(`mysqldump: [ERROR] mysqldump: option '--where' requires an argument.`, 1) },
  { rule: 'defaults-file', flavor: 'mariadb', hint: '/etc/warden/backup.cnf', // real wording
    evidence: mariadb('Could not open required defaults file: /etc/warden/backup.cnf\nFatal error in defaults handling. Program aborted', 1) },
  { rule: 'defaults-file', flavor: 'mydumper', hint: '/etc/warden/mydumper.cnf', // mydumper 0.16 (src/common.c)
    evidence: mydumper('\n** (mydumper:40150): CRITICAL **: 02:00:00.004: Default file /etc/warden/mydumper.cnf not found') },
  { rule: 'defaults-file', flavor: 'mysql', hint: '/etc/warden/backup.cnf',
    evidence: mysql(
      'mysqldump: [ERROR] Found option without preceding group in config file /etc/warden/backup.cnf at line 1.\nmysqldump: [ERROR] Fatal error in defaults handling. Program aborted!',
      1,
    ) },
  { rule: 'binlog-disabled', flavor: 'mariadb', // real (--master-data=2 --single-transaction)
    evidence: mariadb(`mariadb-dump: Couldn't execute 'SELECT BINLOG_GTID_POS('', '0')': You are not using binary logging (1381)`) },
  { rule: 'binlog-disabled', flavor: 'mysql', evidence: mysql('mysqldump: Error: Binlogging on server not active') },
  // mysqldump 8 only: against a MariaDB server and against MySQL 5.7.
  { rule: 'column-statistics', flavor: 'mariadb',
    evidence: mysql(`mysqldump: Couldn't execute 'SELECT COLUMN_NAME,                       JSON_EXTRACT(HISTOGRAM, '$."number-of-buckets-specified"')                FROM information_schema.COLUMN_STATISTICS                WHERE SCHEMA_NAME = 'shop' AND TABLE_NAME = 'orders';': Unknown table 'column_statistics' in information_schema (1109)`) },
  { rule: 'column-statistics', flavor: 'mysql',
    evidence: mysql(`mysqldump: Couldn't execute 'SELECT COLUMN_NAME,                       JSON_EXTRACT(HISTOGRAM, '$."number-of-buckets-specified"')                FROM information_schema.COLUMN_STATISTICS                WHERE SCHEMA_NAME = 'shop' AND TABLE_NAME = 'orders';': Unknown table 'COLUMN_STATISTICS' in information_schema (1109)`) },
  { rule: 'packet-too-large', flavor: 'mariadb',
    evidence: mariadb("mariadb-dump: Error 2020: Got packet bigger than 'max_allowed_packet' when dumping table `blobs` at row: 12", 3) },
  { rule: 'packet-too-large', flavor: 'mysql',
    evidence: mysql("mysqldump: Error 2020: Got packet bigger than 'max_allowed_packet' bytes when dumping table `blobs` at row: 12", 3) },
  { rule: 'protocol-unknown', flavor: 'mariadb', evidence: mariadb(`mariadb-dump: Got error: 2047: "Wrong or unknown protocol" when trying to connect`) }, // real
  { rule: 'protocol-unknown', flavor: 'mysql', evidence: mysql('mysqldump: Got error: 2047: Wrong or unknown protocol when trying to connect') },
  { rule: 'sql-mode-refuses', flavor: 'mariadb',
    evidence: { tool: 'mariadb', exitCode: 1, signal: null, stderr: "ERROR 1292 (22007) at line 40: Incorrect datetime value: '0000-00-00 00:00:00' for column `shop`.`orders`.`created` at row 1" } },
  { rule: 'sql-mode-refuses', flavor: 'mysql',
    evidence: { tool: 'mysql', exitCode: 1, signal: null, stderr: "ERROR 1055 (42000) at line 77: Expression #2 of SELECT list is not in GROUP BY clause and contains nonaggregated column 'shop.orders.note' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by" } },
  { rule: 'tls-error', flavor: 'mariadb', hint: '(certificate verify failed)',
    evidence: mariadb(`mariadb-dump: Got error: 2026: "TLS/SSL error: certificate verify failed" when trying to connect`) },
  { rule: 'tls-error', flavor: 'mysql', hint: 'certificate verify failed)',
    evidence: mysql(`mysqldump: Got error: 2026: SSL connection error: error:0A000086:SSL routines::certificate verify failed when trying to connect`) },
  { rule: 'log-tables-locked', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Got error: 1556: "You can't use locks with log tables" when using LOCK TABLES`) },
  { rule: 'log-tables-locked', flavor: 'mysql',
    evidence: mysql(`mysqldump: Got error: 1556: You can't use locks with log tables when using LOCK TABLES`) },
  { rule: 'open-files-limit', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Got error: 23: "Out of resources when opening file './shop/orders.MYD' (Errcode: 24 "Too many open files")" when using LOCK TABLES`) },
  { rule: 'open-files-limit', flavor: 'mysql',
    evidence: mysql(`mysqldump: Got error: 23: Out of resources when opening file './shop/orders.MYD' (Errcode: 24 - Too many open files) when using LOCK TABLES`) },

  // lock waits
  { rule: 'lock-wait-timeout', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Got error: 1205: "Lock wait timeout exceeded; try restarting transaction" when using LOCK TABLES`) },
  { rule: 'lock-wait-timeout', flavor: 'mysql',
    evidence: mysql(`mysqldump: Couldn't execute 'FLUSH TABLES WITH READ LOCK': Lock wait timeout exceeded; try restarting transaction (1205)`) },
  { rule: 'lock-long-query', flavor: 'mydumper', // real (0.10)
    evidence: mydumper('** (mydumper:8776): CRITICAL **: 03:17:37.052: There are queries in PROCESSLIST running longer than 1s, aborting dump,\n\tuse --long-query-guard to change the guard value, kill queries (--kill-long-queries) or use \n\tdifferent server for dump') },
  { rule: 'lock-long-query', flavor: 'physical', // XtraBackup says it only as a [Note]
    evidence: physical('2026-02-03T02:00:11.665886-00:00 0 [Note] [MY-011825] [Xtrabackup] Unable to obtain lock. Please try again later.', 1, 'xtrabackup') },
  { rule: 'lock-deadlock', flavor: 'mariadb',
    evidence: mariadb('mariadb-dump: Error 1213: Deadlock found when trying to get lock; try restarting transaction when dumping table `orders` at row: 100', 3) },
  { rule: 'lock-deadlock', flavor: 'mysql',
    evidence: mysql('mysqldump: Error 1213: Deadlock found when trying to get lock; try restarting transaction when dumping table `orders` at row: 100', 3) },

  // memory
  { rule: 'client-out-of-memory', flavor: 'mariadb',
    evidence: mariadb('mariadb-dump: Error 2008: Client run out of memory when dumping table `blobs` at row: 0', 3) },
  { rule: 'client-out-of-memory', flavor: 'mariadb', evidence: mariadb('mariadb-dump: Out of memory (Needed 1073741848 bytes)', 4) },
  { rule: 'client-out-of-memory', flavor: 'mysql',
    evidence: mysql('mysqldump: Error 2008: MySQL client ran out of memory when dumping table `blobs` at row: 0', 3) },
  { rule: 'server-out-of-memory', flavor: 'mariadb',
    evidence: mariadb(`mariadb-dump: Couldn't execute 'SELECT ... ORDER BY created_at': Out of sort memory, consider increasing server sort buffer size (1038)`) },
  { rule: 'server-out-of-memory', flavor: 'mysql',
    evidence: mysql("mysqldump: Error 1041: Out of memory; check if mysqld or some other process uses all available memory; if not, you may have to use 'ulimit' to allow mysqld to use more memory or you can add more swap space when dumping table `orders` at row: 0", 3) },

  // server time limits
  { rule: 'statement-timeout', flavor: 'mariadb',
    evidence: mariadb('mariadb-dump: Error 1969: Query execution was interrupted (max_statement_time exceeded) when dumping table `orders` at row: 48213', 3) },
  { rule: 'statement-timeout', flavor: 'mysql',
    evidence: mysql('mysqldump: Error 3024: Query execution was interrupted, maximum statement execution time exceeded when dumping table `orders` at row: 48213', 3) },

  // output
  { rule: 'dump-write-failed', flavor: 'mariadb', hint: 'errno 32', evidence: mariadb('mariadb-dump: Got errno 32 on write', 5) },
  { rule: 'dump-write-failed', flavor: 'mysql', hint: 'errno 32', evidence: mysql('mysqldump: Got errno 32 on write', 5) },
  { rule: 'dump-truncated', flavor: 'agent', evidence: agent({ exitCode: 0, trailerPresent: false }) },
  { rule: 'dump-truncated', flavor: 'agent', // trailer judged from stdoutTail when the pipeline did not say
    evidence: agent({ exitCode: 0, stdoutTail: "INSERT INTO `orders` VALUES (1,'a'),(2,'b" }) },

  // agent facts, OS errors, signals, compressor
  { rule: 'config-agent', flavor: 'agent', hint: 'targets.shop.port',
    evidence: agent({ facts: { configError: 'targets.shop.port: expected a number' } }) },
  { rule: 'tool-missing', flavor: 'agent', hint: 'Install mariadb-dump',
    evidence: agent({ exitCode: null, osErrors: [{ code: 'ENOENT', syscall: 'spawn mariadb-dump', path: 'mariadb-dump', message: 'spawn mariadb-dump ENOENT' }] }) },
  { rule: 'disk-full-repository', flavor: 'agent', hint: '/var/backups/warden/shop',
    evidence: agent({ exitCode: 5, stderr: 'mariadb-dump: Got errno 32 on write',
      osErrors: [{ code: 'ENOSPC', syscall: 'write', path: '/var/backups/warden/shop/2024-05-01T02-00-00.sql.zst.partial' }] }) },
  { rule: 'disk-quota-repository', flavor: 'agent',
    evidence: agent({ osErrors: [{ code: 'EDQUOT', syscall: 'write', path: '/var/backups/warden/shop/x.partial' }] }) },
  { rule: 'file-size-limit', flavor: 'agent',
    evidence: agent({ osErrors: [{ code: 'EFBIG', syscall: 'write', path: '/var/backups/warden/shop/x.partial' }] }) },
  { rule: 'file-size-signal', flavor: 'agent', evidence: agent({ exitCode: null, signal: 'SIGXFSZ' }) },
  { rule: 'repository-not-writable', flavor: 'agent', hint: '/var/backups/warden',
    evidence: agent({ exitCode: null, osErrors: [{ code: 'EACCES', syscall: 'open', path: '/var/backups/warden/shop/x.partial' }] }) },
  { rule: 'repository-path-missing', flavor: 'agent', hint: '/srv/backups',
    evidence: agent({ exitCode: null, osErrors: [{ code: 'ENOENT', syscall: 'mkdir', path: '/srv/backups/shop' }] }) },
  { rule: 'agent-out-of-memory', flavor: 'agent',
    evidence: agent({ exitCode: null, osErrors: [{ code: 'ENOMEM', syscall: 'spawn mariadb-dump' }] }) },
  { rule: 'deadline-exceeded', flavor: 'agent',
    evidence: agent({ exitCode: null, signal: 'SIGTERM', facts: { deadlineExceeded: true, killedByAgent: true } }) },
  { rule: 'dump-stalled', flavor: 'agent', hint: '900 seconds',
    evidence: agent({ exitCode: null, signal: 'SIGTERM', facts: { stalledSeconds: 900, killedByAgent: true } }) },
  { rule: 'compressor-disk-full', flavor: 'agent', hint: 'zstd',
    evidence: agent({ exitCode: 0, trailerPresent: true,
      compressor: { name: 'zstd', exitCode: 1, signal: null, stderr: 'zstd: error 70 : Write error : cannot write block : No space left on device ' } }) },
  { rule: 'compressor-killed', flavor: 'agent', hint: 'SIGKILL',
    evidence: agent({ exitCode: null, signal: 'SIGPIPE', compressor: { name: 'zstd', exitCode: null, signal: 'SIGKILL', stderr: '' } }) },
  { rule: 'compressor-out-of-memory', flavor: 'agent',
    evidence: agent({ exitCode: 0, trailerPresent: true, compressor: { name: 'zstd', exitCode: 11, signal: null, stderr: 'zstd: error 11 : Allocation error : not enough memory' } }) },
  { rule: 'compressor-failed', flavor: 'agent', hint: 'exit 1',
    evidence: agent({ exitCode: 0, trailerPresent: true, compressor: { name: 'gzip', exitCode: 1, signal: null, stderr: 'gzip: stdout: Input/output error' } }) },
  { rule: 'killed-by-agent', flavor: 'agent', evidence: agent({ exitCode: null, signal: 'SIGTERM', facts: { killedByAgent: true } }) },
  { rule: 'killed-by-signal', flavor: 'agent', hint: 'SIGKILL', evidence: agent({ exitCode: null, signal: 'SIGKILL' }) },
  { rule: 'tool-crashed', flavor: 'agent', hint: 'SIGSEGV', evidence: agent({ exitCode: null, signal: 'SIGSEGV' }) },
  { rule: 'broken-pipe', flavor: 'agent', evidence: agent({ exitCode: null, signal: 'SIGPIPE' }) },
  { rule: 'wrapper-timeout', flavor: 'agent', hint: 'exit status 124', evidence: agent({ exitCode: 124, stderr: '' }) },
  { rule: 'wrapper-timeout-message', flavor: 'mariadb', evidence: mariadb("timeout: sending signal KILL to command 'mariadb-dump'", 137) },
  { rule: 'wrapper-timeout-message', flavor: 'mysql', evidence: mysql("timeout: sending signal TERM to command 'mysqldump'", 124) },
  { rule: 'shell-not-found', flavor: 'agent', evidence: agent({ exitCode: 127, stderr: 'mysqldump: error while loading shared libraries: libmysqlclient.so.21: cannot open shared object file: No such file or directory' }) },
  { rule: 'shell-not-executable', flavor: 'agent', evidence: agent({ exitCode: 126, stderr: 'bash: /usr/bin/mysqldump: Permission denied' }) },
  // object storage: codes and statuses as the SDK reports radosgw's answers (test/storageFailures.test.ts)
  { rule: 'storage-credentials', flavor: 'agent', hint: 'SignatureDoesNotMatch', evidence: { storageErrors: [{ name: 'SignatureDoesNotMatch', status: 403, message: 'UnknownError' }] } },
  { rule: 'storage-credentials', flavor: 'agent', hint: 'InvalidAccessKeyId', evidence: { storageErrors: [{ name: 'InvalidAccessKeyId', status: 403 }] } },
  { rule: 'storage-credentials', flavor: 'agent', evidence: { storageErrors: [{ name: 'ExpiredToken', status: 400, message: 'The provided token has expired.' }] } },
  { rule: 'storage-clock-skew', flavor: 'agent', evidence: { storageErrors: [{ name: 'RequestTimeTooSkewed', status: 403 }] } },
  { rule: 'storage-access-denied', flavor: 'agent', evidence: { storageErrors: [{ name: 'AccessDenied', status: 403, message: 'Access Denied' }] } },
  { rule: 'storage-forbidden', flavor: 'agent', evidence: { storageErrors: [{ name: 'Unknown', status: 403, message: 'UnknownError' }] } },
  { rule: 'storage-no-bucket', flavor: 'agent', evidence: { storageErrors: [{ name: 'NoSuchBucket', status: 404 }] } },
  { rule: 'storage-throttled', flavor: 'agent', hint: 'SlowDown', evidence: { storageErrors: [{ name: 'SlowDown', status: 503, message: 'Please reduce your request rate.' }] } },
  { rule: 'storage-throttled', flavor: 'agent', evidence: { storageErrors: [{ name: 'Unknown', status: 503 }] } },
  { rule: 'storage-unavailable', flavor: 'agent', hint: 'InternalError', evidence: { storageErrors: [{ name: 'InternalError', status: 500, message: 'We encountered an internal error. Please try again.' }] } },
  { rule: 'storage-network', flavor: 'agent', hint: 'ECONNREFUSED', evidence: { storageErrors: [{ name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }] } },
  { rule: 'storage-network', flavor: 'agent', hint: 'RequestTimeout', evidence: { storageErrors: [{ name: 'RequestTimeout', status: 400 }] } },
  { rule: 'storage-checksum', flavor: 'agent', evidence: { storageErrors: [{ name: 'XAmzContentChecksumMismatch', status: 400 }] } },
  { rule: 'storage-checksum', flavor: 'agent', evidence: { storageErrors: [{ name: 'Error', message: 'Checksum mismatch: expected "abc=" but received "xyz=" in response header "x-amz-checksum-sha256".' }] } },
  { rule: 'preflight-disk', flavor: 'agent', evidence: agent({ exitCode: null, facts: { preflightFailedCheck: 'free-space' } }) },
  { rule: 'preflight-grants', flavor: 'agent', evidence: agent({ exitCode: null, facts: { preflightFailedCheck: 'grants' } }) },
  { rule: 'preflight-connect', flavor: 'agent', evidence: agent({ exitCode: null, facts: { preflightFailedCheck: 'connect' } }) },
  { rule: 'preflight-repository', flavor: 'agent', evidence: agent({ exitCode: null, facts: { preflightFailedCheck: 'repository-writable' } }) },
];

/** Stderr rules whose wording exists for one family only. */
const SINGLE_FLAVOR: Record<string, string> = {
  'connection-idle-disconnect': 'ER_CLIENT_INTERACTION_TIMEOUT exists in MySQL 8.0.24+ only',
  'myloader-switch-database': 'myloader only',
  'auth-insecure-transport': 'MySQL only (require_secure_transport)',
  'privilege-insufficient': 'mysqldump 8 and XtraBackup wordings; MariaDB tools say it with an error code',
  'gtid-disabled': 'MySQL GTIDs only (mysqldump --set-gtid-purged)',
  'target-not-empty': 'mydumper and the physical backup tools write into a directory',
  'not-a-backup': 'myloader and mariadb-backup --prepare read a backup directory',
  'lock-long-query': 'mydumper --long-query-guard and XtraBackup --ftwrl-wait-timeout',
  'corruption-broken-table': 'mydumper 0.10 only',
  'corruption-datafile-copy': 'mariadb-backup only',
  'datadir-unreadable': "mariadb-backup's wording; XtraBackup says `cannot my_setwd` of its datadir and of a --prepare target alike (output-path takes it)",
  'privilege-tablespaces': 'MySQL 8.0.21+ needs PROCESS for the tablespaces it dumps by default; mariadb-dump reads them only with --all-tablespaces',
};

describe('rule table', () => {
  it('has unique ids, none of them the no-match id', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(UNMATCHED_RULE);
  });

  it('reaches every failure class with at least one rule', () => {
    for (const cls of FAILURE_CLASSES) expect(RULES.some((r) => r.class === cls), cls).toBe(true);
  });

  it('gives every rule the matcher fields of its source, and a known priority', () => {
    const priorities = new Set<number>(Object.values(PRIORITY));
    for (const r of RULES) {
      expect(priorities.has(r.priority), r.id).toBe(true);
      const needs: Record<typeof r.source, boolean> = {
        stderr: Boolean(r.codes?.length || r.patterns?.length),
        os: Boolean(r.osCodes?.length),
        storage: Boolean(r.storageCodes?.length || r.statuses?.length || r.patterns?.length),
        signal: Boolean(r.signals?.length),
        exit: Boolean(r.exitCodes?.length),
        fact: r.fact !== undefined,
        compressor: true,
        truncated: !r.codes && !r.patterns && !r.signals && !r.exitCodes,
      };
      expect(needs[r.source], r.id).toBe(true);
    }
  });

  it('lists each error code in one rule only', () => {
    const seen = new Map<number, string>();
    for (const r of RULES) {
      for (const code of r.codes ?? []) {
        expect(seen.get(code), `${code} in ${r.id}`).toBeUndefined();
        seen.set(code, r.id);
      }
    }
  });

  it('gives every hint placeholder a fallback', () => {
    for (const r of RULES) expect(r.hint ?? '', r.id).not.toMatch(/\{\w+\}/);
  });

  it('writes no hint that redaction would mangle', () => {
    for (const r of RULES) {
      const hint = renderHint(r.hint ?? '', {});
      expect(redact(hint), r.id).toBe(hint);
    }
  });

  it('has a case for every rule, and both wordings for stderr rules', () => {
    for (const r of RULES) {
      const flavors = new Set(CASES.filter((c) => c.rule === r.id).map((c) => c.flavor));
      expect(flavors.size, r.id).toBeGreaterThan(0);
      if (r.source === 'stderr' && !SINGLE_FLAVOR[r.id]) {
        expect([...flavors], r.id).toEqual(expect.arrayContaining(['mariadb', 'mysql']));
      }
    }
  });
});

describe.each(CASES.map((c, i) => [`${c.rule} (${c.flavor} #${i})`, c] as const))('%s', (_name, c) => {
  it('is classified by its rule', () => {
    const rule = RULES.find((r) => r.id === c.rule);
    expect(rule, 'rule exists').toBeDefined();
    const result = classify(c.evidence);
    expect(result.rule).toBe(c.rule);
    expect(result.class).toBe(rule?.class);
    expect(result.hint).not.toMatch(/\{|\}/);
    if (c.hint) expect(result.hint).toContain(c.hint);
  });
});
