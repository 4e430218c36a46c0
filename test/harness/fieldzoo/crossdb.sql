-- Objects that reach into other databases: some dumped with them, one (zoo_elsewhere) never
-- in the dump; views over views over views.
CREATE DATABASE zoo_elsewhere;
CREATE TABLE zoo_elsewhere.lookup (id INT PRIMARY KEY, label VARCHAR(20));
CREATE TABLE zoo_elsewhere.rates (currency CHAR(3) PRIMARY KEY, rate DECIMAL(12,6));
CREATE FUNCTION zoo_elsewhere.to_eur(amount DECIMAL(12,2), cur CHAR(3)) RETURNS DECIMAL(12,2) DETERMINISTIC
  RETURN amount / COALESCE((SELECT rate FROM zoo_elsewhere.rates WHERE currency = cur), 1);
INSERT INTO zoo_elsewhere.lookup VALUES (1, 'one'), (2, 'two');

CREATE DATABASE zoo_cross;
USE zoo_cross;
CREATE TABLE local_things (id INT PRIMARY KEY, lookup_id INT, amount DECIMAL(12,2), cur CHAR(3));

CREATE VIEW v_other AS SELECT id FROM zoo_elsewhere.lookup;
CREATE VIEW v_other_labels AS SELECT l.id, l.label, t.amount FROM zoo_elsewhere.lookup l JOIN local_things t ON t.lookup_id = l.id;
CREATE VIEW v_other_fn AS SELECT id, zoo_elsewhere.to_eur(amount, cur) AS eur FROM local_things;
CREATE VIEW v_films AS SELECT f.title, l.name AS language FROM zoo_rental.film f JOIN zoo_rental.language l USING (language_id);
CREATE VIEW v_film_list AS SELECT FID, title, category FROM zoo_rental.film_list WHERE price < 5;
CREATE VIEW v_film_list_2 AS SELECT title, COUNT(*) AS n FROM v_film_list GROUP BY title;
CREATE VIEW v_film_list_3 (t, n, doubled) AS SELECT title, n, n * 2 FROM v_film_list_2 WHERE n > 0;
CREATE VIEW v_staff_and_films AS
  SELECT 'film' AS kind, title AS name FROM zoo_rental.film
  UNION ALL
  SELECT 'employee', zoo_staff.emp_name(emp_no) FROM zoo_staff.employees;
CREATE VIEW v_everything AS
  SELECT (SELECT COUNT(*) FROM zoo_rental.film) AS films,
         (SELECT COUNT(*) FROM zoo_staff.employees) AS employees,
         (SELECT COUNT(*) FROM zoo_elsewhere.lookup) AS lookups,
         (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()) AS tables_here,
         (SELECT COUNT(*) FROM mysql.user) AS users;

DELIMITER ;;
CREATE PROCEDURE count_other(OUT n INT) SELECT COUNT(*) INTO n FROM `zoo_cross`.local_things;;
CREATE PROCEDURE count_audit(OUT n INT) SELECT COUNT(*) INTO n FROM `zoo_audit`.audit_log;;
CREATE PROCEDURE cross_calls()
  MODIFIES SQL DATA
BEGIN
  DECLARE v DECIMAL(5,2);
  SET v = zoo_rental.get_customer_balance(1, NOW());
  CALL zoo_rental.film_in_stock(1, 1, @n);
  INSERT INTO zoo_elsewhere.lookup (id, label) VALUES (99, 'from zoo_cross') ON DUPLICATE KEY UPDATE label = VALUES(label);
  SELECT v, @n, zoo_elsewhere.to_eur(10, 'USD');
END;;
CREATE TRIGGER local_things_ai AFTER INSERT ON local_things FOR EACH ROW
  INSERT IGNORE INTO zoo_elsewhere.lookup (id, label) VALUES (NEW.lookup_id, CONCAT('seen from ', DATABASE()));;
DELIMITER ;

INSERT INTO local_things VALUES (1, 1, 10.00, 'EUR');
