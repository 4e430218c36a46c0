-- MariaDB's own objects: sequences read by defaults, routines and views; system-versioned and
-- application-time tables queried in the past.
CREATE DATABASE zoo_versioned;
USE zoo_versioned;

CREATE SEQUENCE invoice_seq START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999999999 CACHE 50 CYCLE;
CREATE SEQUENCE plain_seq;
CREATE SEQUENCE small_seq START WITH 1 MAXVALUE 65535 NOCACHE NOCYCLE;

CREATE TABLE invoices (
  id BIGINT NOT NULL DEFAULT NEXTVAL(invoice_seq) PRIMARY KEY,
  ref BIGINT NOT NULL DEFAULT (NEXT VALUE FOR plain_seq),
  customer VARCHAR(60) NOT NULL,
  total DECIMAL(12,2) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE prices (
  id INT NOT NULL PRIMARY KEY,
  product VARCHAR(40) NOT NULL,
  price DECIMAL(10,2) NOT NULL
) ENGINE=InnoDB WITH SYSTEM VERSIONING;

CREATE TABLE stock (
  id INT NOT NULL PRIMARY KEY,
  qty INT NOT NULL,
  valid_from TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE,
  valid_to TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,
  PERIOD FOR SYSTEM_TIME (valid_from, valid_to)
) ENGINE=InnoDB WITH SYSTEM VERSIONING;

CREATE TABLE contracts (
  id INT NOT NULL,
  client VARCHAR(40) NOT NULL,
  starts DATE NOT NULL,
  ends DATE NOT NULL,
  rate DECIMAL(8,2),
  PERIOD FOR valid (starts, ends),
  PRIMARY KEY (id, valid WITHOUT OVERLAPS)
) ENGINE=InnoDB;

CREATE TABLE partly_versioned (
  id INT PRIMARY KEY,
  kept INT WITH SYSTEM VERSIONING,
  scratch INT WITHOUT SYSTEM VERSIONING
) ENGINE=InnoDB;

DELIMITER ;;
CREATE PROCEDURE new_invoice(IN p_customer VARCHAR(60), IN p_total DECIMAL(12,2), OUT p_id BIGINT)
  MODIFIES SQL DATA
BEGIN
  SET p_id = NEXTVAL(invoice_seq);
  INSERT INTO invoices (id, ref, customer, total) VALUES (p_id, NEXT VALUE FOR plain_seq, p_customer, p_total);
  SELECT PREVIOUS VALUE FOR plain_seq, LASTVAL(invoice_seq) INTO @prev, @last;
  IF p_id > 900000000 THEN
    SELECT SETVAL(invoice_seq, 1000);
  END IF;
  DO SETVAL(small_seq, 10, 0);
END;;

CREATE FUNCTION price_at(p_id INT, p_when DATETIME(6)) RETURNS DECIMAL(10,2)
  READS SQL DATA
  RETURN (SELECT price FROM prices FOR SYSTEM_TIME AS OF TIMESTAMP p_when WHERE id = p_id);;

CREATE PROCEDURE price_history(IN p_id INT)
  READS SQL DATA
BEGIN
  SELECT id, price, ROW_START, ROW_END FROM prices FOR SYSTEM_TIME ALL WHERE id = p_id ORDER BY ROW_START;
  SELECT * FROM prices FOR SYSTEM_TIME BETWEEN '2000-01-01' AND NOW() WHERE id = p_id;
  SELECT * FROM prices FOR SYSTEM_TIME FROM TIMESTAMP '2000-01-01 00:00:00' TO CURRENT_TIMESTAMP;
  SELECT id, qty, valid_from, valid_to FROM stock FOR SYSTEM_TIME AS OF NOW() - INTERVAL 1 HOUR;
  DELETE HISTORY FROM prices BEFORE SYSTEM_TIME NOW() - INTERVAL 5 YEAR;
  UPDATE contracts FOR PORTION OF valid FROM '2030-01-01' TO '2030-06-30' SET rate = rate * 1.1;
  DELETE FROM contracts FOR PORTION OF valid FROM '2035-01-01' TO '2036-01-01' WHERE client = 'acme';
END;;
DELIMITER ;

CREATE VIEW prices_last_year AS
  SELECT id, product, price FROM prices FOR SYSTEM_TIME AS OF TIMESTAMP '2030-01-01 00:00:00';
CREATE VIEW price_changes AS
  SELECT id, COUNT(*) AS versions, MIN(ROW_START) AS first_seen FROM prices FOR SYSTEM_TIME ALL GROUP BY id;
CREATE VIEW contracts_now AS
  SELECT id, client, rate FROM contracts WHERE CURDATE() BETWEEN starts AND ends;
CREATE VIEW invoice_totals AS
  SELECT customer, SUM(total) AS total, COUNT(*) AS n FROM invoices GROUP BY customer;

INSERT INTO invoices (customer, total) VALUES ('acme', 10.00), ('globex', 99.95);
INSERT INTO prices VALUES (1, 'tea', 3.50), (2, 'coffee', 4.20);
UPDATE prices SET price = 3.75 WHERE id = 1;
INSERT INTO stock (id, qty) VALUES (1, 10);
INSERT INTO contracts VALUES (1, 'acme', '2030-01-01', '2031-01-01', 100.00);
INSERT INTO partly_versioned VALUES (1, 1, 1);
