-- Under NO_BACKSLASH_ESCAPES a backslash is an ordinary character: strings may end in one.
DELIMITER ;;
CREATE FUNCTION windows_path(p_dir VARCHAR(100)) RETURNS VARCHAR(200)
  DETERMINISTIC
  RETURN CONCAT('C:\Users\', p_dir, '\')  ;;

CREATE PROCEDURE backslashes()
  NO SQL
BEGIN
  DECLARE s VARCHAR(100) DEFAULT '\';
  SET s = CONCAT(s, '\n is two characters; \' , 'it''s');
  SELECT s, s LIKE '%\%' ESCAPE '|', REPLACE(s, '\', '/') AS slashed;
END;;

CREATE TRIGGER items_bu_paths BEFORE UPDATE ON items FOR EACH ROW
  SET NEW.notes = REPLACE(COALESCE(NEW.notes, ''), '/', '\');;
DELIMITER ;
CREATE VIEW backslash_view AS SELECT sku, '\' AS bs, CONCAT('a\', 'b') AS ab FROM items;
