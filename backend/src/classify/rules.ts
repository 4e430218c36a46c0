// The classifier's rule table: which evidence means which failure class, and what to tell the
// operator. Wordings were checked against mysqldump.cc (MySQL 8, MariaDB), the server and client
// error-message files of both, and real mariadb-dump 10.11 output.
import { constants } from 'node:os';
import type { FailureClass } from '../contract/classes.js';
import type { FailureEvidence } from './types.js';

export type FactName = keyof NonNullable<FailureEvidence['facts']>;

/** Where a rule looks. */
export type EvidenceSource =
  | 'fact' // an agent fact is set; `patterns` test its text (e.g. the pre-flight check name)
  | 'os' // an OS error the agent hit: `osCodes`, optionally `syscall`
  | 'storage' // an error of the repository's storage: its name or code in `storageCodes`, its HTTP status in `statuses`, or `patterns` on its message
  | 'signal' // the signal that ended the tool (given, a shell's 128+N status, a `Killed` line): `signals`
  | 'exit' // the tool's exit status, as a wrapper or shell reports it: `exitCodes`
  | 'compressor' // the compressor failed: `signals` or `patterns` on its stderr; neither = any failure
  | 'stderr' // a dump stderr line: its error code is in `codes`, or one of `patterns` matches
  | 'truncated'; // exit 0 but the completion trailer is missing

export interface Rule {
  /** Stable: logs, tests and dashboards refer to it. */
  readonly id: string;
  readonly class: FailureClass;
  readonly source: EvidenceSource;
  /** Higher wins; see PRIORITY. */
  readonly priority: number;
  readonly codes?: readonly number[];
  /** Named groups feed the hint; table-like groups are normalised (`./db/t` → `db.t`). */
  readonly patterns?: readonly RegExp[];
  readonly signals?: readonly string[];
  readonly exitCodes?: readonly number[];
  readonly osCodes?: readonly string[];
  readonly syscall?: RegExp;
  readonly storageCodes?: readonly string[];
  readonly statuses?: readonly number[];
  readonly fact?: FactName;
  /** The wording names a failure even when the tool prints it as a warning and exits 0. */
  readonly evenAsWarning?: boolean;
  /** One line for the operator; `{name|fallback}` takes a captured value. Default: the class's firstAction. */
  readonly hint?: string;
}

/**
 * Precedence, highest first. Among equal priorities an error code beats a bare wording, then the
 * earliest line wins: without --force the dump stops at its first error, and with --force (or
 * after a lost connection) later errors are mostly consequences (2006 after 2013, EPIPE after the
 * reader died). The table order breaks any remaining tie.
 */
export const PRIORITY = {
  /** Nothing could run: invalid config, dump tool missing. */
  setup: 100,
  /** The agent's own I/O failed; the dump's errors that follow are consequences. */
  agentIo: 90,
  /** The agent stopped the run at its deadline or on a stall; stderr after that is a consequence. */
  deadline: 85,
  /** The compressor said why it failed. */
  compressor: 80,
  agentKill: 75,
  signal: 70,
  /** The compressor failed without saying why: still never a success. */
  compressorFailed: 60,
  /** A wording that refines an error code (1045 after login is a missing privilege, not a bad password). */
  stderrRefined: 55,
  stderr: 50,
  /** The tool crashed: what it printed before (out of memory) explains it better. */
  crash: 49,
  /** Exit 0 without the trailer: the stream was cut, and no error line says why. */
  truncated: 48,
  /** Observations on a dump that otherwise ran: secondary to a fatal error. */
  content: 45,
  preflight: 40,
} as const;

/** Signals that mean the program crashed (a fault in it), not that someone stopped it. */
const CRASH_SIGNALS = ['SIGSEGV', 'SIGBUS', 'SIGABRT', 'SIGILL', 'SIGFPE', 'SIGSYS', 'SIGTRAP'];
/** Every other signal that ends a program by default: someone (or something) stopped it. */
const KILL_SIGNALS = Object.keys(constants.signals).filter((s) => !CRASH_SIGNALS.includes(s) && !['SIGPIPE', 'SIGXFSZ', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGWINCH'].includes(s));

// Codes above 4000 mean different things in MySQL and MariaDB (4031 is MySQL's idle disconnect but
// MariaDB's missing referenced trigger), so those are matched by wording only.
export const RULES: readonly Rule[] = [
  // --- agent facts and OS errors -------------------------------------------------------------
  { id: 'config-agent', class: 'config', source: 'fact', fact: 'configError', priority: PRIORITY.setup,
    hint: 'Fix the configuration: {value|see the log}.' },
  { id: 'tool-missing', class: 'not_found', source: 'os', osCodes: ['ENOENT'], syscall: /^spawn\b/, priority: PRIORITY.setup,
    hint: 'Install {path|the dump tool} on the agent host (mariadb-client or mysql-client) or set its path in the config.' },
  { id: 'disk-full-repository', class: 'disk_full', source: 'os', osCodes: ['ENOSPC'], priority: PRIORITY.agentIo,
    hint: 'No space left at {path|the repository}: let retention prune old backups, then expand the disk.' },
  { id: 'disk-quota-repository', class: 'disk_full', source: 'os', osCodes: ['EDQUOT'], priority: PRIORITY.agentIo,
    hint: 'The disk quota of the agent user is used up at {path|the repository}: raise the quota or prune old backups.' },
  { id: 'file-size-limit', class: 'disk_full', source: 'os', osCodes: ['EFBIG'], priority: PRIORITY.agentIo,
    hint: '{path|The backup file} hit the file size limit: raise `ulimit -f` (LimitFSIZE) or use a filesystem that allows larger files.' },
  { id: 'file-size-signal', class: 'disk_full', source: 'signal', signals: ['SIGXFSZ'], priority: PRIORITY.agentIo,
    hint: 'The dump was stopped by SIGXFSZ: raise the file size limit of the agent (`ulimit -f`, LimitFSIZE).' },
  // Permission problems on the repository are deployment configuration (owner, mode, mount), not
  // database grants (`privilege`), and no retry fixes them.
  { id: 'repository-not-writable', class: 'config', source: 'os', osCodes: ['EACCES', 'EPERM', 'EROFS'], priority: PRIORITY.agentIo,
    hint: 'The agent cannot write {path|the repository}: fix its owner, mode or read-only mount.' },
  { id: 'repository-path-missing', class: 'config', source: 'os', osCodes: ['ENOENT', 'ENOTDIR'], syscall: /^(?!spawn\b)/, priority: PRIORITY.agentIo,
    hint: '{path|A configured path} does not exist: create the repository directory or fix the path in the config.' },
  { id: 'agent-out-of-memory', class: 'out_of_memory', source: 'os', osCodes: ['ENOMEM'], priority: PRIORITY.agentIo,
    hint: 'The agent host ran out of memory: check its memory limit and what else runs there.' },
  { id: 'deadline-exceeded', class: 'timeout', source: 'fact', fact: 'deadlineExceeded', priority: PRIORITY.deadline },
  { id: 'dump-stalled', class: 'timeout', source: 'fact', fact: 'stalledSeconds', priority: PRIORITY.deadline,
    hint: 'The dump made no progress for {value|many} seconds: look for a lock or a stuck server (SHOW PROCESSLIST), then raise the stall limit.' },

  // --- object storage (storage/s3.ts) --------------------------------------------------------
  // Error codes from Amazon S3's "Error responses" reference (docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
  // and the SDK's own retry tables (@smithy/core's retry: THROTTLING_ERROR_CODES, TRANSIENT_ERROR_CODES,
  // NODEJS_*_ERROR_CODES); the credential, bucket, policy and network cases were seen from Ceph's
  // radosgw (test/storageFailures.test.ts).
  { id: 'storage-credentials', class: 'storage_credentials', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'CredentialsProviderError'],
    hint: 'The object storage refused the credentials ({code|see the log}): check the key id and secret that s3.accessKeyEnv / s3.secretKeyEnv or s3.credentialsFile give.' },
  // Signatures carry the time; the SDK corrects a skew it sees, a host clock far off still fails.
  { id: 'storage-clock-skew', class: 'config', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture'],
    hint: 'The object storage refused the request\'s time ({code|}): synchronise the agent host\'s clock (NTP).' },
  { id: 'storage-access-denied', class: 'storage_access_denied', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['AccessDenied', 'AllAccessDisabled'] },
  // HEAD answers carry no body: a 403 there names no code (the SDK calls it `Unknown`).
  { id: 'storage-forbidden', class: 'storage_access_denied', source: 'storage', priority: PRIORITY.agentIo, statuses: [403],
    hint: 'The object storage answered 403 without a reason (a HEAD request): the key or a bucket policy refuses access; a wrong secret looks the same there.' },
  { id: 'storage-no-bucket', class: 'storage_no_bucket', source: 'storage', priority: PRIORITY.agentIo, storageCodes: ['NoSuchBucket'] },
  // "SlowDown: Please reduce your request rate." (503) and "ServiceUnavailable: Reduce your request
  // rate." (503) in S3's error reference; its error best practices say to retry InternalError (500).
  { id: 'storage-throttled', class: 'storage_throttled', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException',
      'TooManyRequestsException', 'RequestLimitExceeded', 'BandwidthLimitExceeded', 'ServiceUnavailable'],
    statuses: [429, 503],
    hint: 'The object storage asked the agent to slow down ({code|503}): the copy backs off and retries; if it persists, lower scheduler.concurrency.' },
  { id: 'storage-unavailable', class: 'storage_throttled', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['InternalError'], statuses: [500, 502, 504],
    hint: 'The object storage failed the request on its side ({code|5xx}): the copy backs off and retries; if it persists, check the provider\'s status.' },
  { id: 'storage-network', class: 'storage_network', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED',
      'RequestTimeout', 'RequestTimeoutException', 'TimeoutError'],
    hint: 'The object storage could not be reached ({code|network error}): check s3.endpoint, DNS, the firewall and any proxy between the agent and it.' },
  // BadDigest: Content-MD5 differs; XAmzContentChecksumMismatch: an x-amz-checksum-* header differs;
  // the SDK's response validation says `Checksum mismatch: expected …`; ChecksumMismatch is the
  // agent's own read-back.
  { id: 'storage-checksum', class: 'checksum_mismatch', source: 'storage', priority: PRIORITY.agentIo,
    storageCodes: ['BadDigest', 'XAmzContentChecksumMismatch', 'ChecksumMismatch'], patterns: [/^Checksum mismatch: expected/] },

  // --- the compressor ------------------------------------------------------------------------
  { id: 'compressor-disk-full', class: 'disk_full', source: 'compressor', priority: PRIORITY.compressor,
    signals: ['SIGXFSZ'], patterns: [/No space left on device/i, /Disk quota exceeded/i, /File too large/i],
    hint: 'The compressor {name|} could not write the backup (disk full or size limit): let retention prune, then expand the disk.' },
  { id: 'compressor-killed', class: 'killed', source: 'compressor', signals: KILL_SIGNALS, priority: PRIORITY.compressor,
    hint: 'The compressor {name|} was killed by {signal|a signal}: check the OOM killer (dmesg) and who sent it.' },
  { id: 'compressor-out-of-memory', class: 'out_of_memory', source: 'compressor', priority: PRIORITY.compressor,
    patterns: [/Cannot allocate memory/i, /out of memory/i, /not enough memory/i, /memory allocation/i],
    hint: 'The compressor {name|} ran out of memory: lower its level or window, or raise the memory limit.' },
  { id: 'compressor-failed', class: 'unknown', source: 'compressor', priority: PRIORITY.compressorFailed,
    hint: 'The compressor {name|} failed ({status|no status}): read its stderr in the run log.' },

  // --- signals and kills ---------------------------------------------------------------------
  { id: 'killed-by-agent', class: 'killed', source: 'fact', fact: 'killedByAgent', priority: PRIORITY.agentKill,
    hint: 'The agent stopped the dump (cancelled by an operator or shutting down): run it again when ready.' },
  { id: 'killed-by-signal', class: 'killed', source: 'signal', signals: KILL_SIGNALS, priority: PRIORITY.signal,
    hint: 'The dump was killed by {signal|a signal}: check the OOM killer (dmesg, journal) and who sent it.' },
  // Below the stderr rules: a tool that aborts says why first (GLib and C++ abort on a failed allocation).
  { id: 'tool-crashed', class: 'unknown', source: 'signal', signals: CRASH_SIGNALS, priority: PRIORITY.crash,
    hint: 'The dump tool crashed ({signal|a fatal signal}): check its version against the server and look for a core dump.' },
  { id: 'broken-pipe', class: 'unknown', source: 'signal', signals: ['SIGPIPE'], priority: PRIORITY.signal,
    hint: 'The reader of the dump (compressor) went away: read the compressor part of the run log.' },
  // timeout(1) exits 124 when its limit ran out, whatever signal it sent (coreutils' timeout.c);
  // `timeout -v` also says so on stderr. The limit, not the signal, is the cause.
  { id: 'wrapper-timeout', class: 'timeout', source: 'exit', exitCodes: [124], priority: PRIORITY.deadline,
    hint: 'A time limit around the tool (timeout(1), exit status 124) stopped it: raise that limit or the deadline, or dump per table in parallel.' },
  { id: 'wrapper-timeout-message', class: 'timeout', source: 'stderr', priority: PRIORITY.deadline,
    patterns: [/^timeout: sending signal \w+ to command/],
    hint: 'timeout(1) stopped the tool when its limit ran out: raise that limit or the deadline, or dump per table in parallel.' },
  // POSIX shells: 127 the command was not found (or a shared library is missing), 126 not executable.
  // Above the path rules: `bash: line 1: /usr/bin/mysqldump: No such file or directory` reads like a
  // failed redirection, and only the status tells them apart.
  { id: 'shell-not-found', class: 'not_found', source: 'exit', exitCodes: [127], priority: PRIORITY.stderrRefined,
    hint: 'The shell could not run the tool (exit status 127): install it (mariadb-client or mysql-client) with its libraries, or fix its path.' },
  { id: 'shell-not-executable', class: 'config', source: 'exit', exitCodes: [126], priority: PRIORITY.stderrRefined,
    hint: 'The shell found the tool but could not execute it (exit status 126): fix its mode, owner or the noexec mount.' },

  // --- auth ----------------------------------------------------------------------------------
  { id: 'auth-access-denied', class: 'auth', source: 'stderr', codes: [1045], priority: PRIORITY.stderr,
    patterns: [/Access denied for user (?<user>'[^']*'@'[^']*') \(using password: (?:YES|NO)\)/],
    hint: 'Access denied for {user|the backup user}: check the user name, the password source and the host it may connect from.' },
  { id: 'auth-no-password', class: 'auth', source: 'stderr', codes: [1698], priority: PRIORITY.stderr,
    patterns: [/Access denied for user (?<user>'[^']*'@'[^']*')"?\s*(?:when\b|$)/],
    hint: '{user|The backup user} cannot log in this way (unix_socket or auth_socket account): use a dedicated backup user with a password.' },
  { id: 'auth-host-not-allowed', class: 'auth', source: 'stderr', codes: [1130], priority: PRIORITY.stderr,
    patterns: [/Host '(?<host>[^']*)' is not allowed to connect to this (?:MySQL|MariaDB) server/],
    hint: 'The backup user may not connect from {host|the agent host}: CREATE USER / GRANT for that host.' },
  // 1524: MySQL 8.4 no longer loads mysql_native_password by default.
  { id: 'auth-plugin', class: 'auth', source: 'stderr', codes: [1251, 1524, 2059, 2061], priority: PRIORITY.stderr,
    patterns: [/Authentication plugin '(?<plugin>[^']+)' (?:cannot be loaded|reported error)/, /Plugin (?<plugin>\S+) could not be loaded/,
      /Plugin '(?<plugin>[^']+)' is not loaded/,
      /Client does not support authentication protocol requested by server/],
    hint: 'The client cannot use the auth plugin {plugin|the server asks for}: use the matching client (mysqldump for MySQL 8) or enable TLS / --get-server-public-key.' },
  { id: 'auth-password-expired', class: 'auth', source: 'stderr', codes: [1820, 1862], priority: PRIORITY.stderr,
    patterns: [/Your password has expired/, /You must (?:SET PASSWORD|reset your password)/],
    hint: 'The backup user\'s password has expired: set a new one (ALTER USER ... PASSWORD EXPIRE NEVER for a service account).' },
  // MySQL's require_secure_transport refuses the login itself over plain TCP.
  { id: 'auth-insecure-transport', class: 'auth', source: 'stderr', codes: [3159], priority: PRIORITY.stderr,
    patterns: [/Connections using insecure transport are prohibited/],
    hint: 'The server accepts only TLS connections (require_secure_transport): connect with TLS (ssl-mode=REQUIRED and the CA options).' },
  { id: 'auth-account-locked', class: 'auth', source: 'stderr', codes: [3118], priority: PRIORITY.stderr,
    patterns: [/Account is locked/, /this account is locked/],
    hint: 'The backup account is locked: ALTER USER ... ACCOUNT UNLOCK.' },

  // --- privilege -----------------------------------------------------------------------------
  { id: 'privilege-after-login', class: 'privilege', source: 'stderr', priority: PRIORITY.stderrRefined,
    patterns: [/Couldn't execute '(?<statement>[^']{1,60})[^']*': Access denied for user '[^']*'@'[^']*' \(using password/,
      /Access denied for user '[^']*'@'[^']*' \(using password: (?:YES|NO)\)"? when (?!trying to connect)(?<statement>[\w ]+)/],
    hint: 'The server refused {statement|a statement} after login, so a privilege is missing (managed servers forbid FLUSH TABLES WITH READ LOCK: use --single-transaction).' },
  { id: 'privilege-database', class: 'privilege', source: 'stderr', codes: [1044], priority: PRIORITY.stderr,
    patterns: [/Access denied for user '[^']*'@'[^']*' to database '(?<db>[^']*)'/],
    hint: 'Grant the backup user SELECT, LOCK TABLES, SHOW VIEW, TRIGGER and EVENT on {db|the database} (or dump with --single-transaction).' },
  { id: 'privilege-table', class: 'privilege', source: 'stderr', codes: [1142], priority: PRIORITY.stderr,
    patterns: [/\b(?<command>[A-Z][A-Z ]*?) command denied to user '[^']*'@'[^']*' for table (?<table>`[^`]+`(?:\.`[^`]+`)?|'[^']+')/],
    hint: 'Grant {command|the missing} privilege on {table|the table} to the backup user.' },
  { id: 'privilege-column', class: 'privilege', source: 'stderr', codes: [1143], priority: PRIORITY.stderr,
    patterns: [/\b(?<command>[A-Z][A-Z ]*?) command denied to user '[^']*'@'[^']*' for column '(?<column>[^']+)' in table '(?<table>[^']+)'/],
    hint: 'Grant {command|SELECT} on {table|the table} (column {column|named in the log}) to the backup user, not only on some columns.' },
  { id: 'privilege-routine', class: 'privilege', source: 'stderr', codes: [1370], priority: PRIORITY.stderr,
    patterns: [/\b(?<command>[A-Z][A-Z ]*?) command denied to user '[^']*'@'[^']*' for routine '(?<routine>[^']+)'/],
    hint: 'Grant {command|SHOW ROUTINE / EXECUTE} on routine {routine|named in the log} to the backup user.' },
  { id: 'privilege-global', class: 'privilege', source: 'stderr', codes: [1227], priority: PRIORITY.stderr,
    patterns: [/^(?!.*when trying to dump tablespaces).*?you need \(at least one of\) the (?<privilege>[A-Z][\w ,]*?) privilege\(s\)/],
    hint: 'Grant the backup user {privilege|the privilege named in the log} ON *.* (or drop the dump option that needs it).' },
  // 1235 (ER_NOT_SUPPORTED_YET) is filed under privilege, as a missing grant most often causes it; the hint says what it really is.
  // mysqldump 8 when SHOW CREATE of a routine returns no body; XtraBackup's --check-privileges.
  { id: 'privilege-insufficient', class: 'privilege', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/has insufficient privileges to (?<statement>[A-Z][A-Z ]+[A-Z])/, /missing required privilege (?<privilege>[A-Z][\w ]*?) on (?<object>\S+)/],
    hint: 'Grant the backup user the privilege the message names ({privilege|SHOW_ROUTINE, or SELECT on mysql.proc, to read routine bodies}).' },
  // Creating routines or triggers with binary logging on needs SUPER unless log_bin_trust_function_creators.
  { id: 'privilege-binlog-routines', class: 'privilege', source: 'stderr', codes: [1419], priority: PRIORITY.stderr,
    patterns: [/You do not have the SUPER privilege and binary logging is enabled/],
    hint: 'Loading routines and triggers with the binary log on needs SUPER (or log_bin_trust_function_creators = 1 on the server).' },
  { id: 'privilege-not-supported', class: 'privilege', source: 'stderr', codes: [1235], priority: PRIORITY.stderr,
    patterns: [/This version of (?:MySQL|MariaDB) doesn't yet support '(?<feature>[^']+)'/],
    hint: 'The server refused {feature|an operation} for this user or version: check the backup user\'s grants and drop the dump option that needs it.' },
  // MySQL 8's mysqldump prints this, dumps on, and exits 0 (mysqldump.cc, dump_all_tablespaces):
  // the dump is whole, so a cut stream or a fatal error elsewhere explains a failure better.
  { id: 'privilege-tablespaces', class: 'privilege', source: 'stderr', priority: PRIORITY.content,
    patterns: [/Error: '.*?you need \(at least one of\) the (?<privilege>[A-Z][\w ,]*?) privilege\(s\).*' when trying to dump tablespaces/],
    hint: 'Grant the backup user {privilege|PROCESS} ON *.* (needed to read tablespaces), or dump with --no-tablespaces.' },
  { id: 'privilege-hidden-objects', class: 'privilege', source: 'fact', fact: 'missingObjects', priority: PRIORITY.content,
    hint: 'The backup user cannot see {value|some objects}: grant SHOW VIEW, TRIGGER, EVENT and SHOW ROUTINE (or SELECT) on them.' },

  // --- connection ----------------------------------------------------------------------------
  // MariaDB Connector/C reports TCP failures as 2002 too, so 2002 and 2003 share one rule.
  { id: 'connection-refused', class: 'connection', source: 'stderr', codes: [2002, 2003], priority: PRIORITY.stderr,
    patterns: [/Can't connect to local (?:MySQL )?server through socket '(?<target>[^']*)'/, /Can't connect to (?:MySQL )?server on '(?<target>[^']*)'/,
      /Can't connect to (?:MySQL )?server\b/, /\bconnect\(.*\): Connection refused/],
    hint: 'Nothing answers at {target|the server address}: is the server up, and are host, port or socket right (firewall)?' },
  { id: 'connection-unknown-host', class: 'connection', source: 'stderr', codes: [2005], priority: PRIORITY.stderr,
    patterns: [/Unknown (?:MySQL )?server host '(?<host>[^']*)'/],
    hint: 'The host name {host|of the target} does not resolve: fix the host in the config or DNS.' },
  { id: 'connection-gone-away', class: 'connection', source: 'stderr', codes: [2006], priority: PRIORITY.stderr,
    patterns: [/(?:MySQL server|Server) has gone away/],
    hint: 'The server closed the connection: check its error log (restart, wait_timeout, max_allowed_packet).' },
  { id: 'connection-lost', class: 'connection', source: 'stderr', codes: [2013, 2055], priority: PRIORITY.stderr,
    patterns: [/Lost connection to (?:MySQL )?server (?:during query|at '[^']*')(?: when dumping table (?<table>\S+) at row)?/],
    hint: 'The connection dropped while dumping {table|a table}: check the server error log (crash, KILL, net_write_timeout) and the network.' },
  { id: 'connection-too-many', class: 'connection', source: 'stderr', codes: [1040, 1226], priority: PRIORITY.stderr,
    patterns: [/Too many connections/, /has exceeded the '(?:max_user_connections|max_connections_per_hour|max_questions|max_updates)' resource/],
    hint: 'The server is at max_connections: retry later, or reserve connections for the backup user (max_user_connections, extra_port).' },
  { id: 'connection-host-blocked', class: 'connection', source: 'stderr', codes: [1129], priority: PRIORITY.stderr,
    patterns: [/Host '(?<host>[^']*)' is blocked because of many connection errors/],
    hint: 'The server blocked {host|the agent host} after connection errors: run FLUSH HOSTS (mariadb-admin flush-hosts) and fix what caused them.' },
  { id: 'connection-server-shutdown', class: 'connection', source: 'stderr', codes: [1053], priority: PRIORITY.stderr,
    patterns: [/Server shutdown in progress/],
    hint: 'The server was shutting down during the dump: retry once it is back.' },
  { id: 'connection-idle-disconnect', class: 'connection', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/disconnected by the server because of inactivity/],
    hint: 'The server dropped the idle connection (wait_timeout): raise wait_timeout for the backup user\'s session.' },

  // --- killed on the server ------------------------------------------------------------------
  { id: 'killed-on-server', class: 'killed', source: 'stderr', codes: [1317, 1927], priority: PRIORITY.stderr,
    patterns: [/Query execution was interrupted(?![,\s]*(?:\(max_statement_time|maximum statement))/, /Connection was killed/],
    hint: 'A KILL on the server stopped the dump: find who or what runs KILL (an operator, pt-kill, a query killer).' },

  // --- disk full -----------------------------------------------------------------------------
  { id: 'disk-full-errno', class: 'disk_full', source: 'stderr', codes: [1021], priority: PRIORITY.stderr,
    patterns: [/No space left on device/i, /Got errno 28 on write/, /\b(?:errno|Errcode):? 28\b/, /Got error 28 from storage engine/,
      /Could not (?:create|write|open) .* \(28\)\s*$/,
      /Disk (?:got )?full/, /Disk quota exceeded/i],
    hint: 'A disk is full (errno 28): free space where the message points (the repository, or the server\'s datadir or tmpdir).' },
  { id: 'disk-full-server-table', class: 'disk_full', source: 'stderr', codes: [1114], priority: PRIORITY.stderr,
    patterns: [/The table '(?<table>[^']+)' is full/],
    hint: 'The server ran out of room for {table|a table} (datadir, tmpdir or tablespace limit): free space on the database server.' },
  { id: 'disk-file-too-large', class: 'disk_full', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/File too large/i, /Got errno 27 on write/, /File size limit exceeded/i],
    hint: 'The output hit the file size limit: raise `ulimit -f` (LimitFSIZE) or use a filesystem that allows larger files.' },

  // --- corruption ----------------------------------------------------------------------------
  { id: 'corruption-crashed-table', class: 'corruption', source: 'stderr', codes: [1194, 1195, 1033, 1034, 1035, 1877, 126, 127, 130, 144, 145], priority: PRIORITY.stderr,
    patterns: [/Table '(?<table>[^']+)' is marked as crashed/, /Incorrect key file for table '(?<table>[^']+)'/,
      /Index for table '(?<table>[^']+)' is corrupt/, /Old key file for table '(?<table>[^']+)'/, /Incorrect file format '(?<table>[^']+)'/,
      /Table (?:is|was marked as) crashed/, /(?:Index|Table|Record) file is (?:crashed|corrupted)/,
      // the engine's own code inside error 1030 (InnoDB reports a corrupt page as 1877)
      /Got error (?:126|127|130|144|145|1877)\b[^\n]* from storage engine/,
      // mysqlcheck / CHECK TABLE, as the check tools print it on stdout
      /^error\s*:\s*(?:Corrupt|Size of (?:datafile|keyfile) is)/,
      /Incorrect information in file: '(?<table>[^']+)'/, /Table (?<table>\S+) is corrupted\. Please drop the table/],
    hint: 'Table {table|named in the log} is damaged: run CHECK TABLE then REPAIR TABLE on it, then re-run the backup.' },
  // A table's own file missing from the datadir (`./db/t.MYD`): above the path rules, which would
  // read it as a wrong output path.
  { id: 'corruption-table-file-missing', class: 'corruption', source: 'stderr', priority: PRIORITY.stderrRefined,
    patterns: [/File '(?<table>\.\/[^']+?)\.(?:MYD|MYI|MAD|MAI|frm|ibd|par|CSV|CSM)' not found/, /Can't find file: '(?<table>\.\/[^']+?)\.(?:MYD|MYI|MAD|MAI|frm|ibd|par)'/],
    hint: 'A file of table {table|named in the log} is missing from the server\'s datadir: restore that table from a good backup.' },
  // A compressed backup that fails its own check on the way into a restore; the SQL error after it
  // (1064 on a cut statement) is a consequence.
  { id: 'corruption-compressed-input', class: 'corruption', source: 'stderr', priority: PRIORITY.stderrRefined,
    patterns: [/\bcrc error\b/i, /premature end/i, /unexpected end of file/i, /invalid compressed data/i, /Corrupted block detected/i],
    hint: 'The compressed backup file is damaged (its own checksum fails): restore from another backup, and run warden verify on this one.' },
  // The binary log itself is damaged (mariadb-binlog / mysqlbinlog reading it).
  { id: 'corruption-binlog', class: 'corruption', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Event crc check failed/, /Event truncated/, /Found invalid event in binary log/],
    hint: 'A binary log file is damaged: read it with mariadb-binlog to find the damaged event; point-in-time recovery cannot pass it.' },
  // mydumper 0.10 warns of a table it cannot read, skips it and exits 0: the backup lacks that table.
  { id: 'corruption-broken-table', class: 'corruption', source: 'stderr', priority: PRIORITY.stderr, evenAsWarning: true,
    patterns: [/Broken table detected, please review: (?<table>\S+)/],
    hint: 'Table {table|named in the log} is damaged and was left out of the backup: CHECK TABLE / REPAIR TABLE it, then re-run.' },
  // mariadb-backup checks every page it copies; this is what is left when its stderr is cut to the tail.
  { id: 'corruption-datafile-copy', class: 'corruption', source: 'stderr', priority: PRIORITY.content,
    patterns: [/failed to copy datafile/],
    hint: 'mariadb-backup could not copy a data file (a page failed its checksum, or the file could not be read): run CHECK TABLE and innochecksum, read the server error log.' },
  { id: 'corruption-innodb', class: 'corruption', source: 'stderr', codes: [1712, 1812, 1814], priority: PRIORITY.stderr,
    patterns: [/Tablespace (?:is missing|has been discarded) for (?:table (?<table>[`'][^\s]*[`']|\S+)|a table)/, /Index (?<index>\S+) is corrupted/,
      /Page read from tablespace is corrupted/, /Read page with wrong checksum/,
      // a backup whose redo log was cut (mariadb-backup --prepare)
      /File \S*ib_logfile\d+ is too small/],
    hint: 'InnoDB reports {table|a table} corrupt or without its tablespace: read the server error log, then restore that table from a good backup.' },

  // --- charset -------------------------------------------------------------------------------
  { id: 'charset-conversion', class: 'charset', source: 'stderr', codes: [1267, 1271, 1300, 1366], priority: PRIORITY.stderr,
    patterns: [/Incorrect string value: '[^']*' for column (?<column>\S+)/, /Illegal mix of collations/, /Invalid (?<charset>\w+) character string/],
    hint: 'Characters do not fit the connection charset (column {column|named in the log}): dump with --default-character-set=utf8mb4 and use utf8mb4 tables.' },
  { id: 'charset-unknown', class: 'charset', source: 'stderr', codes: [1115, 1273, 2019], priority: PRIORITY.stderr,
    patterns: [/Character set '(?<charset>[^']+)' is not a compiled character set/, /Can't initialize character set (?<charset>[^\s(]+)/,
      /Unknown character set: '(?<charset>[^']+)'/, /Unknown collation: '(?<charset>[^']+)'/],
    hint: 'The character set {charset|configured} is unknown to the client or server: use default-character-set=utf8mb4.' },
  // 1231 is any variable refused a value; for the character set variables it is a charset problem.
  { id: 'charset-variable', class: 'charset', source: 'stderr', priority: PRIORITY.stderrRefined,
    patterns: [/Variable '(?:character_set_\w+|collation_\w+|names)' can't be set to the value of '(?<charset>[^']*)'/],
    hint: 'The character set {charset|configured} cannot be used by a client connection (utf16, utf32, ucs2 cannot): use default-character-set=utf8mb4.' },
  // A value changed on its way in (`Warning (Code 1366): Incorrect string value`): the load "worked"
  // and lost characters, whatever the exit status.
  { id: 'charset-lossy-warning', class: 'charset', source: 'stderr', priority: PRIORITY.content, evenAsWarning: true,
    patterns: [/^Warning \(Code (?:1300|1366)\): (?:Incorrect string value|Invalid \w+ character string)/],
    hint: 'The server changed characters that do not fit the column\'s character set: load into utf8mb4 columns (and dump with --default-character-set=utf8mb4).' },
  { id: 'charset-lossy', class: 'charset', source: 'fact', fact: 'lossyCharset', priority: PRIORITY.content,
    hint: 'Characters were lost converting to the dump charset: dump with --default-character-set=utf8mb4.' },

  // --- not found -----------------------------------------------------------------------------
  { id: 'unknown-database', class: 'not_found', source: 'stderr', codes: [1049], priority: PRIORITY.stderr,
    patterns: [/Unknown database '(?<db>[^']+)'/],
    hint: 'Database {db|named in the log} does not exist on the server: fix the target\'s database list.' },
  // myloader says only this when it could not USE the database (it does not exist, or any other
  // reason it keeps to itself): weak, so that a cause it prints too comes first.
  { id: 'myloader-switch-database', class: 'not_found', source: 'stderr', priority: PRIORITY.content,
    patterns: [/Error switching to database (?<db>\S+)/],
    hint: 'myloader could not use database {db|named in the log}: create it (or let myloader create it), and check the restore user\'s grants.' },
  { id: 'unknown-table', class: 'not_found', source: 'stderr', codes: [1146], priority: PRIORITY.stderr,
    patterns: [/Table '(?<table>[^']+)' doesn't exist/, /Couldn't find table: "(?<table>[^"]+)"/],
    hint: 'Table {table|named in the log} does not exist: fix the target\'s table list (or it was dropped during the dump).' },
  // A broken view or a vanished definer is a missing object the dump depends on; no grant fixes it.
  // A binary log the server no longer has: whoever asked for it (the archiver, a replica) cannot
  // get those events back, so the chain of archived logs has a gap (MySQL's 1236 texts:
  // sql/rpl_binlog_sender.cc, ER_MASTER_FATAL_ERROR_READING_BINLOG).
  { id: 'binlog-not-found', class: 'binlog_gap', source: 'stderr', codes: [1236], priority: PRIORITY.stderr,
    patterns: [/Could not find first log file name in binary log index file/, /purged (?:required )?binary logs/],
    hint: 'The binary log asked for is no longer on the server (purged): take a full backup now, and keep binary logs longer (binlog_expire_logs_seconds).' },
  { id: 'view-invalid', class: 'not_found', source: 'stderr', codes: [1356], priority: PRIORITY.stderr,
    patterns: [/View '(?<view>[^']+)' references invalid table\(s\)/],
    hint: 'View {view|named in the log} references a dropped table or column or a definer without rights: fix it (ALTER VIEW) or drop it.' },
  { id: 'definer-missing', class: 'not_found', source: 'stderr', codes: [1449], priority: PRIORITY.stderr,
    patterns: [/The user specified as a definer \((?<definer>'[^']*'@'[^']*')\) does not exist/],
    hint: 'The definer {definer|named in the log} of a view, routine or trigger no longer exists: recreate that account or change the object\'s DEFINER.' },
  { id: 'tool-not-found-shell', class: 'not_found', source: 'stderr', priority: PRIORITY.stderrRefined,
    patterns: [/(?<tool>[\w.-]+): (?:command )?not found\s*$/],
    hint: 'Install {tool|the dump tool} on the agent host (mariadb-client or mysql-client) or set its path in the config.' },

  // --- config --------------------------------------------------------------------------------
  { id: 'usage', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/^Usage: (?<tool>[\w.-]+) \[OPTIONS?/, /^For more options, use (?<tool>[\w.-]+) --help/, /^Usage:$/, /needs to be specified, see --help/],
    hint: '{tool|The tool} printed its usage: the command line is wrong (a missing database name or option value); fix the invocation.' },
  // mysys' EE_CANTCREATEFILE and friends: MariaDB says `(Errcode: 2 "…")`, MySQL 8 `(OS errno 2 - …)`.
  // 2 ENOENT, 13 EACCES, 20 ENOTDIR, 21 EISDIR, 17 EEXIST: a path the invocation names is wrong.
  { id: 'output-path', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Can't (?:create\/write to file|create file|create directory|change dir to|get stat of|read dir of|open file:?|find file:?) '?(?<path>[^'(]+?)'? \((?:Errcode|OS errno|errno):? (?:2|13|17|20|21|30)\b/,
      /File '(?<path>[^']+)' not found \((?:Errcode|OS errno|errno):? (?:2|13|20)\b/,
      // the client's `source` of a file
      /Failed to open file '(?<path>[^']+)', error: (?:2|13|20|21)\b/,
      /Unable to create [`'](?<path>[^'`]+)'?: (?:No such file or directory|Permission denied|Not a directory|Read-only file system)/,
      /cannot mkdir (?:2|13|20|30): (?<path>\S+)/,
      // a shell's redirection (`mysqldump shop > /missing/dir/shop.sql`)
      /^\S+: (?:line \d+: )?(?<path>\/[^:]+): (?:No such file or directory|Permission denied|Not a directory|Read-only file system)$/],
    hint: 'The path {path|named in the log} does not exist or cannot be written: create the directory or fix the output path and its permissions.' },
  // mariadb-backup 10.11 changes into the datadir the server names (seen here, run as a user who cannot
  // read it): `Can't change dir to '/var/lib/mysql/' (errno: 13 …)`, then `my_setwd() failed , /var/lib/mysql/`.
  { id: 'datadir-unreadable', class: 'config', source: 'stderr', priority: PRIORITY.stderrRefined,
    patterns: [/my_setwd\(\) failed , (?<path>\S+)/],
    hint: 'The backup tool cannot enter the server\'s datadir {path|named in the log}: run the agent on the database host, as a user who may read the datadir (for example, in the mysql group).' },
  // The tool asked something this server does not have: SHOW MASTER STATUS of MySQL 8.4 (1064), a
  // MySQL 8 session variable of MariaDB (1193), XtraBackup 8.0 of MySQL 8.4 or of MariaDB.
  { id: 'tool-server-mismatch', class: 'config', source: 'stderr', codes: [1054, 1064, 1193], priority: PRIORITY.stderr,
    patterns: [/You have an error in your SQL syntax/, /Unknown system variable '(?<variable>[^']+)'/, /Unsupported server version/,
      /Unknown column '[^']+' in '(?:where clause|field list)'/i, /Please run OPTIMIZE TABLE or ALTER TABLE ALGORITHM=COPY/,
      /can only perform backups and restores against/],
    hint: 'The server refused a statement of the tool: an option with bad SQL (--where), or a tool that does not match the server (use mysqldump for MySQL, mariadb-dump for MariaDB, of a version that knows it).' },
  // The server refuses by its own settings: read_only / super_read_only (1290, 1836), local infile
  // disabled (3948), GTID sets that overlap (3546).
  { id: 'server-setting', class: 'config', source: 'stderr', codes: [1118, 1290, 1836, 3546, 3948, 4166], priority: PRIORITY.stderr,
    patterns: [/is running with the --(?<option>[\w-]+) option so it cannot execute this statement/, /Loading local data is disabled/,
      /@@GLOBAL\.GTID_PURGED cannot be changed/, /Running in read-only mode/, /disabled the local infile capability/, /Row size too large/],
    hint: 'The server refuses this by its configuration ({option|see the log}): load into a server that allows it, or change that setting.' },
  // The target server's sql_mode refuses what the dump holds (zero dates, ONLY_FULL_GROUP_BY views).
  { id: 'sql-mode-refuses', class: 'config', source: 'stderr', codes: [1055, 1067, 1292], priority: PRIORITY.stderr,
    patterns: [/isn't in GROUP BY/, /Invalid default value for '(?<column>[^']+)'/, /Incorrect (?:datetime|date) value: '0000-00-00/],
    hint: 'The server\'s sql_mode refuses what the backup holds: load with the sql_mode it was dumped with, or fix the data or view.' },
  { id: 'bad-variable-value', class: 'config', source: 'stderr', codes: [1231, 1232], priority: PRIORITY.stderr,
    patterns: [/Variable '(?<option>[^']+)' can't be set to the value of/, /Incorrect argument type to variable '(?<option>[^']+)'/],
    hint: 'A session variable the tool or an init command sets got a value the server refuses ({option|named in the log}): fix the option.' },
  { id: 'gtid-disabled', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Server has GTIDs disabled/],
    hint: 'GTIDs were asked of a server with gtid_mode=OFF: drop --set-gtid-purged=ON or enable GTIDs.' },
  // mydumper refuses a folder that holds a dump; XtraBackup and mariadb-backup find their files there.
  { id: 'target-not-empty', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Directory is not empty/, /(?:target|backup|destination|data) dir(?:ectory)? .*(?:is not empty|already exists|must be empty)/i],
    hint: 'The output directory already holds a backup: give every run its own empty directory.' },
  { id: 'not-a-backup', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/is not a mydumper backup/, /Can't open backup-my\.cnf/, /not a (?:valid )?backup directory/i,
      /specified directory (?:doesn't|does not) exists?/, /cannot open \S*xtrabackup_checkpoints/],
    hint: 'The directory given is not a backup of this tool: point the load or prepare at the folder the backup wrote.' },
  // Loading into a database that already holds the objects (myloader without --overwrite-tables, a
  // client restore over existing tables). Weak: a denied DROP leaves the same lines behind it.
  { id: 'restore-target-not-empty', class: 'config', source: 'stderr', codes: [1050, 1062, 3730], priority: PRIORITY.content,
    patterns: [/Table '(?<table>[^']+)' already exists/, /Duplicate entry '[^']*' for key/, /Cannot drop table '(?<table>[^']+)' referenced by a foreign key/],
    hint: 'The target database already holds {table|these tables}: restore into a new, empty database (or let the tool overwrite them).' },
  { id: 'unknown-option', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/unknown (?:variable|option) '(?<option>[^']+)'/i, /option parsing failed: (?:Unknown option|Error parsing option) (?<option>-{1,2}[\w-]+)/,
      /(?<option>--[\w-]+) is deprecated,? use --[\w-]+ instead/, /resume file found, but no --resume option/],
    hint: 'The dump tool does not know {option|an option}: remove it from the target options or defaults file, or use a tool version that has it.' },
  { id: 'bad-option-value', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Error while setting value '[^']*' to '(?<option>[^']+)'/, /Unknown suffix '.' used for variable '(?<option>[^']+)'/,
      /option '(?<option>[^']+)' requires an argument/, /Invalid mode to --(?<option>compatible)/,
      /You can't use --(?<option>[\w-]+) and --[\w-]+ at the same time/, /Illegal use of option --(?<option>[\w-]+)/,
      /--(?<option>[\w-]+) can't be used with --[\w-]+/, /Invalid --?(?<option>[\w-]+) argument/],
    hint: 'Fix the dump option {option|named in the log} in the target options or defaults file.' },
  { id: 'defaults-file', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Could not open required defaults file: (?<file>\S+)/, /Found option without preceding group in config file:? (?<file>\S+)/,
      /Wrong group definition in config file:? (?<file>\S+)/, /Fatal error in defaults handling/,
      /Default file (?<file>\S+) not found/],
    hint: 'Fix the defaults file {file|the dump tool reads} (missing, or not in [group] option=value form).' },
  { id: 'binlog-disabled', class: 'config', source: 'stderr', codes: [1381], priority: PRIORITY.stderr,
    patterns: [/You are not using binary logging/, /Binlogging on server not active/],
    hint: 'The dump asks for binlog coordinates (--master-data / --source-data) but the server has no binary log: enable log_bin or drop the option.' },
  { id: 'column-statistics', class: 'config', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/COLUMN_STATISTICS/],
    hint: 'mysqldump 8 asked a server without column statistics (MariaDB, MySQL 5.7): add --column-statistics=0 or use mariadb-dump.' },
  { id: 'packet-too-large', class: 'config', source: 'stderr', codes: [1153, 2020], priority: PRIORITY.stderr,
    patterns: [/Got (?:a )?packet bigger than 'max_allowed_packet'/],
    hint: 'A row is larger than max_allowed_packet: raise --max-allowed-packet for the dump (up to 1G) and on the server.' },
  { id: 'protocol-unknown', class: 'config', source: 'stderr', codes: [2047], priority: PRIORITY.stderr,
    patterns: [/Wrong or unknown protocol/],
    hint: 'The connection protocol asked for is not available here (pipe and memory are Windows only): use TCP or a socket.' },
  { id: 'tls-error', class: 'config', source: 'stderr', codes: [2026], priority: PRIORITY.stderr,
    patterns: [/SSL connection error: (?<reason>[^"]+?)"?\s*(?:when trying to connect)?$/, /TLS\/SSL error: (?<reason>[^"]+?)"?\s*(?:when trying to connect)?$/],
    hint: 'The TLS handshake failed ({reason|see the log}): fix the CA / certificate options or the server\'s TLS setup.' },
  { id: 'log-tables-locked', class: 'config', source: 'stderr', codes: [1556], priority: PRIORITY.stderr,
    patterns: [/You can't use locks with log tables/],
    hint: 'LOCK TABLES cannot lock mysql.general_log / slow_log: exclude them (--ignore-table) or dump with --single-transaction.' },
  { id: 'open-files-limit', class: 'config', source: 'stderr', codes: [23], priority: PRIORITY.stderr,
    patterns: [/Out of resources when opening file/, /Too many open files/],
    hint: 'The server ran out of file handles: raise open_files_limit (and LimitNOFILE), or dump with --single-transaction instead of LOCK TABLES.' },

  // --- lock waits ----------------------------------------------------------------------------
  // Metadata-lock waits end in 1205 too (lock_wait_timeout); one that never ends is a stall (timeout).
  { id: 'lock-wait-timeout', class: 'lock_timeout', source: 'stderr', codes: [1205], priority: PRIORITY.stderr,
    patterns: [/Lock wait timeout exceeded/],
    hint: 'A row or metadata lock wait timed out: a long transaction or DDL holds the lock (SHOW PROCESSLIST); schedule off-peak or use --single-transaction.' },
  // A query running too long blocks the global read lock: mydumper's --long-query-guard refuses to
  // wait, XtraBackup's --ftwrl-wait-timeout gives up (only as a [Note]).
  { id: 'lock-long-query', class: 'lock_timeout', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/queries in PROCESSLIST running longer than/, /Unable to obtain lock\. Please try again later/],
    hint: 'A long-running query kept the backup from taking its global read lock: schedule the backup away from it, or raise the lock wait.' },
  { id: 'lock-deadlock', class: 'lock_timeout', source: 'stderr', codes: [1213], priority: PRIORITY.stderr,
    patterns: [/Deadlock found when trying to get lock/],
    hint: 'The dump lost a deadlock: retry, and schedule it away from heavy writes.' },

  // --- memory --------------------------------------------------------------------------------
  { id: 'client-out-of-memory', class: 'out_of_memory', source: 'stderr', codes: [2008], priority: PRIORITY.stderr,
    patterns: [/(?:MySQL client|Client) r[au]n out of memory/i, /Out of memory \(Needed \d+ bytes\)/, /Cannot allocate memory/,
      /failed to allocate \d+ bytes/, /Cannot map innodb_buffer_pool_size/, /std::bad_alloc/,
      // a thread that could not be created under an address-space limit (C++ runtime's message)
      /what\(\):\s+Resource temporarily unavailable/],
    hint: 'The dump tool ran out of memory: check the agent host\'s limits and keep --quick so rows stream.' },
  { id: 'server-out-of-memory', class: 'out_of_memory', source: 'stderr', codes: [1037, 1038, 1041, 1135], priority: PRIORITY.stderr,
    patterns: [/Out of memory; (?:restart server|check if mysqld)/, /Out of sort memory/, /Can't create a new thread/],
    hint: 'The database server ran out of memory: check its memory use and buffers (sort_buffer_size, innodb_buffer_pool_size).' },

  // --- server-side time limits ---------------------------------------------------------------
  { id: 'statement-timeout', class: 'timeout', source: 'stderr', codes: [1969, 3024], priority: PRIORITY.stderr,
    patterns: [/max_statement_time exceeded/, /maximum statement execution time exceeded/, /execution time limit .* exceeded/],
    hint: 'A server time limit stopped a dump query: exempt the backup user (max_statement_time = 0 on MariaDB, max_execution_time = 0 on MySQL).' },

  // --- output --------------------------------------------------------------------------------
  { id: 'dump-write-failed', class: 'unknown', source: 'stderr', priority: PRIORITY.stderr,
    patterns: [/Got errno (?<errno>(?!2[78]\b)\d+) on write/, /\((?:errno|Errcode|OS errno):? (?<errno>32)\b/],
    hint: 'The dump could not write its output (errno {errno|?}): check the compressor and the repository disk.' },
  { id: 'dump-truncated', class: 'verification', source: 'truncated', priority: PRIORITY.truncated,
    hint: 'The dump exited 0 without its "-- Dump completed" trailer: the stream was cut; never publish it, re-run.' },

  // --- pre-flight check names (weakest: the failing probe's own error, when given, is more precise)
  { id: 'preflight-disk', class: 'disk_full', source: 'fact', fact: 'preflightFailedCheck', patterns: [/space|disk/i], priority: PRIORITY.preflight,
    hint: 'Pre-flight check {value|} found too little free space for the estimated backup: prune or expand the repository.' },
  { id: 'preflight-grants', class: 'privilege', source: 'fact', fact: 'preflightFailedCheck', patterns: [/grant|privilege/i], priority: PRIORITY.preflight },
  { id: 'preflight-connect', class: 'connection', source: 'fact', fact: 'preflightFailedCheck', patterns: [/connect|reach/i], priority: PRIORITY.preflight },
  { id: 'preflight-repository', class: 'config', source: 'fact', fact: 'preflightFailedCheck', patterns: [/writ|repo/i], priority: PRIORITY.preflight,
    hint: 'Pre-flight check {value|} failed: the repository is not writable by the agent; fix its path, owner or mount.' },
];
