// The names a dump may use: character sets and collations, data types, system variables and SQL
// modes. A server rejects a statement naming anything else, so the validator does too.
// Collations: MariaDB 10.11's information_schema.COLLATIONS, plus MariaDB 11's uca1400 family and
// MySQL 8's 0900 family, built from their naming rules.

const BASIC = 'bin general_ci general_nopad_ci nopad_bin';
const UNICODE =
  'bin croatian_ci croatian_mysql561_ci czech_ci danish_ci esperanto_ci estonian_ci general_ci general_nopad_ci german2_ci hungarian_ci ' +
  'icelandic_ci latvian_ci lithuanian_ci myanmar_ci nopad_bin persian_ci polish_ci romanian_ci roman_ci sinhala_ci slovak_ci slovenian_ci ' +
  'spanish2_ci spanish_ci swedish_ci thai_520_w2 turkish_ci unicode_520_ci unicode_520_nopad_ci unicode_ci unicode_nopad_ci vietnamese_ci';

const COLLATIONS_BY_CHARSET: Record<string, string> = {
  armscii8: BASIC,
  ascii: BASIC,
  big5: 'bin chinese_ci chinese_nopad_ci nopad_bin',
  binary: '',
  cp1250: 'bin croatian_ci czech_cs general_ci general_nopad_ci nopad_bin polish_ci',
  cp1251: 'bin bulgarian_ci general_ci general_cs general_nopad_ci nopad_bin ukrainian_ci',
  cp1256: BASIC,
  cp1257: 'bin general_ci general_nopad_ci lithuanian_ci nopad_bin',
  cp850: BASIC,
  cp852: BASIC,
  cp866: BASIC,
  cp932: 'bin japanese_ci japanese_nopad_ci nopad_bin',
  dec8: 'bin nopad_bin swedish_ci swedish_nopad_ci',
  eucjpms: 'bin japanese_ci japanese_nopad_ci nopad_bin',
  euckr: 'bin korean_ci korean_nopad_ci nopad_bin',
  gb18030: 'bin chinese_ci chinese_nopad_ci nopad_bin unicode_520_ci',
  gb2312: 'bin chinese_ci chinese_nopad_ci nopad_bin',
  gbk: 'bin chinese_ci chinese_nopad_ci nopad_bin',
  geostd8: BASIC,
  greek: BASIC,
  hebrew: BASIC,
  hp8: 'bin english_ci english_nopad_ci nopad_bin',
  keybcs2: BASIC,
  koi8r: BASIC,
  koi8u: BASIC,
  latin1: 'bin danish_ci general_ci general_cs german1_ci german2_ci nopad_bin spanish_ci swedish_ci swedish_nopad_ci',
  latin2: 'bin croatian_ci czech_cs general_ci general_nopad_ci hungarian_ci nopad_bin',
  latin5: 'bin nopad_bin turkish_ci turkish_nopad_ci',
  latin7: 'bin estonian_cs general_ci general_cs general_nopad_ci nopad_bin',
  macce: BASIC,
  macroman: BASIC,
  sjis: 'bin japanese_ci japanese_nopad_ci nopad_bin',
  swe7: 'bin nopad_bin swedish_ci swedish_nopad_ci',
  tis620: 'bin nopad_bin thai_ci thai_nopad_ci',
  ucs2: `${UNICODE} general_mysql500_ci`,
  ujis: 'bin japanese_ci japanese_nopad_ci nopad_bin',
  utf16: UNICODE,
  utf16le: BASIC,
  utf32: UNICODE,
  utf8mb3: `${UNICODE} general_mysql500_ci`,
  utf8mb4: UNICODE,
};

/** Character set names, lower case (`utf8` is MySQL's and MariaDB's alias of utf8mb3). */
export const CHARSETS: ReadonlySet<string> = new Set([...Object.keys(COLLATIONS_BY_CHARSET), 'utf8']);

const UCA_LANGUAGES =
  'croatian czech danish esperanto estonian german2 hungarian icelandic latvian lithuanian persian polish roman romanian sinhala slovak ' +
  'slovenian spanish spanish2 swedish turkish vietnamese';
const MYSQL_0900_LANGUAGES = `${UCA_LANGUAGES} de_pb is la ro ru hr zh ja mn sr_latn bs vi cs da eo et hu lt lv pl sk sl es es_trad sv tr`;
const UCA1400_MARIADB = new RegExp(
  `^(?:utf8mb3|utf8mb4|ucs2|utf16|utf32|utf8)_uca1400_(?:(?:${UCA_LANGUAGES.replace(/ /g, '|')})_)?(?:nopad_)?(?:ai|as)_(?:ci|cs)$`,
);
const MYSQL_0900 = new RegExp(`^utf8mb4_(?:(?:${MYSQL_0900_LANGUAGES.replace(/ /g, '|')})_)?0900_(?:ai_ci|as_ci|as_cs|bin)$`);

const COLLATIONS: ReadonlySet<string> = new Set([
  'binary',
  ...Object.entries(COLLATIONS_BY_CHARSET).flatMap(([cs, suffixes]) => (suffixes ? suffixes.split(' ').map((s) => `${cs}_${s}`) : [])),
  ...COLLATIONS_BY_CHARSET.utf8mb3!.split(' ').map((s) => `utf8_${s}`),
  'utf8mb4_0900_bin',
  'gb18030_bin',
]);

export function isCharset(name: string): boolean {
  return CHARSETS.has(name.toLowerCase());
}

export function isCollation(name: string): boolean {
  const n = name.toLowerCase();
  return COLLATIONS.has(n) || UCA1400_MARIADB.test(n) || MYSQL_0900.test(n);
}

/** Whether a collation belongs to a character set (utf8 is utf8mb3; binary goes with any). */
export function collationOf(collation: string, charset: string): boolean {
  const c = collation.toLowerCase();
  const cs = charset.toLowerCase() === 'utf8' ? 'utf8mb3' : charset.toLowerCase();
  if (c === 'binary') return cs === 'binary';
  const owner = c.startsWith('utf8_') ? 'utf8mb3' : c.slice(0, c.indexOf('_'));
  return owner === cs;
}

/** How a data type takes its length: what `(…)` after it may hold. */
export type TypeShape =
  | 'int' // optional display width; UNSIGNED/SIGNED/ZEROFILL
  | 'decimal' // (M[,D]) optional
  | 'float' // (M[,D]) optional
  | 'bit' // (M) optional, 1..64
  | 'char' // (n) optional, ≤ 255; charset and collation
  | 'varchar' // (n) required; charset and collation
  | 'binary' // (n) optional, ≤ 255
  | 'varbinary' // (n) required
  | 'text' // (n) optional; charset and collation
  | 'blob' // (n) optional
  | 'enum' // ('a', …) required; charset and collation
  | 'temporal' // (fsp) optional, ≤ 6
  | 'year' // (2|4) optional
  | 'plain' // no length
  | 'vector'; // (n) required

export const DATA_TYPES: ReadonlyMap<string, TypeShape> = new Map<string, TypeShape>([
  ...(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'INTEGER', 'BIGINT', 'INT1', 'INT2', 'INT3', 'INT4', 'INT8', 'MIDDLEINT'] as const).map(
    (t) => [t, 'int'] as [string, TypeShape],
  ),
  ['BOOL', 'plain'],
  ['BOOLEAN', 'plain'],
  ['SERIAL', 'plain'],
  ['DECIMAL', 'decimal'],
  ['DEC', 'decimal'],
  ['NUMERIC', 'decimal'],
  ['FIXED', 'decimal'],
  ['FLOAT', 'float'],
  ['DOUBLE', 'float'],
  ['REAL', 'float'],
  ['FLOAT4', 'float'],
  ['FLOAT8', 'float'],
  ['BIT', 'bit'],
  ['CHAR', 'char'],
  ['CHARACTER', 'char'],
  ['NCHAR', 'char'],
  ['VARCHAR', 'varchar'],
  ['NVARCHAR', 'varchar'],
  ['VARCHAR2', 'varchar'],
  ['VARCHARACTER', 'varchar'],
  ['BINARY', 'binary'],
  ['VARBINARY', 'varbinary'],
  ['TINYTEXT', 'text'],
  ['TEXT', 'text'],
  ['MEDIUMTEXT', 'text'],
  ['LONGTEXT', 'text'],
  ['LONG', 'text'],
  ['JSON', 'text'],
  ['TINYBLOB', 'blob'],
  ['BLOB', 'blob'],
  ['MEDIUMBLOB', 'blob'],
  ['LONGBLOB', 'blob'],
  ['ENUM', 'enum'],
  ['SET', 'enum'],
  ['DATE', 'plain'],
  ['TIME', 'temporal'],
  ['DATETIME', 'temporal'],
  ['TIMESTAMP', 'temporal'],
  ['YEAR', 'year'],
  ...['GEOMETRY', 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'GEOMCOLLECTION'].map(
    (t) => [t, 'plain'] as [string, TypeShape],
  ),
  ['INET4', 'plain'],
  ['INET6', 'plain'],
  ['UUID', 'plain'],
  ['VECTOR', 'vector'],
]);

/**
 * SQL modes (MariaDB and MySQL). Dumps set `sql_mode` to a list of these; a server rejects
 * any other name.
 */
export const SQL_MODES: ReadonlySet<string> = new Set(
  (
    'REAL_AS_FLOAT PIPES_AS_CONCAT ANSI_QUOTES IGNORE_SPACE IGNORE_BAD_TABLE_OPTIONS ONLY_FULL_GROUP_BY NO_UNSIGNED_SUBTRACTION NO_DIR_IN_CREATE ' +
    'POSTGRESQL ORACLE MSSQL DB2 MAXDB NO_KEY_OPTIONS NO_TABLE_OPTIONS NO_FIELD_OPTIONS MYSQL323 MYSQL40 ANSI NO_AUTO_VALUE_ON_ZERO ' +
    'NO_BACKSLASH_ESCAPES STRICT_TRANS_TABLES STRICT_ALL_TABLES NO_ZERO_IN_DATE NO_ZERO_DATE ALLOW_INVALID_DATES ERROR_FOR_DIVISION_BY_ZERO ' +
    'TRADITIONAL NO_AUTO_CREATE_USER HIGH_NOT_PRECEDENCE NO_ENGINE_SUBSTITUTION PAD_CHAR_TO_FULL_LENGTH EMPTY_STRING_IS_NULL ' +
    'SIMULTANEOUS_ASSIGNMENT TIME_ROUND_FRACTIONAL TIME_TRUNCATE_FRACTIONAL'
  ).split(' '),
);

/** What value a system variable a dump sets takes. */
export type VariableKind = 'charset' | 'collation' | 'sqlMode' | 'timeZone' | 'switch' | 'number' | 'text';

/**
 * The system variables mysqldump 5.7/8.0/8.4 and mariadb-dump 10.x/11.x write SET statements for
 * (client/mysqldump.cc of both projects: the header and footer, each table's and routine's
 * session settings, GTID and binary log handling), lower case.
 */
export const SYSTEM_VARIABLES: ReadonlyMap<string, VariableKind> = new Map<string, VariableKind>([
  ['character_set_client', 'charset'],
  ['character_set_results', 'charset'],
  ['character_set_connection', 'charset'],
  ['collation_connection', 'collation'],
  ['sql_mode', 'sqlMode'],
  ['time_zone', 'timeZone'],
  ['unique_checks', 'switch'],
  ['foreign_key_checks', 'switch'],
  ['sql_notes', 'switch'],
  ['sql_log_bin', 'switch'],
  ['note_verbosity', 'text'],
  ['innodb_stats_auto_recalc', 'switch'],
  ['system_versioning_insert_history', 'switch'],
  ['check_constraint_checks', 'switch'],
  ['autocommit', 'switch'],
  ['gtid_purged', 'text'],
  ['gtid_slave_pos', 'text'],
  ['gtid_domain_id', 'number'],
  ['server_id', 'number'],
  ['gtid_seq_no', 'number'],
  ['information_schema_stats_expiry', 'number'],
  ['sql_quote_show_create', 'switch'],
]);

/** Engines a CREATE TABLE may name (a server substitutes an unknown one, but no dump writes one). */
export const ENGINES: ReadonlySet<string> = new Set(
  (
    'innodb myisam aria memory heap csv archive blackhole mrg_myisam merge federated federatedx sequence rocksdb tokudb ndbcluster ndb ' +
    'connect spider s3 columnstore example performance_schema oqgraph mroonga sphinx'
  ).split(' '),
);
