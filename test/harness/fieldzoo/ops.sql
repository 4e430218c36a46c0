-- Operational stored programs: dynamic SQL, cursors and handlers, labelled loops, nested blocks,
-- transactions, session variables, temporary tables, every DML form a procedure may run.
CREATE DATABASE zoo_ops;
USE zoo_ops;

CREATE TABLE jobs (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  state ENUM('new','running','done','failed') NOT NULL DEFAULT 'new',
  tries TINYINT UNSIGNED NOT NULL DEFAULT 0,
  payload TEXT,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  UNIQUE KEY uk_name (name)
) ENGINE=InnoDB;
CREATE TABLE job_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, job_id INT, line VARCHAR(500), at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB;
CREATE TABLE counters (name VARCHAR(32) PRIMARY KEY, value BIGINT NOT NULL DEFAULT 0) ENGINE=InnoDB;
CREATE TABLE kv (k VARCHAR(100) PRIMARY KEY, v VARCHAR(1000), hits INT NOT NULL DEFAULT 0) ENGINE=InnoDB;
CREATE TABLE archive_jobs LIKE jobs;

DELIMITER $$
CREATE PROCEDURE purge_table(IN p_table VARCHAR(64), IN p_days INT)
  MODIFIES SQL DATA
  SQL SECURITY INVOKER
  COMMENT 'DELETE FROM <table> WHERE created_at is older than p_days'
BEGIN
  SET @sql = CONCAT('DELETE FROM `', REPLACE(p_table, '`', '``'), '` WHERE created_at < NOW() - INTERVAL ', p_days, ' DAY');
  PREPARE stmt FROM @sql;
  EXECUTE stmt;
  SELECT ROW_COUNT() AS deleted;
  DEALLOCATE PREPARE stmt;
END$$

CREATE PROCEDURE count_rows(IN p_table VARCHAR(64), OUT p_rows BIGINT)
  READS SQL DATA
BEGIN
  SET @q = CONCAT('SELECT COUNT(*) INTO @n FROM ', p_table, ' WHERE id > ?');
  SET @min = 0;
  PREPARE s FROM @q;
  EXECUTE s USING @min;
  DROP PREPARE s;
  SET p_rows = @n;
END$$

CREATE PROCEDURE run_immediate(IN p_sql TEXT)
  MODIFIES SQL DATA
BEGIN
  EXECUTE IMMEDIATE p_sql;
  EXECUTE IMMEDIATE CONCAT('SELECT ', QUOTE(p_sql), ' AS ran');
  EXECUTE IMMEDIATE 'SELECT ? + ? AS sum' USING 1, 2;
END$$

CREATE PROCEDURE process_jobs(IN p_limit INT, OUT p_done INT)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_id INT;
  DECLARE v_name VARCHAR(64);
  DECLARE v_finished BOOLEAN DEFAULT FALSE;
  DECLARE cur CURSOR FOR SELECT id, name FROM jobs WHERE state = 'new' ORDER BY id LIMIT p_limit;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_finished = TRUE;
  DECLARE CONTINUE HANDLER FOR SQLWARNING BEGIN END;

  SET p_done = 0;
  OPEN cur;
  read_loop: LOOP
    FETCH cur INTO v_id, v_name;
    IF v_finished THEN
      LEAVE read_loop;
    END IF;
    IF v_name LIKE 'skip%' THEN
      ITERATE read_loop;
    END IF;
    UPDATE jobs SET state = 'running', started_at = NOW(), tries = tries + 1 WHERE id = v_id;
    INSERT INTO job_log (job_id, line) VALUES (v_id, CONCAT('started ', v_name, ';'));
    SET p_done = p_done + 1;
  END LOOP read_loop;
  CLOSE cur;
END$$

CREATE PROCEDURE retry_failed()
  MODIFIES SQL DATA
BEGIN
  DECLARE dup_key CONDITION FOR 1062;
  DECLARE no_table CONDITION FOR SQLSTATE '42S02';
  DECLARE v_rows INT DEFAULT 0;
  DECLARE CONTINUE HANDLER FOR dup_key, SQLSTATE '23000'
    INSERT INTO job_log (line) VALUES ('duplicate ignored');
  DECLARE EXIT HANDLER FOR no_table
  BEGIN
    GET DIAGNOSTICS @n = NUMBER, @rows = ROW_COUNT;
    GET CURRENT DIAGNOSTICS CONDITION 1 @state = RETURNED_SQLSTATE, @errno = MYSQL_ERRNO, @text = MESSAGE_TEXT;
    SELECT @state, @errno, @text;
  END;
  UPDATE jobs SET state = 'new' WHERE state = 'failed' AND tries < 3;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  IF v_rows = 0 THEN
    SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = 'nothing to retry';
  END IF;
END$$

CREATE PROCEDURE nested_blocks(INOUT p_acc INT)
  NO SQL
outer_block: BEGIN
  DECLARE x INT DEFAULT 1;
  inner_block: BEGIN
    DECLARE x INT DEFAULT 10;
    DECLARE y INT DEFAULT x * 2;
    SET p_acc = p_acc + x + y;
    BEGIN
      DECLARE z INT;
      SET z = p_acc MOD 7;
      IF z = 0 THEN LEAVE outer_block; END IF;
      SET p_acc = p_acc + z;
    END;
  END inner_block;
  SET p_acc = p_acc + x;
END outer_block$$

CREATE PROCEDURE loops(IN n INT)
  NO SQL
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE total BIGINT DEFAULT 0;
  w: WHILE i < n DO
    SET i = i + 1;
    IF i % 2 = 0 THEN ITERATE w; END IF;
    SET total = total + i;
  END WHILE w;
  r: REPEAT
    SET i = i - 1;
    IF i = 3 THEN LEAVE r; END IF;
  UNTIL i <= 0 END REPEAT r;
  REPEAT SET total = total - 1; UNTIL total < 100 OR CASE WHEN i > 5 THEN TRUE ELSE FALSE END END REPEAT;
  WHILE FALSE DO SET i = 0; END WHILE;
  l: LOOP
    SET i = i + 1;
    IF i > 3 THEN LEAVE l; ELSEIF i = 2 THEN ITERATE l; ELSE SET total = total * 2; END IF;
  END LOOP;
  FOR k IN 1 .. 5 DO SET total = total + k; END FOR;
  f: FOR k IN REVERSE 1..3 DO SET total = total - k; END FOR f;
  FOR rec IN (SELECT 1 AS a UNION SELECT 2) DO SET total = total + rec.a; END FOR;
  SELECT total, i;
END$$

CREATE PROCEDURE case_forms(IN code INT, OUT label VARCHAR(20))
  NO SQL
BEGIN
  CASE code
    WHEN 1 THEN SET label = 'one';
    WHEN 2 THEN SET label = 'two';
    ELSE
      BEGIN
        SET label = 'many';
      END;
  END CASE;
  CASE
    WHEN code < 0 THEN SET label = CONCAT('-', label);
    WHEN code BETWEEN 0 AND 9 THEN SET label = CONCAT(label, ' (digit)');
    ELSE SET label = CASE WHEN code > 1000 THEN 'huge' ELSE label END;
  END CASE;
END$$

CREATE PROCEDURE cursor_with_temp(IN p_prefix VARCHAR(20))
  MODIFIES SQL DATA
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE v_k VARCHAR(100);
  DECLARE v_v VARCHAR(1000);
  DECLARE c1 CURSOR FOR SELECT k, v FROM tmp_kv ORDER BY k;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;

  DROP TEMPORARY TABLE IF EXISTS tmp_kv;
  CREATE TEMPORARY TABLE tmp_kv ENGINE=MEMORY AS SELECT k, v FROM kv WHERE k LIKE CONCAT(p_prefix, '%');
  CREATE TEMPORARY TABLE IF NOT EXISTS tmp_out (k VARCHAR(100), n INT) ENGINE=InnoDB;
  OPEN c1;
  fetching: REPEAT
    FETCH c1 INTO v_k, v_v;
    IF NOT done THEN
      INSERT INTO tmp_out VALUES (v_k, CHAR_LENGTH(v_v));
    END IF;
  UNTIL done END REPEAT fetching;
  CLOSE c1;
  SELECT * FROM tmp_out;
  DROP TEMPORARY TABLE tmp_kv, tmp_out;
END$$

CREATE PROCEDURE snapshot_jobs()
  MODIFIES SQL DATA
BEGIN
  DROP TABLE IF EXISTS jobs_snapshot;
  CREATE TABLE jobs_snapshot SELECT id, name, state FROM jobs WHERE state <> 'done';
  CREATE TABLE IF NOT EXISTS jobs_snapshot_meta (taken DATETIME) SELECT NOW() AS taken;
  INSERT INTO archive_jobs SELECT * FROM jobs WHERE state = 'done' ON DUPLICATE KEY UPDATE state = VALUES(state);
  REPLACE INTO counters (name, value) SELECT 'archived', COUNT(*) FROM archive_jobs;
  REPLACE counters SET name = 'snapshots', value = value + 1;
  INSERT INTO counters SET name = 'runs', value = 1 ON DUPLICATE KEY UPDATE value = value + 1;
  DELETE FROM jobs WHERE state = 'done' ORDER BY finished_at LIMIT 1000;
  TRUNCATE TABLE job_log;
  TRUNCATE job_log;
END$$

CREATE PROCEDURE sessions_and_vars()
  READS SQL DATA
BEGIN
  DECLARE old_mode VARCHAR(500);
  SET old_mode = @@SESSION.sql_mode;
  SET SESSION group_concat_max_len = 1000000;
  SET @@SESSION.sql_mode = CONCAT(@@session.sql_mode, ',NO_ZERO_DATE');
  SET @@session.max_sp_recursion_depth = 10, @@max_error_count = 100;
  SET LOCAL sql_select_limit = DEFAULT;
  SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
  SET TRANSACTION READ ONLY;
  SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
  SET CHARACTER SET utf8mb4;
  SET @rownum := 0, @prev := NULL;
  SELECT @rownum := @rownum + 1 AS n, name, @prev := state AS state FROM jobs ORDER BY id;
  SELECT @@GLOBAL.read_only, @@session.autocommit, @@version, @@hostname INTO @ro, @ac, @ver, @host;
  SET STATEMENT max_statement_time = 5 FOR SELECT SLEEP(0);
  SET sql_mode = old_mode;
  SET @@sql_mode = old_mode;
END$$

CREATE PROCEDURE transactions(IN p_id INT)
  MODIFIES SQL DATA
BEGIN
  START TRANSACTION WITH CONSISTENT SNAPSHOT;
  SAVEPOINT before_update;
  UPDATE jobs SET state = 'done', finished_at = NOW() WHERE id = p_id;
  IF ROW_COUNT() <> 1 THEN
    ROLLBACK TO SAVEPOINT before_update;
  ELSE
    RELEASE SAVEPOINT before_update;
  END IF;
  COMMIT AND NO CHAIN;
  START TRANSACTION READ WRITE;
  SELECT * FROM jobs WHERE id = p_id FOR UPDATE;
  SELECT * FROM jobs WHERE id = p_id LOCK IN SHARE MODE;
  ROLLBACK;
END$$

CREATE PROCEDURE calls(OUT p_out INT)
  MODIFIES SQL DATA
BEGIN
  DECLARE v INT DEFAULT 5;
  CALL nested_blocks(v);
  CALL zoo_ops.nested_blocks(@acc);
  CALL process_jobs(10, p_out);
  CALL loops(3);
  CALL sessions_and_vars;
  CALL `sessions_and_vars`();
  DO SLEEP(0), RELEASE_LOCK('x');
  SELECT GET_LOCK('zoo', 0) INTO @got;
  SELECT SQL_CALC_FOUND_ROWS id FROM jobs LIMIT 1;
  SELECT FOUND_ROWS() INTO @found;
  SELECT LAST_INSERT_ID(), ROW_COUNT() INTO @lid, @rc;
END$$

CREATE PROCEDURE multi_table(IN p_state VARCHAR(10))
  MODIFIES SQL DATA
BEGIN
  UPDATE jobs j JOIN job_log l ON l.job_id = j.id
     SET j.tries = j.tries + 1, l.line = CONCAT(l.line, ' (retried)')
   WHERE j.state = p_state;
  UPDATE LOW_PRIORITY IGNORE jobs SET tries = 0 WHERE state = 'new' ORDER BY id DESC LIMIT 10;
  DELETE j, l FROM jobs j LEFT JOIN job_log l ON l.job_id = j.id WHERE j.state = 'failed' AND j.tries > 5;
  DELETE QUICK IGNORE FROM job_log WHERE job_id NOT IN (SELECT id FROM jobs);
  DELETE FROM l USING job_log AS l LEFT JOIN jobs AS j ON j.id = l.job_id WHERE j.id IS NULL;
  INSERT INTO kv (k, v) SELECT CONCAT('job:', id), name FROM jobs
    ON DUPLICATE KEY UPDATE v = VALUES(v), hits = hits + 1;
  INSERT IGNORE INTO kv VALUES ('a', 'b', 0), ('c', NULL, DEFAULT);
  INSERT INTO kv (k, v) VALUE ('single', 'row');
  INSERT LOW_PRIORITY INTO counters (name) VALUES ('lp');
  INSERT HIGH_PRIORITY INTO counters (name) SELECT 'hp' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = 'hp');
  INSERT INTO counters (name, value) VALUES ('ret', 1) RETURNING name, value;
  DELETE FROM counters WHERE name = 'ret' RETURNING value;
END$$

CREATE PROCEDURE admin_statements()
  MODIFIES SQL DATA
BEGIN
  ANALYZE TABLE jobs;
  OPTIMIZE TABLE job_log;
  SHOW TABLES;
  SHOW WARNINGS LIMIT 10;
  SHOW CREATE TABLE jobs;
  FLUSH TABLES jobs;
  ALTER TABLE kv COMMENT = 'key value store';
  RENAME TABLE kv TO kv_old, kv_old TO kv;
  CREATE INDEX ix_hits ON kv (hits);
  DROP INDEX ix_hits ON kv;
  DESCRIBE jobs;
  EXPLAIN SELECT * FROM jobs WHERE id = 1;
END$$

CREATE FUNCTION next_counter(p_name VARCHAR(32)) RETURNS BIGINT UNSIGNED
  MODIFIES SQL DATA
BEGIN
  INSERT INTO counters (name, value) VALUES (p_name, LAST_INSERT_ID(1))
    ON DUPLICATE KEY UPDATE value = LAST_INSERT_ID(value + 1);
  RETURN LAST_INSERT_ID();
END$$

CREATE FUNCTION slugify(p_text VARCHAR(255)) RETURNS VARCHAR(255) CHARSET utf8mb4
  DETERMINISTIC
  NO SQL
  COMMENT 'lower case, dashes for anything else'
BEGIN
  DECLARE s VARCHAR(255) DEFAULT LOWER(TRIM(p_text));
  SET s = REGEXP_REPLACE(s, '[^a-z0-9]+', '-');
  SET s = TRIM(BOTH '-' FROM s);
  RETURN IF(s = '', 'n-a', s);
END$$

CREATE FUNCTION fib(n INT) RETURNS DECIMAL(65,0)
  DETERMINISTIC
BEGIN
  DECLARE a, b, t DECIMAL(65,0) DEFAULT 0;
  DECLARE i INT DEFAULT 0;
  SET b = 1;
  WHILE i < n DO
    SET t = a + b, a = b, b = t, i = i + 1;
  END WHILE;
  RETURN a;
END$$

CREATE FUNCTION job_age(p_id INT) RETURNS VARCHAR(40)
  READS SQL DATA
BEGIN
  DECLARE created DATETIME;
  DECLARE EXIT HANDLER FOR NOT FOUND RETURN 'no such job';
  SELECT created_at INTO created FROM jobs WHERE id = p_id;
  RETURN CASE
    WHEN created IS NULL THEN 'unknown'
    WHEN TIMESTAMPDIFF(MINUTE, created, NOW()) < 60 THEN CONCAT(TIMESTAMPDIFF(MINUTE, created, NOW()), ' min')
    WHEN DATEDIFF(NOW(), created) < 2 THEN CONCAT(TIMESTAMPDIFF(HOUR, created, NOW()), ' h')
    ELSE DATE_FORMAT(created, '%Y-%m-%d %H:%i')
  END;
END$$

CREATE FUNCTION money(p DECIMAL(10,2)) RETURNS VARCHAR(30) DETERMINISTIC
  RETURN CONCAT(FORMAT(p, 2, 'de_DE'), ' €')$$

CREATE FUNCTION uuid_bin() RETURNS BINARY(16) NOT DETERMINISTIC NO SQL
  RETURN UNHEX(REPLACE(UUID(), '-', ''))$$

CREATE FUNCTION ratio(a INT, b INT) RETURNS DOUBLE DETERMINISTIC
  RETURN a / NULLIF(b, 0)$$

CREATE FUNCTION is_weekend(d DATE) RETURNS BOOLEAN DETERMINISTIC
  RETURN DAYOFWEEK(d) IN (1, 7)$$

CREATE FUNCTION conversions(p TEXT) RETURNS TEXT CHARSET latin1 DETERMINISTIC
  RETURN CONCAT(CONVERT(p USING latin1), CAST(p AS CHAR(10) CHARACTER SET latin1), CONVERT(LEFT(p, 3), CHAR), BINARY p = 'x', p COLLATE utf8mb4_bin LIKE 'a%', CAST(1.5 AS SIGNED), CAST('2020-01-01' AS DATE) + INTERVAL 1 DAY, CAST(p AS UNSIGNED INTEGER))$$

CREATE AGGREGATE FUNCTION agg_concat(x VARCHAR(100)) RETURNS TEXT
BEGIN
  DECLARE acc TEXT DEFAULT '';
  DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN acc;
  LOOP
    FETCH GROUP NEXT ROW;
    SET acc = CONCAT_WS(',', NULLIF(acc, ''), x);
  END LOOP;
END$$
DELIMITER ;

CREATE VIEW job_overview AS
  SELECT state, COUNT(*) AS jobs, SUM(tries) AS tries, AVG(TIMESTAMPDIFF(SECOND, started_at, finished_at)) AS avg_seconds,
         agg_concat(name) AS names, fib(10) AS f10, slugify(MAX(name)) AS slug
  FROM jobs GROUP BY state;

INSERT INTO jobs (name, payload) VALUES ('first', 'x'), ('skip me', NULL), ('third', REPEAT('y', 10));
INSERT INTO kv (k, v) VALUES ('cfg.a', '1'), ('cfg.b', 'two');
