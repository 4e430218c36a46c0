-- Objects loaded three times, each into its own database under another sql_mode (the default,
-- NO_BACKSLASH_ESCAPES, ANSI_QUOTES): each keeps the mode it was created with, and the dump
-- writes it back before each routine. Only single-quoted strings without backslashes here, so
-- the same text means the same in every mode; the mode-specific ones follow in the files after.
CREATE TABLE items (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sku VARCHAR(20) NOT NULL,
  label VARCHAR(100) NOT NULL DEFAULT '',
  price DECIMAL(10,2) NOT NULL DEFAULT 0,
  qty INT NOT NULL DEFAULT 0,
  notes TEXT,
  UNIQUE KEY (sku)
);
CREATE TABLE item_events (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT, what VARCHAR(200), at DATETIME DEFAULT CURRENT_TIMESTAMP);

DELIMITER ;;
CREATE TRIGGER items_bi BEFORE INSERT ON items FOR EACH ROW
BEGIN
  IF NEW.price < 0 THEN
    SIGNAL SQLSTATE '22003' SET MESSAGE_TEXT = 'price can''t be negative; really';
  END IF;
  SET NEW.label = CONCAT(UPPER(LEFT(NEW.label, 1)), SUBSTRING(NEW.label, 2));
END;;

CREATE TRIGGER items_au AFTER UPDATE ON items FOR EACH ROW
  INSERT INTO item_events (item_id, what)
  VALUES (NEW.id, CONCAT('qty ', OLD.qty, ' -> ', NEW.qty, '; price ', OLD.price, ' -> ', NEW.price));;

CREATE FUNCTION item_value(p_id INT) RETURNS DECIMAL(12,2)
  READS SQL DATA
BEGIN
  DECLARE v DECIMAL(12,2) DEFAULT 0;
  SELECT price * qty INTO v FROM items WHERE id = p_id;
  RETURN IFNULL(v, 0);
END;;

CREATE PROCEDURE restock(IN p_sku VARCHAR(20), IN p_add INT)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_id INT;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_id = NULL;
  SELECT id INTO v_id FROM items WHERE sku = p_sku;
  IF v_id IS NULL THEN
    INSERT INTO items (sku, label, qty) VALUES (p_sku, CONCAT('new: ', p_sku), p_add);
  ELSE
    UPDATE items SET qty = qty + p_add WHERE id = v_id;
  END IF;
  SELECT CONCAT('restocked ', p_sku, ' by ', p_add, '; it''s done') AS msg;
END;;

CREATE PROCEDURE item_report()
  READS SQL DATA
BEGIN
  SELECT sku, label, price, qty, item_value(id) AS value,
         CASE WHEN qty = 0 THEN 'out' WHEN qty < 5 THEN 'low' ELSE 'ok' END AS level,
         RANK() OVER (ORDER BY price * qty DESC) AS r
  FROM items
  WHERE label LIKE '%;%' OR label NOT LIKE '%''%' OR notes IS NULL
  ORDER BY value DESC;
END;;
DELIMITER ;

CREATE VIEW item_values AS
  SELECT id, sku, CONCAT(label, ' (', sku, ')') AS title, price * qty AS value FROM items WHERE qty > 0;
CREATE VIEW item_levels AS
  SELECT sku, CASE WHEN qty = 0 THEN 'out' ELSE 'in' END AS level, 'it''s' AS quoted FROM item_values JOIN items USING (sku);

INSERT INTO items (sku, label, price, qty) VALUES ('A-1', 'apple', 1.20, 10), ('B-2', 'banana; ripe', 0.50, 0);
UPDATE items SET qty = 3 WHERE sku = 'B-2';
