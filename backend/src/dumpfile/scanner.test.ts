import { describe, expect, it } from 'vitest';
import { DumpScanner, type ScanSummary } from './scanner.js';

const DUMP = `-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: 127.0.0.1    Database: shop
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*M!999999\\- enable the sandbox mode */ ;
-- CHANGE MASTER TO MASTER_LOG_FILE='binlog.000002', MASTER_LOG_POS=1234;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`shop\` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
USE \`shop\`;
DROP TABLE IF EXISTS \`notes\`;
CREATE TABLE \`notes\` (
  \`id\` int(11) NOT NULL,
  \`body\` text DEFAULT NULL COMMENT 'a ; and a ''quote''',
  PRIMARY KEY (\`id\`)
) ENGINE=Aria DEFAULT CHARSET=utf8mb4;
INSERT INTO \`notes\` VALUES (1,'values (\\'a\\'),(\\'b\\') look like rows: \\'),(\\''),(2,'two; statements; -- no comment /* none */'),(3,NULL),(4,0x00FF27),(5,'back\\\\'),(6,'ends with backslash quote \\\\\\'');
INSERT INTO \`notes\` VALUES (7,'#hash'),(8,'"dq" \`bt\`');
CREATE TABLE \`empty\` (\`id\` int) ENGINE=InnoDB;
/*!50001 CREATE VIEW \`v\` AS SELECT
 1 AS \`id\` */;
/*!50001 DROP VIEW IF EXISTS \`v\`*/;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER */
/*!50001 VIEW \`v\` AS select \`notes\`.\`id\` AS \`id\` from \`notes\` */;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER trg BEFORE INSERT ON \`notes\` FOR EACH ROW BEGIN
  -- don't stop at this quote
  SET NEW.body = CONCAT(NEW.body, ';');
END */;;
DELIMITER ;
DELIMITER ;;
CREATE DEFINER=\`root\`@\`localhost\` PROCEDURE \`p\`(IN x INT)
BEGIN
  SELECT x; SELECT ')(';
END ;;
CREATE DEFINER=\`root\`@\`localhost\` FUNCTION \`f\`() RETURNS int(11)
RETURN 1 ;;
/*!50106 CREATE*/ /*!50117 DEFINER=\`root\`@\`localhost\`*/ /*!50106 EVENT \`e\` ON SCHEDULE EVERY 1 DAY DO DELETE FROM notes */ ;;
DELIMITER ;
INSERT INTO \`notes\` (\`id\`, \`body\`) VALUES (9,'x'),(10,'y');
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2026-11-22  1:39:41
`;

function scan(text: string | Buffer, chunk = Infinity): ScanSummary {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const s = new DumpScanner();
  for (let i = 0; i < buf.length; i += chunk === Infinity ? buf.length : chunk) s.write(buf.subarray(i, Math.min(buf.length, i + chunk)));
  return s.end();
}

describe('DumpScanner', () => {
  it('counts rows per table through quotes, escapes, comments and delimiters', () => {
    const s = scan(DUMP);
    expect(Object.fromEntries(s.tables)).toEqual({ 'shop.notes': 10, 'shop.empty': 0 });
    expect(s.objects).toEqual({ view: ['shop.v'], trigger: ['shop.trg'], procedure: ['shop.p'], function: ['shop.f'], event: ['shop.e'] });
    expect(s.cut).toBeNull();
    expect(s.lastComment).toMatch(/^Dump completed on/);
    expect(s.contentAfterLastComment).toBe(false);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const whole = scan(DUMP);
    for (const size of [1, 2, 3, 5, 7, 13, 64]) {
      const s = scan(DUMP, size);
      expect(Object.fromEntries(s.tables), `chunk ${size}`).toEqual(Object.fromEntries(whole.tables));
      expect(s.objects, `chunk ${size}`).toEqual(whole.objects);
      expect(s.statements, `chunk ${size}`).toBe(whole.statements);
      expect(s.lastComment).toBe(whole.lastComment);
      expect(s.cut).toBeNull();
    }
  });

  it('reports the comments it sees (binlog coordinates live there)', () => {
    const comments: string[] = [];
    const s = new DumpScanner({ comment: (c) => comments.push(c) });
    s.write(Buffer.from(DUMP));
    s.end();
    expect(comments).toContain("CHANGE MASTER TO MASTER_LOG_FILE='binlog.000002', MASTER_LOG_POS=1234;");
    // The `--` inside the trigger body is not a top-level comment.
    expect(comments.some((c) => c.includes("don't"))).toBe(false);
  });

  it('detects a stream cut inside a string, a statement or a comment', () => {
    const at = DUMP.indexOf("look like rows");
    expect(scan(DUMP.slice(0, at)).cut).toMatch(/inside a quoted string/);
    const stmt = DUMP.indexOf('(7,');
    expect(scan(DUMP.slice(0, stmt)).cut).toMatch(/unterminated statement/);
    expect(scan('SELECT 1; /* open').cut).toMatch(/comment/);
  });

  it('notices content after the trailer and a missing trailer', () => {
    const after = scan(`${DUMP}INSERT INTO \`notes\` VALUES (11,'late');\n`);
    expect(after.contentAfterLastComment).toBe(true);
    const noTrailer = scan(DUMP.replace(/-- Dump completed.*\n/, ''));
    expect(noTrailer.lastComment).not.toMatch(/^Dump completed/);
  });

  it('counts single-row INSERTs and qualified names', () => {
    const s = scan("INSERT INTO `a`.`b` VALUES (1);\nINSERT INTO `a`.`b` VALUES (2);\nREPLACE INTO `c` VALUES (1),(2),(3);\n");
    expect(Object.fromEntries(s.tables)).toEqual({ 'a.b': 2, c: 3 });
  });
  it('counts the rows of long statements through long strings, escape runs and hex at any chunk boundary', () => {
    // Past the first 512 bytes of a statement the scanner takes its fast paths; strings over 32 bytes are searched natively.
    const values = [
      `'${'a'.repeat(100)}'`,
      `'${'\\\\'.repeat(20)}'`, // an even run of backslashes just before the closing quote
      `'it\\'s ${'\\\\\\\''.repeat(5)} (not a row), ${'x'.repeat(40)}'`, // escaped quotes after backslash pairs
      `"dq ${'\\"'.repeat(30)} ; -- /* "`,
      `0x${'0A1B'.repeat(300)}`,
      "'short'",
      'NULL',
    ];
    const rows = Array.from({ length: 120 }, (_, i) => `(${i},${values[i % values.length]},-${i}.5)`);
    const sql = `INSERT INTO \`big\` VALUES ${rows.join(',')};\nINSERT INTO \`big\` (\`a\`) VALUES ${rows.slice(0, 7).join(',\n')};\n-- Dump completed\n`;
    for (const size of [Infinity, 1, 3, 31, 33, 500, 4096]) {
      const s = scan(sql, size);
      expect(Object.fromEntries(s.tables), `chunk ${size}`).toEqual({ big: 127 });
      expect(s.cut, `chunk ${size}`).toBeNull();
      expect(s.statements).toBe(2);
      expect(s.lastComment).toBe('Dump completed');
    }
    expect(scan(sql.slice(0, sql.indexOf('(not a row)')), 7).cut).toMatch(/inside a quoted string/);
  });
});
