-- Names that need quotes (spaces, reserved words, unicode, backticks), keywords a server lets
-- stand unquoted as names, comments and tricky strings inside bodies, unusual delimiters.
CREATE DATABASE `zoo odd names`;
USE `zoo odd names`;

CREATE TABLE `my table` (
  `id` INT NOT NULL PRIMARY KEY,
  `select` VARCHAR(20),
  `from` DATE,
  `group` INT,
  `order` INT,
  `key` VARCHAR(10),
  `desc` TEXT,
  `1st` INT,
  `col with ``tick``` INT,
  `ünïcödé` VARCHAR(10),
  `名前` VARCHAR(20),
  `emojiç` INT,
  `trailing.dot` INT
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE `order` (`id` INT PRIMARY KEY, `table` INT, `index` INT) DEFAULT CHARSET=utf8mb4;
CREATE TABLE periods (id INT PRIMARY KEY, begin INT, end INT, year INT, status VARCHAR(10), value INT, date DATE, name VARCHAR(20), type INT, comment TEXT, level INT, position INT, data TEXT, text TEXT, timestamp DATETIME, action INT, language INT, row_count INT);
CREATE TABLE `2024_archive` (id INT PRIMARY KEY, `e1` INT, e2e INT);
CREATE TABLE `with "double" and 'single'` (id INT PRIMARY KEY);

DELIMITER //
CREATE PROCEDURE `proc with spaces`(IN `the input` INT, OUT `select` INT)
BEGIN
  SET `select` = `the input` * 2;
  SELECT `select`, `from`, `group`, `order`, `key`, `desc`, `1st`, `col with ``tick```, `ünïcödé`, `名前`, `emojiç`, `trailing.dot`
    FROM `my table` WHERE `id` = `the input`;
END//

CREATE PROCEDURE keywords_as_names()
  READS SQL DATA
BEGIN
  -- words a server reserves for itself elsewhere but accepts as names
  SELECT begin, end, year year, status, value, date, name, type, comment, level, position, data, text, timestamp, action, language, row_count
    FROM periods
   WHERE end > begin AND year BETWEEN 2000 AND 2100
   ORDER BY end DESC, begin;
  SELECT p.end - p.begin AS span, p.year AS `year`, 1 one, 'a' 'b' two, 1.5abc, 2e3 AS e, .5 AS half, 0x41 AS hex, b'101' AS bits, X'4142' AS hexstr
    FROM periods p;
  SELECT id, e1, e2e, 1e1 FROM `2024_archive` WHERE e2e > 1e-3;
END//

CREATE FUNCTION `ünïcödé fn`(`名前` VARCHAR(20)) RETURNS VARCHAR(40) CHARSET utf8mb4
  DETERMINISTIC
  RETURN CONCAT('«', `名前`, '» — ✓')//

CREATE PROCEDURE comments_everywhere() -- a comment after the head
  NO SQL
BEGIN -- after BEGIN
  # a hash comment; with a semicolon and END IF
  DECLARE x INT DEFAULT 1; /* a block comment
     over two lines; END; */
  /* DECLARE y INT; */
  IF x = 1 THEN -- the IF
    SET x = 2; # SET x = 3;
  END IF; /* after END IF */
  SELECT 1 /* inline */ + /* two */ 2 AS three, 'not -- a comment', 'not # one either', 'nor /* this */';
  SELECT 3--1 AS minus_minus;
  SELECT 4 -- a real one
    + 1 AS five;
END//

CREATE PROCEDURE strings_everywhere()
  NO SQL
BEGIN
  DECLARE s VARCHAR(200) DEFAULT 'it''s; "quoted"; END';
  SET s = 'semicolons; inside; strings; END IF; END WHILE;';
  SET s = "double quotes; with 'single' inside and "" doubled";
  SET s = 'backslash \\ and \' escaped quote and \n newline \t tab \0 nul \Z ctrl-z \% percent \_ underscore';
  SET s = CONCAT('a', "b", 'c' 'd' "e", _utf8mb4'f', _latin1'g', N'national', _binary'bytes', X'41', 0x42);
  SET s = '-- not a comment', s = '/* not a comment */', s = '# not a comment';
  SET s = 'DELIMITER ;';
  SELECT s LIKE 'a\_%' ESCAPE '\\', s LIKE '%|%%' ESCAPE '|', s NOT LIKE '_%', s REGEXP '^[[:alpha:]]+$', s RLIKE 'x|y', s SOUNDS LIKE 'sss';
  SELECT '' AS empty, '''' AS quote, '\\' AS backslash, '`' AS backtick, '"' AS dq, ')' AS paren, '(' AS open_paren, ';;' AS delim;
END//
DELIMITER ;

DELIMITER $$$
CREATE TRIGGER `my table bi` BEFORE INSERT ON `my table` FOR EACH ROW
BEGIN
  SET NEW.`select` = UPPER(NEW.`select`), NEW.`col with ``tick``` = COALESCE(NEW.`col with ``tick```, 0);
  SET NEW.`名前` = TRIM(NEW.`名前`);
END$$$
DELIMITER ;

DELIMITER @@
CREATE TRIGGER `order au` AFTER UPDATE ON `order` FOR EACH ROW
  UPDATE `my table` SET `order` = NEW.`index` WHERE `id` = OLD.`table`@@
DELIMITER ;

DELIMITER END_OF_IT
CREATE TRIGGER periods_bi BEFORE INSERT ON periods FOR EACH ROW
  SET NEW.end = GREATEST(NEW.end, NEW.begin), NEW.year = YEAR(COALESCE(NEW.date, CURDATE()))END_OF_IT
DELIMITER ;

CREATE VIEW `view of ``my table``` AS SELECT `id` AS `the id`, `select` AS `from`, `名前` AS `名前` FROM `my table`;
CREATE VIEW `order view` AS SELECT o.`table`, o.`index`, m.`group` FROM `order` o JOIN `my table` m ON m.id = o.id;
CREATE VIEW keyword_columns AS SELECT begin, end, year, status, value FROM periods WHERE end IS NOT NULL;

INSERT INTO `my table` (`id`, `select`, `名前`) VALUES (1, 'x', ' 名 ');
INSERT INTO `order` VALUES (1, 1, 1);
INSERT INTO periods (id, begin, end) VALUES (1, 1, 5);
