-- Valid SQL at the edges of what a checker without the full grammar might take for damage: words
-- written twice, keywords as names and aliases, blocks inside blocks inside expressions, every
-- DECLARE form, literals of every shape.
CREATE DATABASE zoo_edges;
USE zoo_edges;
CREATE TABLE t (a INT, b INT, `1col` INT, end INT, begin INT, `$d` INT, c$d INT) ENGINE=InnoDB;
CREATE TABLE u (id INT PRIMARY KEY, v VARCHAR(20));
INSERT INTO t VALUES (1, 2, 3, 4, 0, 5, 6);

DELIMITER //
CREATE PROCEDURE doubled_words()
BEGIN
  SELECT NOT NOT 1, BINARY BINARY 'a', - -1, ~ ~1, CASE CASE WHEN a > 0 THEN 1 END WHEN 1 THEN 'x' END FROM t;
  IF IF(1, 1, 0) THEN SELECT 1; END IF;
  WHILE FALSE DO DO 1; END WHILE;
  l1: REPEAT REPEAT SET @x = 1; UNTIL 1 END REPEAT; UNTIL CASE WHEN 1 THEN 1 ELSE 0 END END REPEAT;
  BEGIN BEGIN END; END;
END//

CREATE PROCEDURE keyword_names()
BEGIN
  SELECT 1 end, 2 begin, a AS `end`, t.end, t.begin, end + begin AS s FROM t WHERE end > begin ORDER BY end;
  SELECT t.1col, `1col` + 1, `$d`, c$d FROM t;
  SELECT 1 one, 'alias' 'concatenated', 2 AS 'quoted alias', 3 `backticked`, 0X1F, 1.5abc;
  UPDATE t SET end = end + 1, begin = 0 WHERE end IS NOT NULL;
END//

CREATE PROCEDURE declarations()
BEGIN
  DECLARE a, b, c INT DEFAULT 0;
  DECLARE d DECIMAL(10, 2) UNSIGNED ZEROFILL;
  DECLARE e VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT 'x';
  DECLARE f CHAR(3) CHARSET latin1;
  DECLARE g DOUBLE PRECISION DEFAULT 1e-3;
  DECLARE h NATIONAL VARCHAR(5);
  DECLARE i LONG VARCHAR;
  DECLARE j ENUM('x', 'y') DEFAULT 'y';
  DECLARE k ROW(x INT, y VARCHAR(10));
  DECLARE l ROW TYPE OF t;
  DECLARE m TYPE OF t.a DEFAULT 1;
  DECLARE n TYPE OF zoo_edges.u.v;
  DECLARE o BLOB;
  DECLARE p BOOLEAN DEFAULT TRUE;
  DECLARE q INET6;
  DECLARE r JSON DEFAULT '{}';
  DECLARE s VARCHARACTER(10);
  DECLARE u NATIONAL CHAR VARYING(5);
  DECLARE dup_key CONDITION FOR 1062;
  DECLARE missing CONDITION FOR SQLSTATE VALUE '42S02';
  DECLARE c1 CURSOR FOR SELECT a FROM t WHERE a > 0 FOR UPDATE;
  DECLARE c2 CURSOR (lo INT, hi INT) FOR SELECT a FROM t WHERE a BETWEEN lo AND hi;
  DECLARE CONTINUE HANDLER FOR dup_key, missing, SQLWARNING, NOT FOUND, 1051, SQLSTATE '23000' SET @h = 1;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
      GET DIAGNOSTICS CONDITION 1 @cls = CLASS_ORIGIN, @sub = SUBCLASS_ORIGIN;
      RESIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644;
    END;
  SET k.x = 1, k.y = 'y';
  OPEN c2(0, 10);
  CLOSE c2;
  FOR rec IN c2(1, 2) DO SELECT rec.a; END FOR;
  BEGIN
    DECLARE a INT DEFAULT 5;
    SELECT a, b, c, d, e, f, g, h, i, j, k.x, l.a, m, n, o, p, q, r, s, u;
  END;
END//

CREATE PROCEDURE literals()
  SELECT .5, 5., 1.e5, -.5, +1, 1e+10, 0x0A, X'0a', x'0A', b'01', 0b01, B'1', N'national', n'too', _utf8mb4'intro', _latin1 X'41',
         _binary 'b', 'it''s', 'a\'b', "dq ""doubled""", '', "", DATE '2024-01-01', TIME '10:00', TIMESTAMP '2024-01-01 00:00:00',
         {d '2024-01-01'}, {ts '2024-01-01 00:00:00'}, @`quoted var`, @'single quoted', @"double quoted", @@GLOBAL.max_connections,
         @@local.sql_mode, @@session.autocommit, 1 <=> NULL, 1 & 2 | 3 ^ 4 << 1 >> 1, 5 DIV 2, 5 MOD 2, 5 % 2, !0, 1 XOR 0//

CREATE PROCEDURE joins_and_sets(OUT x INT)
BEGIN
  SET @x = @y := 3;
  SET x = (SELECT 1) + (SELECT 2), @z = x;
  SELECT 1 INTO @one FROM DUAL;
  SELECT a, v INTO @a, @v FROM t NATURAL JOIN u LIMIT 1;
  SELECT STRAIGHT_JOIN t.a FROM t STRAIGHT_JOIN u ON u.id = t.a;
  SELECT a FROM t ORDER BY a LIMIT 1 OFFSET 0;
  SELECT a FROM t ORDER BY a OFFSET 0 ROWS FETCH FIRST 1 ROWS ONLY;
  SELECT 1 one UNION SELECT 2 INTERSECT SELECT 2 EXCEPT SELECT 3;
  (SELECT a FROM t) UNION ALL (SELECT id FROM u) ORDER BY 1;
  WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n;
  VALUES (1, 'a'), (2, 'b');
  SELECT a FROM t WHERE a = ALL (SELECT 1) OR a > ANY (SELECT 0) OR a < SOME (SELECT 9) OR EXISTS (SELECT 1);
  SELECT a FROM t WHERE a IN (1, 2) AND b NOT BETWEEN 1 AND 2 OR b IS NOT NULL XOR a IS TRUE;
  DELETE FROM u WHERE id IN (SELECT id FROM (SELECT id FROM u) x);
  PREPARE s FROM 'SELECT ?, ?';
  EXECUTE s USING 1 + 1, @x;
  DEALLOCATE PREPARE s;
  EXECUTE IMMEDIATE 'SELECT 1';
  CREATE TEMPORARY TABLE tmp1 (a INT, KEY (a), CONSTRAINT CHECK (a > 0)) ENGINE=MEMORY;
  CREATE TEMPORARY TABLE tmp2 LIKE tmp1;
  CREATE TEMPORARY TABLE tmp3 (SELECT 1 AS a);
  CREATE TEMPORARY TABLE IF NOT EXISTS tmp4 (text TEXT, date DATE, `key` INT, status VARCHAR(5) NOT NULL DEFAULT 'x' COMMENT 'c');
  INSERT INTO tmp1 () VALUES ();
  INSERT INTO tmp1 (SELECT 2);
  INSERT tmp1 VALUE (3);
  INSERT INTO tmp1 SET a = 4;
  INSERT INTO tmp1 (a) SELECT 5 FROM DUAL;
  REPLACE tmp1 (a) VALUES (6);
  DROP TEMPORARY TABLE IF EXISTS tmp1, tmp2, tmp3, tmp4;
  DROP TABLE IF EXISTS zoo_edges.never_there RESTRICT;
  DROP VIEW IF EXISTS never_there;
END//

CREATE PROCEDURE cases_in_cases(IN v INT)
BEGIN
  CASE
    WHEN v = 1 THEN
      CASE v WHEN 1 THEN SET @r = CASE WHEN v > 0 THEN 'p' ELSE 'n' END; ELSE BEGIN END; END CASE;
    WHEN v IN (2, 3) THEN
      IF v = 2 THEN SET @r = 'two'; ELSEIF v = 3 THEN SET @r = 'three'; ELSE SET @r = NULL; END IF;
    ELSE
      outer_loop: LOOP
        inner_loop: WHILE v > 0 DO
          SET v = v - 1;
          IF v = 5 THEN ITERATE inner_loop; END IF;
          IF v = 3 THEN ITERATE outer_loop; END IF;
          IF v = 1 THEN LEAVE outer_loop; END IF;
        END WHILE inner_loop;
        LEAVE outer_loop;
      END LOOP outer_loop;
  END CASE;
  SELECT IF(v > 0, 'yes', 'no') AS answer, REPEAT('x', 3) AS xs, CASE WHEN v THEN (CASE v WHEN 1 THEN 1 END) END AS nested;
END//

CREATE FUNCTION f_returns(a INT) RETURNS INT DETERMINISTIC
BEGIN
  IF a IS NULL THEN RETURN 0; END IF;
  RETURN CASE WHEN a > 0 THEN (SELECT COUNT(*) FROM t) ELSE -a END;
END//

CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
BEGIN
  SET NEW.end = COALESCE(NEW.end, NEW.begin + 1), NEW.`1col` = NEW.`$d`;
  SET @last = NEW.c$d;
END//
DELIMITER ;

CREATE VIEW v_keywords AS SELECT end, begin, `1col`, `$d` FROM t WHERE end > begin;
CREATE VIEW v_keywords_2 AS SELECT end AS e, begin AS b FROM v_keywords;
CREATE VIEW v_columns (x, y) AS SELECT a, b FROM t;
CREATE VIEW v_columns_2 AS SELECT v.x + v.y AS s FROM v_columns v;
