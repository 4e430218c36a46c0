// How the classifier weighs evidence, and that it is not fooled. Per-rule cases are in rules.test.ts.
import { describe, expect, it } from 'vitest';
import { CLASS_INFO, FAILURE_CLASSES } from '../contract/classes.js';
import { CLEAN_RULE, classify, classifyFailure, evidenceFromJson, UNMATCHED_RULE } from './classify.js';
import { redact } from './redact.js';
import { extractCode } from './stderr.js';
import type { FailureEvidence } from './types.js';

describe('error code extraction', () => {
  it.each([
    [`mysqldump: Got error: 1045: Access denied for user 'x'@'localhost' (using password: YES) when trying to connect`, 1045],
    [`mariadb-dump: Got error: 144: "Table './db/m' is marked as crashed" when doing LOCK TABLES`, 144],
    ['mysqldump: Error 2013: Lost connection to MySQL server during query when dumping table `t` at row: 1234', 2013],
    ["mysqldump: Couldn't execute 'SHOW TRIGGERS LIKE 't'': TRIGGER command denied to user 'b'@'h' for table 't' (1142)", 1142],
    [`ERROR 1045 (28000): Access denied for user 'x'@'localhost' (using password: YES)`, 1045],
  ])('reads the code from %s', (line, code) => {
    expect(extractCode(line)).toBe(code);
  });

  it('does not take an OS errno in parentheses for an error code', () => {
    expect(extractCode(`Can't connect to MySQL server on 'db' (111)`)).toBeNull();
    expect(extractCode(`Can't connect to MySQL server on 'db' (10061)`)).toBeNull();
  });
});

describe('precedence', () => {
  it('prefers an error code to a bare wording', () => {
    const c = classify({
      tool: 'mysqldump',
      exitCode: 3,
      stderr: [
        `mysqldump: Error: 'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation' when trying to dump tablespaces`,
        'mysqldump: Error 2013: Lost connection to MySQL server during query when dumping table `orders` at row: 10',
      ].join('\n'),
    });
    expect(c.rule).toBe('connection-lost');
    expect(c.code).toBe(2013);
  });

  it('takes the first fatal line, not the consequences after it', () => {
    const c = classify({
      tool: 'mysqldump',
      exitCode: 3,
      stderr: [
        'mysqldump: Error 2013: Lost connection to MySQL server during query when dumping table `orders` at row: 10',
        "mysqldump: Couldn't execute 'UNLOCK TABLES': MySQL server has gone away (2006)",
      ].join('\n'),
    });
    expect(c.rule).toBe('connection-lost');
  });

  it('ignores warnings', () => {
    const c = classify({
      tool: 'mysqldump',
      exitCode: 2,
      stderr: [
        'mysqldump: [Warning] Using a password on the command line interface can be insecure.',
        '-- Warning: column statistics not supported by the server.',
        `mysqldump: Got error: 1049: Unknown database 'shop_old' when selecting the database`,
      ].join('\n'),
    });
    expect(c.rule).toBe('unknown-database');
    expect(c.detail).toContain('1049');
  });

  it('reads 1045 on an executed statement as a missing privilege, not bad credentials', () => {
    const c = classify({
      tool: 'mysqldump',
      exitCode: 2,
      stderr: "mysqldump: Couldn't execute 'FLUSH TABLES WITH READ LOCK': Access denied for user 'admin'@'%' (using password: YES) (1045)",
    });
    expect(c.class).toBe('privilege');
  });

  it('blames the deadline, not the kill the agent sent because of it', () => {
    const c = classify({
      tool: 'mariadb-dump',
      exitCode: null,
      signal: 'SIGTERM',
      stderr: 'mariadb-dump: Error 2013: Lost connection to server during query when dumping table `t` at row: 5',
      facts: { deadlineExceeded: true, killedByAgent: true },
    });
    expect(c.class).toBe('timeout');
  });

  it('blames the full repository, not the broken pipe the dump saw', () => {
    const c = classify({
      tool: 'mariadb-dump',
      exitCode: 5,
      stderr: 'mariadb-dump: Got errno 32 on write',
      osErrors: [{ code: 'ENOSPC', syscall: 'write', path: '/backups/shop/x.partial' }],
    });
    expect(c).toMatchObject({ class: 'disk_full', code: 'ENOSPC', severity: 'critical', retryable: true });
  });

  it('puts a fatal stderr error before observations on the content', () => {
    const c = classify({
      tool: 'mariadb-dump',
      exitCode: 2,
      stderr: `mariadb-dump: Got error: 1045: "Access denied for user 'b'@'h' (using password: YES)" when trying to connect`,
      facts: { lossyCharset: true, preflightFailedCheck: 'connect' },
    });
    expect(c.class).toBe('auth');
  });

  it('uses the spawn error, not a generic missing path, for a missing tool', () => {
    const c = classify({ tool: 'mysqldump', exitCode: null, osErrors: [{ code: 'ENOENT', syscall: 'spawn mysqldump', path: 'mysqldump' }] });
    expect(c).toMatchObject({ class: 'not_found', rule: 'tool-missing' });
    expect(c.hint).toContain('mysqldump');
  });
});

describe('not fooled', () => {
  it('never calls exit 0 without the trailer clean', () => {
    const c = classify({ tool: 'mariadb-dump', exitCode: 0, signal: null, stderr: '', trailerPresent: false });
    expect(c).toMatchObject({ class: 'verification', rule: 'dump-truncated', severity: 'critical' });
  });

  it('calls a cut dump verification even when stderr shows a non-fatal error', () => {
    const c = classify({
      tool: 'mysqldump',
      exitCode: 0,
      trailerPresent: false,
      stderr: `mysqldump: Error: 'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation' when trying to dump tablespaces`,
    });
    expect(c.class).toBe('verification');
  });

  it('calls a cut dump with a signal killed', () => {
    expect(classify({ exitCode: 0, signal: 'SIGKILL', trailerPresent: false }).class).toBe('killed');
    expect(classify({ exitCode: null, signal: 'SIGTERM', trailerPresent: false }).class).toBe('killed');
  });

  it('classifies a signal with empty stderr', () => {
    const c = classify({ tool: 'mysqldump', exitCode: null, signal: 'SIGKILL', stderr: '' });
    expect(c).toMatchObject({ class: 'killed', rule: 'killed-by-signal', retryable: true });
    expect(c.hint).toContain('SIGKILL');
  });

  it('accepts signal names without the SIG prefix', () => {
    expect(classify({ exitCode: null, signal: 'kill' }).rule).toBe('killed-by-signal');
  });

  describe('a compressor failure while the dump exited 0', () => {
    const dumpOk = { tool: 'mariadb-dump', exitCode: 0, signal: null, stderr: '', trailerPresent: true } as const;

    it('is disk_full when the compressor says so', () => {
      const c = classify({ ...dumpOk, compressor: { name: 'gzip', exitCode: 1, signal: null, stderr: 'gzip: stdout: No space left on device' } });
      expect(c).toMatchObject({ class: 'disk_full', rule: 'compressor-disk-full' });
      expect(c.detail).toBe('gzip: stdout: No space left on device');
    });

    it('is killed when the compressor was killed', () => {
      const c = classify({ ...dumpOk, compressor: { name: 'zstd', exitCode: null, signal: 'SIGKILL', stderr: '' } });
      expect(c).toMatchObject({ class: 'killed', rule: 'compressor-killed' });
    });

    it('is unknown, never a success, otherwise', () => {
      const c = classify({ ...dumpOk, compressor: { name: 'zstd', exitCode: 1, signal: null, stderr: '' } });
      expect(c).toMatchObject({ class: 'unknown', rule: 'compressor-failed' });
      expect(c.hint).toContain('zstd');
    });

    it('ignores a compressor that exited 0', () => {
      const c = classify({ ...dumpOk, compressor: { name: 'zstd', exitCode: 0, signal: null, stderr: '' } });
      expect(c).toMatchObject({ class: 'none', rule: CLEAN_RULE });
    });
  });

  it('reports unmatched evidence as unknown with the first error line', () => {
    const c = classify({ tool: 'mariadb-dump', exitCode: 2, stderr: 'mariadb-dump: Got error: 1799: "Something new" when doing X\nsecond line' });
    expect(c).toMatchObject({ class: 'unknown', rule: UNMATCHED_RULE, code: 1799, hint: CLASS_INFO.unknown.firstAction });
    expect(c.detail).toContain('Something new');
  });

  it('fills severity and retryable from the class table', () => {
    for (const cls of FAILURE_CLASSES) expect(CLASS_INFO[cls]).toBeDefined();
    const c = classify({ exitCode: 2, stderr: `mysqldump: Got error: 1049: Unknown database 'x' when selecting the database` });
    expect(c).toMatchObject({ severity: CLASS_INFO.not_found.severity, retryable: false });
  });
});

describe('any evidence, including a good run', () => {
  const trailer = '-- Dump completed on 2026-12-06  2:00:14\n';

  it.each([
    ['a quiet dump with its trailer', { tool: 'mariadb-dump', exitCode: 0, signal: null, stderr: '', stdoutTail: trailer }],
    ['warnings and --verbose progress', { tool: 'mysqldump', exitCode: 0, signal: null, stdoutTail: trailer,
      stderr: 'mysqldump: [Warning] Using a password on the command line interface can be insecure.\n-- Connecting to localhost...\n-- Retrieving table structure for table `orders`...\n-- Disconnecting from localhost...' }],
    ['a two-line warning (mysqldump 8.4)', { tool: 'mysqldump', exitCode: 0, signal: null, stdoutTail: trailer,
      stderr: 'Warning: A dump from a server that has GTIDs enabled will by default include the GTIDs of all transactions.\nIn order to ensure a consistent backup of the database, pass --single-transaction or --lock-all-tables or --source-data.' }],
    ['mariadb-backup\'s log ending in completed OK!', { tool: 'mariadb-backup', exitCode: 0, signal: null,
      stderr: '[00] 2026-12-06 03:18:26 Connecting to MariaDB server host: 127.0.0.1, user: backup, password: set, port: 3306, socket: not set\n2026-12-06  3:18:26 0 [Note] InnoDB: Starting shutdown...\n[00] 2026-12-06 03:18:26 completed OK!' }],
    ['mydumper -v 3', { tool: 'mydumper', exitCode: 0, signal: null, stderr: '** Message: 03:17:14.625: Thread 1 dumping data for `shop`.`orders`' }],
    ['a tool named with its path and version', { tool: '/usr/bin/mysqldump (MySQL 8.0.36)', exitCode: 0, signal: null, stderr: '', stdoutTail: trailer }],
  ] as [string, FailureEvidence][])('calls %s none', (_name, evidence) => {
    expect(classify(evidence)).toMatchObject({ class: 'none', retryable: false, severity: 'info', rule: CLEAN_RULE });
  });

  it('never calls an exit 0 with an error line clean', () => {
    const c = classify({ tool: 'mysqldump', exitCode: 0, signal: null, stdoutTail: trailer,
      stderr: `mysqldump: Error: 'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation' when trying to dump tablespaces` });
    expect(c).toMatchObject({ class: 'privilege', rule: 'privilege-tablespaces' });
    expect(classify({ tool: 'mariadb-dump', exitCode: 0, stdoutTail: trailer, stderr: 'mariadb-dump: something new went wrong' }).class).toBe('unknown');
  });

  it('calls a lost connection without the trailer connection, not verification', () => {
    const c = classify({ tool: 'mysqldump', exitCode: 0, trailerPresent: false, stderr: 'mysqldump: Error 2013: Lost connection to MySQL server during query when dumping table `orders` at row: 10' });
    expect(c.class).toBe('connection');
  });

  it.each([
    [137, 'SIGKILL', 'killed'],
    [143, 'SIGTERM', 'killed'],
    [130, 'SIGINT', 'killed'],
    [139, 'SIGSEGV', 'unknown'],
    [153, 'SIGXFSZ', 'disk_full'],
  ] as const)('reads a shell status %i as %s', (exitCode, signal, cls) => {
    const c = classify({ tool: 'mariadb-dump', exitCode, signal: null, stderr: '' });
    expect(c.class).toBe(cls);
    expect(c.detail).toContain(signal);
  });

  it.each([
    ['Killed', 'killed'],
    ['bash: line 1:  4242 Killed                  mariadb-dump shop', 'killed'],
    ['[88123.61] Out of memory: Killed process 4242 (mysqldump) total-vm:2097152kB', 'killed'],
    ['Segmentation fault (core dumped)', 'unknown'],
  ] as const)('reads the report %j', (stderr, cls) => {
    expect(classify({ tool: 'mysqldump', exitCode: 1, signal: null, stderr }).class).toBe(cls);
  });

  it('calls timeout(1)\'s status 124 timeout, whatever it sent', () => {
    expect(classify({ tool: 'mariadb-dump', exitCode: 124, signal: null, stderr: '' })).toMatchObject({ class: 'timeout', rule: 'wrapper-timeout' });
  });

  it('reads only the program name from the tool field', () => {
    const stderr = `** (mydumper:1): CRITICAL **: 03:17:30.488: Unable to create \`/backups/x': No such file or directory`;
    expect(classify({ tool: 'mydumper (0.16.7)', exitCode: 1, stderr }).class).toBe('config');
  });

  it("reads mydumper's CRITICAL lines on stdout even when a wrapper exited 0", () => {
    // mydumper … 2>&1 | tee log, without pipefail: the error is in the output, the status is tee's.
    const stdoutTail = "\n** (mydumper:28840): CRITICAL **: 07:09:41.678: Error connecting to database: Access denied for user 'bk'@'localhost' (using password: YES)\n";
    expect(classify({ tool: 'mydumper', exitCode: 0, signal: null, stderr: '', stdoutTail }).class).toBe('auth');
    // Its progress messages on stdout are no error.
    expect(classify({ tool: 'mydumper', exitCode: 0, signal: null, stderr: '', stdoutTail: '** Message: 03:17:14.625: Thread 1 shutting down' }).class).toBe('none');
  });

  it('takes a note as the cause only when the run failed and nothing else says why', () => {
    const note = '2026-02-03T02:00:11.665886-00:00 0 [Note] [MY-011825] [Xtrabackup] Unable to obtain lock. Please try again later.';
    expect(classify({ tool: 'xtrabackup', exitCode: 1, stderr: note }).class).toBe('lock_timeout');
    expect(classify({ tool: 'xtrabackup', exitCode: 0, stderr: `${note}\n… completed OK!` }).class).toBe('none');
    const denied = '2026-02-03T02:00:02.098400-00:00 0 [ERROR] [MY-011825] [Xtrabackup]  missing required privilege RELOAD on *.*';
    expect(classify({ tool: 'xtrabackup', exitCode: 1, stderr: `${note}\n${denied}` }).class).toBe('privilege');
  });

  it('never returns none through classifyFailure', () => {
    expect(classifyFailure({ tool: 'mariadb-dump', exitCode: 0, stdoutTail: trailer, stderr: '' })).toMatchObject({ class: 'unknown', rule: UNMATCHED_RULE });
  });
});

describe('password redaction', () => {
  it('masks a password leaked through a mistyped option, in detail and hint', () => {
    const c = classify({ tool: 'mysqldump', exitCode: 2, stderr: `mysqldump: [ERROR] unknown option '--passwrod=hunter2'.` });
    expect(c.rule).toBe('unknown-option');
    expect(c.detail).toBe(`mysqldump: [ERROR] unknown option '--passwrod=***'.`);
    expect(c.hint).not.toContain('hunter2');
  });

  it('masks a password in a defaults-file line', () => {
    const c = classify({ tool: 'mariadb-dump', exitCode: 7, stderr: `mariadb-dump: unknown variable 'pasword=Tr0ub4dor&3'` });
    expect(`${c.detail} ${c.hint}`).not.toContain('Tr0ub4dor');
  });

  it('masks credentials in an agent config error', () => {
    const c = classify({ facts: { configError: 'targets.shop.url: mysql://backup:s3cret@db:3306/shop is not valid' } });
    expect(`${c.detail} ${c.hint}`).not.toContain('s3cret');
  });

  it.each([
    ['mysqldump -h db -u backup -phunter2 shop', 'mysqldump -h db -u backup -p*** shop'],
    ['MYSQL_PWD=hunter2 mysqldump shop', 'MYSQL_PWD=*** mysqldump shop'],
    ['--password="hunter2" --port=3306', '--password="***" --port=3306'],
    ["CREATE USER 'b'@'%' IDENTIFIED BY 'hunter2'", "CREATE USER 'b'@'%' IDENTIFIED BY '***'"],
  ])('masks %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('keeps what is not a secret', () => {
    const line = `mariadb-dump: Got error: 1045: "Access denied for user 'b'@'h' (using password: YES)" when trying to connect`;
    expect(redact(line)).toBe(line);
    expect(redact('mysqldump -h db -P 3306 shop')).toBe('mysqldump -h db -P 3306 shop');
  });
});

describe('evidenceFromJson', () => {
  it('accepts the warden classify stdin object', () => {
    const parsed = evidenceFromJson({ tool: 'mysqldump', exitCode: 2, signal: null, stderr: 'x', stdoutTail: '' });
    expect(parsed.ok).toBe(true);
  });

  it('accepts the optional evidence fields', () => {
    const parsed = evidenceFromJson({
      tool: 'mariadb-dump',
      exitCode: null,
      signal: 'SIGKILL',
      stderr: '',
      stdoutTail: '',
      trailerPresent: false,
      osErrors: [{ code: 'ENOSPC', syscall: 'write', path: '/b' }],
      compressor: { name: 'zstd', exitCode: 1, signal: null, stderr: '' },
      facts: { deadlineExceeded: true, missingObjects: ['db.v'] },
    });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    [{ exitCode: '2' }, '"exitCode"'],
    [{ stdrr: 'x' }, '"stdrr"'],
    [{ osErrors: [{ code: 28 }] }, '"osErrors.0.code"'],
    [{ facts: { deadline: true } }, '"facts.deadline"'],
    [{ compressor: { name: 'zstd' } }, '"compressor.exitCode"'],
  ])('names the bad key of %j', (input, key) => {
    const parsed = evidenceFromJson(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(key);
  });

  it('rejects what is not an object', () => {
    const parsed = evidenceFromJson(['stderr']);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^evidence: /);
  });
});
