// The grammar validator: each corruption the issue names fails with the right offset, table and
// expectation; dumps in the shapes MySQL 8.0/8.4 write pass (fixtures written from mysqldump.cc);
// the result never depends on how the stream is cut; and on valid dumps it reports exactly what
// the scanner reports, so `verify --level parse` keeps every check it had.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/random.js';
import { writeSyntheticDump } from '../../../bench/syntheticDump.js';
import { DumpValidator, type ValidationResult, type ValidatorOptions } from './grammar.js';
import { DumpScanner } from './scanner.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name));
const FIXTURES = ['mysql-8.0.sql', 'mysql-8.4-hexblob.sql', 'no-backslash-escapes.sql', 'mysql-8.4-objects.sql'];

function validate(sql: Buffer | string, chunks: number[] | null = null, opts: ValidatorOptions = {}): ValidationResult {
  const buf = Buffer.isBuffer(sql) ? sql : Buffer.from(sql);
  const v = new DumpValidator(opts);
  if (chunks === null) v.write(buf);
  else for (let i = 0, k = 0; i < buf.length; k++) {
    const n = chunks[k % chunks.length]!;
    v.write(buf.subarray(i, i + n));
    i += n;
  }
  return v.end();
}

/** Everything a result says, comparable across chunkings. */
const digest = (r: ValidationResult) => JSON.stringify({ ...r, summary: { ...r.summary, tables: [...r.summary.tables] }, createdTables: [...r.createdTables], catalog: [...r.catalog] });

const HEAD = `-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`shop\` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */;
USE \`shop\`;
DROP TABLE IF EXISTS \`items\`;
CREATE TABLE \`items\` (
  \`id\` int(11) NOT NULL,
  \`name\` varchar(20) DEFAULT NULL,
  \`price\` decimal(10,2) DEFAULT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
LOCK TABLES \`items\` WRITE;
`;
const ROWS = "INSERT INTO `items` VALUES (1,'a\\'b',1.50),(2,NULL,-2),(3,'x',1e-5);\n";
const TAIL = `UNLOCK TABLES;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
-- Dump completed on 2026-12-06  3:00:00
`;
const DUMP = HEAD + ROWS + TAIL;
const at = (needle: string, from = 0) => DUMP.indexOf(needle, from);

describe('DumpValidator: a dump that is whole', () => {
  it('passes, with the rows, tables and trailer the scanner reports', () => {
    const r = validate(DUMP);
    expect(r.problems).toEqual([]);
    expect(r.summary.tables).toEqual(new Map([['shop.items', 3]]));
    expect([...r.createdTables]).toEqual(['shop.items']);
    expect(r.trailerSeen).toBe(true);
    expect(r.catalog.get('shop.items')!.columns.map((c) => c.name)).toEqual(['id', 'name', 'price']);
  });

  it.each(FIXTURES)('passes %s (MySQL shapes written from client/mysqldump.cc)', (name) => {
    expect(validate(fixture(name)).problems).toEqual([]);
  });
});

describe('DumpValidator: each corruption fails with where, what table and what was expected', () => {
  const only = (sql: string) => {
    const r = validate(sql);
    expect(r.problems.length, JSON.stringify(r.problems)).toBeGreaterThan(0);
    return r.problems[0]!;
  };

  it('a stray byte between statements', () => {
    const sql = DUMP.replace('UNLOCK TABLES;', 'x\nUNLOCK TABLES;');
    expect(only(sql)).toMatchObject({ offset: sql.indexOf('x\nUNLOCK'), table: null, expected: expect.stringMatching(/^a statement a dump holds/), found: '"x"' });
  });

  it('a statement head written twice', () => {
    const sql = DUMP.replace('INSERT INTO `items` VALUES', 'INSERT INTO `items` VALUES INSERT INTO `items` VALUES');
    expect(only(sql)).toMatchObject({ offset: sql.indexOf('INSERT', sql.indexOf('VALUES')), table: 'shop.items', expected: expect.stringMatching(/^"\(" opening the first tuple/) });
    const create = DUMP.replace('CREATE TABLE', 'CREATE TABLE CREATE TABLE');
    expect(only(create)).toMatchObject({ offset: create.indexOf('TABLE CREATE') + 6, expected: 'a table name', found: '"CREATE"' });
  });

  it('a tuple with the wrong number of values, named by its table and its first byte', () => {
    const sql = DUMP.replace("(2,NULL,-2)", '(2,NULL)');
    expect(only(sql)).toEqual({ offset: sql.indexOf('(2,NULL)'), table: 'shop.items', expected: '3 values in each row (the columns of shop.items)', found: '2 values' });
  });

  it('a broken literal: a number, a hex value, NULL', () => {
    expect(only(DUMP.replace('1.50', '1.5.0'))).toMatchObject({ offset: at('1.50') + 3, table: 'shop.items', expected: '"," or ")" after a value', found: '".0),(2,NULL,-2),(3,\'x\',1"' });
    expect(only(DUMP.replace('1e-5', '1e-'))).toMatchObject({ offset: at('1e-5'), table: 'shop.items', expected: 'a number' });
    expect(only(DUMP.replace("'x'", '0x4G'))).toMatchObject({ offset: at("'x'") + 3, table: 'shop.items', expected: 'an even number of hex digits after 0x' });
    expect(only(DUMP.replace('NULL,-2', 'NUL,-2'))).toMatchObject({ offset: at('NULL,-2'), table: 'shop.items', expected: expect.stringMatching(/^a value/) });
  });

  it('a truncated string: the quote lost runs the string into the next values', () => {
    const sql = DUMP.replace("'a\\'b',", "'a\\'b,");
    expect(only(sql)).toMatchObject({ offset: sql.indexOf("'x'") + 1, table: 'shop.items', expected: '"," or ")" after a value', found: expect.stringMatching(/^"x',1e-5\)/) });
  });

  it('a string cut by the end of the stream is a cut, not a grammar problem', () => {
    const r = validate(DUMP.slice(0, at("'a") + 2));
    expect(r.problems).toEqual([]);
    expect(r.summary.cut).toMatch(/inside a quoted string/);
  });

  it('statements a server refuses in context: rows for a table never created, a second CREATE, unlocked tables', () => {
    expect(only(DUMP.replace('INSERT INTO `items`', 'INSERT INTO `itemz`'))).toMatchObject({ expected: expect.stringMatching(/^a table created before the INSERT/), found: '`itemz`' });
    expect(only(DUMP.replace('DROP TABLE IF EXISTS `items`;', 'CREATE TABLE `items` (`id` int);'))).toMatchObject({ expected: expect.stringMatching(/^a name no table/) });
    const unlocked = DUMP.replace(ROWS, `${ROWS}UNLOCK TABLES;\nLOCK TABLES \`items\` READ;\nINSERT INTO \`items\` VALUES (4,'d',0);\n`);
    expect(only(unlocked)).toMatchObject({ expected: expect.stringMatching(/^a table LOCK TABLES locked/) });
  });

  it('an unknown data type, a length out of range, an unknown collation, a key on a missing column', () => {
    expect(only(DUMP.replace('decimal(10,2)', 'decimul(10,2)'))).toMatchObject({ expected: 'a data type', found: '"decimul"' });
    expect(only(DUMP.replace('decimal(10,2)', 'decimal(10,12)'))).toMatchObject({ expected: expect.stringMatching(/precision/) });
    expect(only(DUMP.replace('COLLATE=utf8mb4_general_ci', 'COLLATE=utf8mb4_genral_ci'))).toMatchObject({ expected: 'a collation of utf8mb4' });
    expect(only(DUMP.replace('COLLATE=utf8mb4_general_ci', 'COLLATE=latin1_swedish_ci'))).toMatchObject({ expected: 'a collation of utf8mb4' });
    expect(only(DUMP.replace('PRIMARY KEY (`id`)', 'PRIMARY KEY (`ix`)'))).toMatchObject({ expected: expect.stringMatching(/a column of the table in the key/) });
  });

  it('stops keeping problems after the first few', () => {
    const sql = HEAD + Array.from({ length: 9 }, () => 'INSERT INTO `items` VALUES (1);\n').join('') + TAIL;
    const r = validate(sql);
    expect(r.problems).toHaveLength(5);
    expect(r.moreProblems).toBe(4);
  });
});

describe('DumpValidator: the same result however the stream is cut', () => {
  const rng = mulberry32(1206);
  const cuts = (n: number) => Array.from({ length: n }, () => 1 + Math.floor(rng() * 97));
  const corrupt = [DUMP, DUMP.replace("(2,NULL,-2)", '(2,NULL)'), DUMP.replace("'x',1e-5", "'x,1e-5"), DUMP.replace('1.50', '1.5.0'), DUMP.slice(0, 700)];

  it.each([...FIXTURES.map((f) => [f, fixture(f)] as const), ...corrupt.map((s, i) => [`inline ${i}`, Buffer.from(s)] as const)])('%s', (_name, sql) => {
    const whole = digest(validate(sql));
    for (const chunks of [[1], [2], [3], [7], [640], [641], [4096], cuts(50), cuts(50)]) expect(digest(validate(sql, chunks)), `chunks ${chunks.slice(0, 5)}`).toBe(whole);
  });
});

describe('DumpValidator against the scanner on valid dumps', () => {
  it('reports the same summary for the MySQL fixtures', () => {
    for (const name of FIXTURES.slice(0, 2)) {
      const scanner = new DumpScanner();
      scanner.write(fixture(name));
      expect(validate(fixture(name)).summary, name).toEqual(scanner.end());
    }
  });

  it('reports the same summary as the scanner for a generated 3 MB dump of the benchmark tables', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-grammar-'));
    try {
      const file = path.join(dir, 'synthetic.sql');
      writeSyntheticDump(file, 3);
      const sql = readFileSync(file);
      const scanner = new DumpScanner();
      scanner.write(sql);
      const r = validate(sql, [65536, 1000, 333]);
      expect(r.problems).toEqual([]);
      // The generator ends mariadb-dump's sandbox comment with " ;": an empty statement to a server,
      // which the scanner, reading the comment as SQL, counts.
      expect({ ...r.summary, statements: 0 }).toEqual({ ...scanner.end(), statements: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DumpValidator for the files of a per-table backup', () => {
  const schema = validate(HEAD.replace('LOCK TABLES `items` WRITE;\n', '') + TAIL.replace('UNLOCK TABLES;\n', ''));
  const data = `/*!40101 SET NAMES utf8mb4 */;\nLOCK TABLES \`items\` WRITE;\n${ROWS}UNLOCK TABLES;\n-- Dump completed (table section)\n`;

  it('checks a data file against the columns of the schema file', () => {
    expect(schema.problems).toEqual([]);
    const r = validate(data, null, { catalog: schema.catalog, database: 'shop' });
    expect(r.problems).toEqual([]);
    expect(r.summary.tables).toEqual(new Map([['items', 3]]));
    const wrong = validate(data.replace('(2,NULL,-2)', '(2,NULL,-2,4)'), null, { catalog: schema.catalog, database: 'shop' });
    expect(wrong.problems[0]).toMatchObject({ table: 'shop.items', expected: '3 values in each row (the columns of shop.items)', found: '4 values' });
  });

  it('without the schema, rows for a table it does not know fail', () => {
    expect(validate(data).problems[0]).toMatchObject({ expected: expect.stringMatching(/^a table or view that exists/), found: '`items`' });
  });
});

// The stored objects of a dump, around the table `items` of HEAD: what mariadb-dump writes for a
// routine (its sql_mode, DELIMITER ;;) and for a view (stand-in, then the server's text).
const objects = (body: string, mode = 'STRICT_TRANS_TABLES') => `${HEAD}UNLOCK TABLES;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = '${mode}' */ ;
DELIMITER ;;
${body}
;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
${TAIL.replace('UNLOCK TABLES;\n', '')}`;
const routine = (body: string, mode?: string) => objects(`CREATE DEFINER=\`root\`@\`localhost\` PROCEDURE \`p\`(IN n INT, OUT total INT)\n${body}`, mode);
const fn = (body: string) => objects(`CREATE DEFINER=\`root\`@\`localhost\` FUNCTION \`f\`(n INT) RETURNS int(11)\n    DETERMINISTIC\n${body}`);
const view = (query: string) => `${HEAD}UNLOCK TABLES;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER */
/*!50001 VIEW \`v\` AS ${query} */;
${TAIL.replace('UNLOCK TABLES;\n', '')}`;
const trigger = (body: string) => objects(`/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER \`t\` BEFORE INSERT ON \`items\` FOR EACH ROW ${body} */`);

describe('DumpValidator: bodies and views a server accepts pass', () => {
  it.each([
    // The two objects of the first report: COUNT(*), and a view of another database.
    ['COUNT(*) in a routine', routine('SELECT COUNT(*) INTO total FROM `shop`.items')],
    ['a view of a database the dump does not hold', view('select `other`.`lookup`.`id` AS `id` from `other`.`lookup`')],
    ['an aliased table of another database', view('select `l`.`id` AS `id`,`l`.`label` AS `label` from `other`.`lookup` `l`')],
    ['`end`, `begin` and digits as names', routine('BEGIN SELECT begin, end, 1 end, t.1st FROM t; UPDATE t SET end = end + 1; END')],
    ['keywords that may be written twice', routine('BEGIN SELECT NOT NOT 1, BINARY BINARY \'a\', CASE CASE WHEN n THEN 1 END WHEN 1 THEN 2 END; WHILE 0 DO DO 1; END WHILE; END')],
    ['GET DIAGNOSTICS and user@host', routine("BEGIN GET DIAGNOSTICS CONDITION 1 @s = RETURNED_SQLSTATE; GRANT SELECT ON shop.* TO 'u'@'%'; END")],
    ['every DECLARE form', routine("BEGIN DECLARE a, b INT DEFAULT 0; DECLARE c VARCHAR(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; DECLARE r ROW TYPE OF items; DECLARE x TYPE OF items.id; DECLARE a CURSOR FOR SELECT id FROM items; DECLARE a CONDITION FOR 1062; DECLARE CONTINUE HANDLER FOR a, SQLSTATE VALUE '23000', NOT FOUND SET total = 1; END")],
    ['labels, loops and a REPEAT whose UNTIL ends in CASE … END', routine('l: BEGIN r: REPEAT SET n = n - 1; IF n = 2 THEN ITERATE r; END IF; UNTIL CASE WHEN n < 0 THEN 1 ELSE 0 END END REPEAT r; LEAVE l; END l')],
    ['MariaDB FOR loops over a range and a query', routine('BEGIN FOR i IN 1..n DO SET total = i; END FOR; FOR r IN (SELECT 1 AS a) DO SET total = r.a; END FOR; END')],
    ['SET of any variable, scope and form', routine("BEGIN SET SESSION group_concat_max_len = 10, @@session.sql_mode = '', @x := 1, NEW_VAR.field = 2; SET NAMES utf8mb4; SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY; SET STATEMENT max_statement_time = 1 FOR SELECT 1; END")],
    ['a function whose only RETURN is in a handler', fn('BEGIN DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN 0; LOOP SELECT 1 INTO n; END LOOP; END')],
    ['an executable comment of any version in a body (MySQL keeps them)', routine('BEGIN /*!80023 SELECT 1; */ SELECT 2; END')],
    ['a trigger that reads NEW and OLD columns', trigger('SET NEW.price = COALESCE(NEW.price, 0) + LENGTH(NEW.`name`)')],
  ])('%s', (_name, sql) => {
    expect(validate(sql).problems).toEqual([]);
  });

  it('packages and routines under sql_mode=ORACLE', () => {
    const oracle = 'PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ORACLE,NO_KEY_OPTIONS,NO_TABLE_OPTIONS,NO_FIELD_OPTIONS,NO_AUTO_CREATE_USER,SIMULTANEOUS_ASSIGNMENT';
    const body = `CREATE DEFINER="root"@"localhost" PACKAGE BODY "pkg" AS
  calls INT := 0;
  FUNCTION total(p INT) RETURN NUMBER AS s NUMBER := 0; BEGIN SELECT SUM(price) INTO s FROM items WHERE id = p; RETURN NVL(s, 0); END;
  PROCEDURE bump AS BEGIN <<again>> FOR i IN 1..3 LOOP calls := calls + i; EXIT again WHEN calls > 5; END LOOP again; END;
BEGIN
  calls := 0;
EXCEPTION WHEN OTHERS THEN NULL;
END`;
    expect(validate(objects(body, oracle)).problems).toEqual([]);
  });
});

describe('DumpValidator: what is certainly broken in a body fails', () => {
  const first = (sql: string) => {
    const r = validate(sql);
    expect(r.problems.length, JSON.stringify(r.problems)).toBeGreaterThan(0);
    return r.problems[0]!.expected;
  };

  it.each([
    ['an unbalanced parenthesis', routine('SELECT COUNT(* INTO total FROM items'), /"\)"/],
    ['IF without END IF', routine('BEGIN IF n THEN SET total = 1; END; END'), /IF after END/],
    ['an END label no block has', routine('BEGIN l: LOOP LEAVE l; END LOOP m; END'), /label l/],
    ['a statement head that is no keyword', routine('BEGIN SELEC 1; END'), /a statement/],
    ['a ";" lost between two statements', routine('BEGIN SET total = 1 SELECT 2; END'), /";" ending the statement before SELECT/],
    ['an IF without its condition', routine('BEGIN IF THEN SET total = 1; END IF; END'), /a condition after IF/],
    ['a CASE without END', routine('SET total = CASE WHEN n THEN 1 ELSE 2'), /END closing CASE/],
    ['THEN twice in a CASE', routine('SET total = CASE WHEN n THEN 1 THEN 2 END'), /in CASE/],
    ['a variable declared twice in one block', routine('BEGIN DECLARE a INT; DECLARE a INT; END'), /not DECLAREd yet/],
    ['LEAVE of no enclosing label', routine('BEGIN LEAVE nowhere; END'), /the label of an enclosing block/],
    ['a SQLSTATE of class 00', routine("BEGIN DECLARE EXIT HANDLER FOR SQLSTATE '00000' SET total = 1; END"), /SQLSTATE/],
    ['a function that never returns', fn('BEGIN SET n = 1; END'), /a RETURN/],
    ['a DECLARE with no type', routine('BEGIN DECLARE a DEFAULT 0; END'), /a data type/],
    ['a SET with no "="', routine('SET total 1'), /"="/],
    ['a view that reads a variable', view('select @x AS `x`'), /without variables/],
    ['a view column its table does not have', view('select `shop`.`items`.`nope` AS `nope` from `shop`.`items`'), /a column of `shop`.`items`/],
    ['a view column through an alias', view('select `i`.`nope` AS `nope` from `items` `i`'), /a column of `items`/],
    ['a trigger column its table does not have', trigger('SET NEW.nope = 1'), /a column of `items` after NEW/],
    ['a column of CREATE TABLE inside a body without its type', routine('CREATE TEMPORARY TABLE tmp (a, b INT)'), /the data type of the column/],
    ['INSERT without VALUES', routine('INSERT INTO items (id) VAXUES (1)'), /VALUES or SELECT/],
    ['ORDER without BY', routine('SELECT id FROM items ORDER id'), /BY after ORDER/],
    ['(*) of a function other than COUNT', routine('SELECT SUM(*) INTO total FROM items'), /COUNT before/],
    ['ON DUPLICATE KEY without UPDATE', routine('INSERT INTO items VALUES (1, 2, 3) ON DUPLICATE KEY UPDAT price = 1'), /UPDATE after ON DUPLICATE KEY/],
    ['an operator before a clause', routine('SELECT id + FROM items'), /a value after "\+"/],
    ['CREATE TEMPORARY without TABLE', routine('CREATE TEMPORARY TABY TABLE tmp (a INT)'), /TABLE after CREATE TEMPORARY/],
    ['"." after a reserved word', routine('SELECT DISTINCT .id FROM items'), /a name before "."/],
    ['a SELECT run into a view\'s select list', view('select 1 AS `a` select 2 AS `b`'), /before SELECT/],
    ['a view column named twice', view('select `items`.`id` AS `id`,`items`.`name` AS `id` from `items`'), /not used yet in the view/],
    ['a parameter without its type', objects('CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(a INT, b)\nSELECT 1'), /the data type of the parameter/],
    ['a parameter type out of range', objects('CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(a DECIMAL(66,2))\nSELECT 1'), /precision/],
  ])('%s', (_name, sql, expected) => {
    expect(first(sql)).toMatch(expected);
  });
});
