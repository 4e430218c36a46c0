-- Audit trails: every change of a row written as JSON by triggers, with who and from where;
-- guards that SIGNAL; JSON functions in views, procedures and functions.
CREATE DATABASE zoo_audit;
USE zoo_audit;

CREATE TABLE accounts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  owner VARCHAR(100) NOT NULL,
  balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  status ENUM('open','frozen','locked','closed') NOT NULL DEFAULT 'open',
  meta JSON DEFAULT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  table_name VARCHAR(64) NOT NULL,
  action ENUM('I','U','D') NOT NULL,
  row_id BIGINT NOT NULL,
  old_row JSON NULL,
  new_row JSON NULL,
  changed_by VARCHAR(288) NOT NULL,
  client VARCHAR(255) NULL,
  changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY (table_name, row_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE transfers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  from_id INT UNSIGNED NOT NULL,
  to_id INT UNSIGNED NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  memo VARCHAR(200) NULL,
  at DATETIME NOT NULL DEFAULT NOW()
) ENGINE=InnoDB;
CREATE TABLE documents (
  id INT PRIMARY KEY,
  body JSON NOT NULL,
  title VARCHAR(200) AS (JSON_UNQUOTE(JSON_EXTRACT(body, '$.title'))) VIRTUAL,
  tags_count INT AS (JSON_LENGTH(body, '$.tags')) STORED,
  KEY (title)
) ENGINE=InnoDB;

DELIMITER ;;
CREATE TRIGGER accounts_ai AFTER INSERT ON accounts FOR EACH ROW
  INSERT INTO audit_log (table_name, action, row_id, new_row, changed_by, client)
  VALUES ('accounts', 'I', NEW.id,
          JSON_OBJECT('id', NEW.id, 'owner', NEW.owner, 'balance', NEW.balance, 'status', NEW.status, 'meta', NEW.meta),
          CURRENT_USER(), CONCAT(USER(), ' via ', @@hostname, ' #', CONNECTION_ID()));;

CREATE TRIGGER accounts_bu BEFORE UPDATE ON accounts FOR EACH ROW
BEGIN
  DECLARE msg VARCHAR(255);
  IF NEW.balance < 0 AND OLD.status <> 'frozen' THEN
    SET msg = CONCAT('negative balance for ', OLD.owner, ': ', NEW.balance);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg, MYSQL_ERRNO = 1644;
  ELSEIF OLD.status = 'closed' THEN
    SIGNAL SQLSTATE VALUE '45001' SET MESSAGE_TEXT = 'account closed';
  END IF;
  SET NEW.version = OLD.version + 1;
END;;

CREATE TRIGGER accounts_au AFTER UPDATE ON accounts FOR EACH ROW
BEGIN
  IF NOT (OLD.balance <=> NEW.balance AND OLD.status <=> NEW.status AND OLD.meta <=> NEW.meta) THEN
    INSERT INTO audit_log (table_name, action, row_id, old_row, new_row, changed_by)
    VALUES ('accounts', 'U', NEW.id,
            JSON_OBJECT('balance', OLD.balance, 'status', OLD.status),
            JSON_OBJECT('balance', NEW.balance, 'status', NEW.status, 'delta', NEW.balance - OLD.balance),
            SESSION_USER());
  END IF;
END;;

CREATE TRIGGER accounts_bd BEFORE DELETE ON accounts FOR EACH ROW
BEGIN
  IF OLD.status = 'locked' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'locked accounts are never deleted';
  END IF;
END;;

CREATE TRIGGER accounts_ad AFTER DELETE ON accounts FOR EACH ROW
  INSERT INTO audit_log (table_name, action, row_id, old_row, changed_by)
  VALUES ('accounts', 'D', OLD.id, JSON_OBJECT('owner', OLD.owner, 'balance', OLD.balance), CURRENT_USER);;

CREATE TRIGGER transfers_bi BEFORE INSERT ON transfers FOR EACH ROW
BEGIN
  DECLARE v_balance DECIMAL(12,2);
  IF NEW.from_id = NEW.to_id THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a transfer needs two accounts';
  END IF;
  SELECT balance INTO v_balance FROM accounts WHERE id = NEW.from_id LOCK IN SHARE MODE;
  IF v_balance IS NULL OR v_balance < NEW.amount THEN
    SET @msg = CONCAT_WS(' ', 'insufficient funds on', NEW.from_id);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @msg;
  END IF;
  SET NEW.memo = COALESCE(NULLIF(TRIM(NEW.memo), ''), CONCAT('transfer ', NEW.from_id, '->', NEW.to_id));
END;;

CREATE TRIGGER transfers_ai AFTER INSERT ON transfers FOR EACH ROW
BEGIN
  UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.from_id;
  UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.to_id;
END;;

CREATE FUNCTION account_summary(p_id INT) RETURNS JSON
  READS SQL DATA
BEGIN
  DECLARE result JSON;
  SELECT JSON_OBJECT('owner', owner, 'balance', balance,
                     'history', (SELECT JSON_ARRAYAGG(JSON_OBJECT('action', action, 'at', changed_at))
                                   FROM audit_log WHERE table_name = 'accounts' AND row_id = p_id))
    INTO result
    FROM accounts WHERE id = p_id;
  RETURN result;
END;;

CREATE FUNCTION meta_tag(p_meta JSON, p_key VARCHAR(64)) RETURNS VARCHAR(255) CHARSET utf8mb4
  DETERMINISTIC NO SQL
  RETURN JSON_UNQUOTE(JSON_EXTRACT(p_meta, CONCAT('$.tags.', p_key)));;

CREATE PROCEDURE transfer(IN p_from INT, IN p_to INT, IN p_amount DECIMAL(12,2))
  MODIFIES SQL DATA
  COMMENT 'moves money; all or nothing'
BEGIN
  DECLARE v_err TEXT;
  DECLARE v_state CHAR(5) DEFAULT '00000';
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    GET DIAGNOSTICS CONDITION 1 v_state = RETURNED_SQLSTATE, v_err = MESSAGE_TEXT;
    ROLLBACK;
    SET v_err = CONCAT('transfer failed: ', v_err);
    RESIGNAL SET MESSAGE_TEXT = v_err;
  END;
  START TRANSACTION;
  INSERT INTO transfers (from_id, to_id, amount) VALUES (p_from, p_to, p_amount);
  COMMIT;
END;;

CREATE PROCEDURE audit_report(IN p_since DATETIME)
  READS SQL DATA
BEGIN
  SELECT table_name, action, COUNT(*) AS n,
         MIN(changed_at) AS first_change, MAX(changed_at) AS last_change,
         TIMESTAMPDIFF(MINUTE, MIN(changed_at), MAX(changed_at)) AS span_minutes
  FROM audit_log
  WHERE changed_at >= p_since
  GROUP BY table_name, action WITH ROLLUP;

  SELECT JSON_EXTRACT(new_row, '$.balance') AS balance,
         JSON_VALUE(new_row, '$.status') AS status,
         JSON_QUERY(new_row, '$') AS whole,
         JSON_CONTAINS(new_row, '"open"', '$.status') AS is_open,
         JSON_SEARCH(new_row, 'one', 'open') AS path,
         JSON_KEYS(new_row) AS ks,
         JSON_SET(new_row, '$.seen', TRUE) AS seen,
         JSON_REMOVE(new_row, '$.meta') AS trimmed,
         JSON_MERGE_PATCH(COALESCE(old_row, '{}'), new_row) AS merged,
         JSON_ARRAY(1, 'two', NULL) AS arr
  FROM audit_log
  WHERE JSON_VALID(new_row) AND JSON_TYPE(new_row) = 'OBJECT';

  SELECT j.tag, COUNT(*) AS uses
  FROM documents d,
       JSON_TABLE(d.body, '$.tags[*]' COLUMNS (
         ord FOR ORDINALITY,
         tag VARCHAR(50) PATH '$' DEFAULT 'none' ON EMPTY,
         NESTED PATH '$.sub[*]' COLUMNS (sub VARCHAR(20) PATH '$')
       )) AS j
  GROUP BY j.tag
  HAVING uses > 0
  ORDER BY uses DESC, j.tag;
END;;
DELIMITER ;

CREATE VIEW account_changes AS
  SELECT l.row_id AS account, a.owner, l.action, l.changed_at,
         JSON_UNQUOTE(JSON_EXTRACT(l.new_row, '$.status')) AS new_status,
         CAST(JSON_EXTRACT(l.new_row, '$.balance') AS DECIMAL(12,2)) - CAST(JSON_EXTRACT(l.old_row, '$.balance') AS DECIMAL(12,2)) AS delta
  FROM audit_log l LEFT JOIN accounts a ON a.id = l.row_id
  WHERE l.table_name = 'accounts';

CREATE VIEW document_tags AS
  SELECT d.id, jt.*
  FROM documents d,
       JSON_TABLE(d.body, '$.tags[*]' COLUMNS (n FOR ORDINALITY, tag VARCHAR(50) PATH '$', missing INT PATH '$.x' DEFAULT '0' ON EMPTY DEFAULT '-1' ON ERROR)) AS jt;

CREATE VIEW rich_accounts AS
  SELECT id, owner, balance, JSON_OBJECTAGG(status, balance) OVER () AS by_status
  FROM accounts WHERE balance > (SELECT AVG(balance) FROM accounts);

INSERT INTO accounts (owner, balance, meta) VALUES ('ann', 100.00, '{"tags": {"vip": "yes"}}'), ('bob', 50.00, NULL), ('cy', 0, '[]');
INSERT INTO transfers (from_id, to_id, amount, memo) VALUES (1, 2, 25.00, ' rent ');
INSERT INTO documents (id, body) VALUES (1, '{"title": "Intro", "tags": ["a", "b"]}'), (2, '{"title": "Más", "tags": []}');
