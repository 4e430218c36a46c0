-- Server-written expressions in CREATE TABLE: CHECK constraints, DEFAULT expressions and
-- generated columns with the functions, collations and literals real schemas use.
CREATE DATABASE zoo_tables;
USE zoo_tables;

CREATE TABLE checks (
  id INT PRIMARY KEY,
  email VARCHAR(100) COLLATE utf8mb4_unicode_ci CHECK (email REGEXP '^[^@]+@[^@]+$'),
  code CHAR(3) CHARACTER SET latin1 CHECK (code = UPPER(code) COLLATE latin1_bin),
  amount DECIMAL(10,2) CHECK (amount BETWEEN -1000 AND 1000.50),
  pct TINYINT CHECK (pct IN (0, 25, 50, 75, 100)),
  starts DATE, ends DATE,
  kind VARCHAR(10) CHECK (kind IS NULL OR kind IN ('a', 'b')),
  j JSON CHECK (JSON_VALID(j) AND JSON_TYPE(j) = 'OBJECT'),
  flag BOOLEAN CHECK (flag IS NOT FALSE),
  name VARCHAR(20) CHECK (name LIKE 'x%' ESCAPE '!' AND CHAR_LENGTH(name) > 1 AND name <> _utf8mb4'nobody'),
  CONSTRAINT dates_in_order CHECK (ends IS NULL OR ends >= starts + INTERVAL 1 DAY),
  CONSTRAINT positive_or_flagged CHECK (amount > 0 OR flag),
  CHECK (TIMESTAMPDIFF(DAY, starts, ends) < 3650)
) DEFAULT CHARSET=utf8mb4;

CREATE SEQUENCE ids;
CREATE TABLE defaults (
  id BIGINT PRIMARY KEY DEFAULT NEXTVAL(ids),
  uid CHAR(36) DEFAULT (UUID()),
  created DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3),
  day DATE DEFAULT (CURDATE() + INTERVAL 1 DAY),
  label VARCHAR(40) DEFAULT (CONCAT('item-', FLOOR(RAND() * 1000))),
  quoted VARCHAR(40) DEFAULT 'it''s "quoted"; really',
  bits BIT(8) DEFAULT b'00001111',
  hex VARBINARY(8) DEFAULT 0xCAFE,
  neg INT DEFAULT -1,
  expo DOUBLE DEFAULT 1.5e-3,
  data JSON DEFAULT (JSON_OBJECT('k', 'v')),
  who VARCHAR(80) DEFAULT (CURRENT_USER()),
  yr YEAR DEFAULT (YEAR(NOW()))
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE generated (
  id INT PRIMARY KEY,
  first VARCHAR(20), last VARCHAR(20),
  price DECIMAL(10,2), qty INT, born DATE, doc JSON,
  full_name VARCHAR(41) AS (CONCAT_WS(' ', first, last)) VIRTUAL,
  total DECIMAL(12,2) AS (price * qty) STORED,
  age_band VARCHAR(10) AS (CASE WHEN born IS NULL THEN 'unknown' WHEN born > '2000-01-01' THEN 'young' ELSE 'older' END) VIRTUAL,
  initials CHAR(2) AS (CONCAT(LEFT(first, 1), LEFT(last, 1))) PERSISTENT,
  title VARCHAR(100) AS (JSON_UNQUOTE(JSON_EXTRACT(doc, '$.title'))) VIRTUAL,
  lower_last VARCHAR(20) AS (LOWER(last) COLLATE utf8mb4_bin) VIRTUAL,
  month_start DATE AS (born - INTERVAL (DAYOFMONTH(born) - 1) DAY) VIRTUAL,
  is_big BOOLEAN AS (IF(qty > 100, TRUE, FALSE)) VIRTUAL,
  h CHAR(32) AS (MD5(CONCAT_WS('|', id, first, last))) STORED,
  KEY (full_name),
  KEY (total),
  UNIQUE KEY (h)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE keys_and_parts (
  id INT NOT NULL,
  a VARCHAR(200), b TEXT, c INT,
  PRIMARY KEY (id),
  KEY prefix (a(50), c DESC),
  KEY ordered (c DESC, id ASC),
  FULLTEXT KEY ft (b) COMMENT 'full text',
  KEY invisible_ix (c) IGNORED,
  KEY commented (a(10)) COMMENT 'a prefix; with a semicolon'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC COMMENT='keys of every kind';

CREATE TABLE partitioned_hash (id INT NOT NULL, bucket INT NOT NULL, PRIMARY KEY (id, bucket)) PARTITION BY HASH (bucket) PARTITIONS 4;
CREATE TABLE partitioned_list (id INT NOT NULL, region CHAR(2) NOT NULL, PRIMARY KEY (id, region))
  PARTITION BY LIST COLUMNS (region) (PARTITION p_eu VALUES IN ('DE', 'FR', 'IT'), PARTITION p_us VALUES IN ('US'), PARTITION p_rest DEFAULT);
CREATE TABLE partitioned_sub (id INT NOT NULL, d DATE NOT NULL, PRIMARY KEY (id, d))
  PARTITION BY RANGE (YEAR(d)) SUBPARTITION BY HASH (TO_DAYS(d)) SUBPARTITIONS 2 (
    PARTITION p0 VALUES LESS THAN (2000),
    PARTITION p1 VALUES LESS THAN MAXVALUE
  );

INSERT INTO checks (id, email, code, amount, pct, starts, ends, kind, j, flag, name) VALUES (1, 'a@b.c', 'ABC', 10, 25, '2020-01-01', '2021-01-01', 'a', '{}', TRUE, 'xy');
INSERT INTO defaults (quoted) VALUES (DEFAULT);
INSERT INTO generated (id, first, last, price, qty, born, doc) VALUES (1, 'Ada', 'Lovelace', 2.50, 4, '1815-12-10', '{"title": "Countess"}');
INSERT INTO keys_and_parts VALUES (1, 'a', 'b c d', 3);
INSERT INTO partitioned_list VALUES (1, 'DE'), (2, 'BR');
INSERT INTO partitioned_sub VALUES (1, '1999-05-05'), (2, '2020-05-05');
