// A database whose dump holds every statement form and literal kind the dump tools write: the
// grammar validator's tests dump it with every option combination and fuzz the results.
import type { TestServer } from './mariadb.js';

export const ZOO_SCHEMA = `
CREATE TABLE numbers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  t TINYINT, ts SMALLINT UNSIGNED, m MEDIUMINT ZEROFILL, b BIGINT SIGNED,
  d DECIMAL(20,6) DEFAULT '0.000000', f FLOAT, g DOUBLE, r REAL,
  flag BIT(1) DEFAULT b'0', bits BIT(12),
  y YEAR
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='numbers ''of'' every kind';

CREATE TABLE texts (
  id BIGINT UNSIGNED NOT NULL,
  c CHAR(3) CHARACTER SET latin1 NOT NULL DEFAULT '',
  v VARCHAR(200) COLLATE utf8mb4_bin,
  tt TINYTEXT, mt MEDIUMTEXT, lt LONGTEXT,
  e ENUM('a','b''c','d') NOT NULL DEFAULT 'a',
  s SET('x','y','z'),
  j JSON CHECK (json_valid(j) OR j IS NULL),
  PRIMARY KEY (id), UNIQUE KEY uk_c (c, id), FULLTEXT KEY ft_v (v)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE blobs (
  id INT PRIMARY KEY,
  bin BINARY(4), vb VARBINARY(64), tb TINYBLOB, bl BLOB, mb MEDIUMBLOB,
  ip INET6, u UUID
) ENGINE=InnoDB;

CREATE TABLE times (
  id INT PRIMARY KEY,
  dt DATETIME(6), d DATE, tm TIME(3), ts TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
  created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE shapes (
  id INT PRIMARY KEY,
  p POINT NOT NULL, g GEOMETRY,
  SPATIAL KEY sp (p)
) ENGINE=InnoDB;

CREATE TABLE generated (
  id INT PRIMARY KEY,
  a INT NOT NULL, b INT NOT NULL,
  total INT AS (a + b) VIRTUAL,
  doubled INT GENERATED ALWAYS AS (a * 2) STORED,
  secret VARCHAR(20) INVISIBLE DEFAULT 'hidden',
  KEY k_total (total)
) ENGINE=InnoDB;

CREATE TABLE history (
  id INT PRIMARY KEY,
  val VARCHAR(20)
) ENGINE=InnoDB WITH SYSTEM VERSIONING;

CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(30) NOT NULL) ENGINE=InnoDB;
CREATE TABLE child (
  id INT PRIMARY KEY,
  parent_id INT,
  qty INT CHECK (qty >= 0),
  CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE,
  CONSTRAINT qty_small CHECK (qty < 1000)
) ENGINE=InnoDB;

CREATE TABLE parts (
  id INT NOT NULL, made DATE NOT NULL, PRIMARY KEY (id, made)
) ENGINE=InnoDB PARTITION BY RANGE (YEAR(made)) (
  PARTITION p2020 VALUES LESS THAN (2021),
  PARTITION pmax VALUES LESS THAN MAXVALUE
);

CREATE TABLE myisam_notes (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, body TEXT) ENGINE=MyISAM;
CREATE TABLE empty_one (id INT PRIMARY KEY) ENGINE=InnoDB;

CREATE SEQUENCE seq_ids START WITH 100 INCREMENT BY 5;

CREATE VIEW v_children AS SELECT c.id, p.name, c.qty * 2 AS twice FROM child c JOIN parent p ON p.id = c.parent_id WHERE c.qty > 0;
CREATE VIEW v_nested AS SELECT name FROM v_children WHERE twice > 1;

CREATE FUNCTION f_label(x INT) RETURNS VARCHAR(20) CHARSET utf8mb4 DETERMINISTIC
BEGIN
  DECLARE out_label VARCHAR(20) DEFAULT '';
  CASE WHEN x < 0 THEN SET out_label = 'neg';
       WHEN x = 0 THEN SET out_label = 'zero';
       ELSE SET out_label = CONCAT('pos;', x);
  END CASE;
  RETURN out_label;
END;

CREATE PROCEDURE p_walk(IN n INT, OUT total INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE done INT DEFAULT 0;
  SET total = 0;
  -- a comment; with a semicolon
  walk: LOOP
    SET i = i + 1;
    IF i > n THEN LEAVE walk; ELSEIF i = 2 THEN ITERATE walk; END IF;
    SET total = total + i; /* block ; comment */
  END LOOP walk;
  WHILE done < 2 DO SET done = done + 1; END WHILE;
  REPEAT SET done = done - 1; UNTIL done <= 0 END REPEAT;
  SELECT 'it''s "done"; END' AS msg, f_label(total) AS label;
END;

CREATE TRIGGER trg_child_bi BEFORE INSERT ON child FOR EACH ROW
BEGIN
  IF NEW.qty IS NULL THEN SET NEW.qty = 0; END IF;
END;

CREATE TRIGGER trg_parent_au AFTER UPDATE ON parent FOR EACH ROW SET @last_parent = NEW.id;

CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2031-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE
  COMMENT 'never runs' DO BEGIN DELETE FROM myisam_notes WHERE id < 0; END;
`;

export const ZOO_DATA = `
INSERT INTO numbers (t, ts, m, b, d, f, g, r, flag, bits, y) VALUES
  (-128, 65535, 42, -9223372036854775808, -12345.678901, 1.5e-5, -1.7976931348623157e308, 0.5, b'1', b'101010101010', 2024),
  (127, 0, NULL, 9223372036854775807, 0.000001, 3.25, 1e100, -0.125, b'0', b'0', 1901),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO texts VALUES
  (1, 'abc', 'plain', 'tiny', 'medium', 'long', 'a', 'x,z', '{"k": [1, 2.5, "three"], "q": "it''s \\\\"x\\\\""}'),
  (2, '', 'quotes '' " \\\\ and ),( and ; and -- and /* */ and #', NULL, '', 'line\\nbreak\\ttab\\r\\0nul\\Zctrl', 'b''c', '', NULL),
  (3, 'xyz', 'Zoë 王小明 😀', REPEAT('t', 255), REPEAT('m', 3000), REPEAT('ü', 5000), 'd', 'y', '[]');
INSERT INTO blobs VALUES
  (1, 0x00010203, 0x27225c0a0d1a00ff, '', X'', REPEAT(0xff, 2048), '::1', '123e4567-e89b-12d3-a456-426655440000'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, 'abcd', 'text-like bytes', 'x', 'y', 'z', '2001:db8::8a2e:370:7334', NULL);
INSERT INTO times VALUES
  (1, '2024-02-29 23:59:59.999999', '1000-01-01', '-838:59:59.000', '2024-01-01 00:00:01', '2024-01-01 00:00:02'),
  (2, NULL, NULL, NULL, NULL, '2030-06-15 12:00:00');
INSERT INTO shapes VALUES (1, ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('LINESTRING(0 0,1 1,2 1)')),
  (2, ST_GeomFromText('POINT(-3.5 4e3)'), NULL);
INSERT INTO generated (id, a, b) VALUES (1, 1, 2), (2, 10, 20);
INSERT INTO generated (id, a, b, secret) VALUES (3, 5, 5, 'shown');
INSERT INTO history VALUES (1, 'first'), (2, 'second');
UPDATE history SET val = 'changed' WHERE id = 1;
INSERT INTO parent VALUES (1, 'one'), (2, 'two'), (3, 'three ''3''');
INSERT INTO child VALUES (1, 1, 5), (2, 1, 0), (3, 2, 999), (4, NULL, NULL);
INSERT INTO parts VALUES (1, '2020-05-05'), (2, '2024-01-01');
INSERT INTO myisam_notes (body) VALUES ('a'), (NULL), ('x\\\\');
`;

/** Row counts of the zoo's base tables after loading. */
export const ZOO_ROWS: Record<string, number> = {
  numbers: 3, texts: 3, blobs: 3, times: 2, shapes: 2, generated: 3, history: 2, parent: 3, child: 4, parts: 2, myisam_notes: 3, empty_one: 0,
};

export async function loadZoo(server: TestServer, db: string): Promise<void> {
  await server.createDatabase(db);
  await server.exec(`USE \`${db}\`;\n${ZOO_SCHEMA}`);
  await server.exec(`USE \`${db}\`;\n${ZOO_DATA}`);
}
