-- A blog and a shop in the shapes WordPress and Magento install: counters kept by triggers,
-- change-log tables fed by triggers that compare NEW and OLD with <=>, several triggers on one
-- event ordered with FOLLOWS and PRECEDES.
CREATE DATABASE zoo_web;
USE zoo_web;

CREATE TABLE wp_users (
  ID BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT,
  user_login VARCHAR(60) NOT NULL DEFAULT '',
  user_email VARCHAR(100) NOT NULL DEFAULT '',
  user_registered DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
  user_status INT(11) NOT NULL DEFAULT 0,
  display_name VARCHAR(250) NOT NULL DEFAULT '',
  PRIMARY KEY (ID),
  KEY user_login_key (user_login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE wp_posts (
  ID BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT,
  post_author BIGINT(20) UNSIGNED NOT NULL DEFAULT 0,
  post_date DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
  post_content LONGTEXT NOT NULL,
  post_title TEXT NOT NULL,
  post_status VARCHAR(20) NOT NULL DEFAULT 'publish',
  post_name VARCHAR(200) NOT NULL DEFAULT '',
  post_modified DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
  post_modified_gmt DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
  post_parent BIGINT(20) UNSIGNED NOT NULL DEFAULT 0,
  post_type VARCHAR(20) NOT NULL DEFAULT 'post',
  comment_count BIGINT(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (ID),
  KEY post_name (post_name(191)),
  KEY type_status_date (post_type, post_status, post_date, ID),
  FULLTEXT KEY ft_content (post_title, post_content)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE wp_postmeta (
  meta_id BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT,
  post_id BIGINT(20) UNSIGNED NOT NULL DEFAULT 0,
  meta_key VARCHAR(255) DEFAULT NULL,
  meta_value LONGTEXT,
  PRIMARY KEY (meta_id),
  KEY post_id (post_id),
  KEY meta_key (meta_key(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE wp_comments (
  comment_ID BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT,
  comment_post_ID BIGINT(20) UNSIGNED NOT NULL DEFAULT 0,
  comment_author TINYTEXT NOT NULL,
  comment_content TEXT NOT NULL,
  comment_approved VARCHAR(20) NOT NULL DEFAULT '1',
  PRIMARY KEY (comment_ID),
  KEY comment_post_ID (comment_post_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE wp_options (
  option_id BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT,
  option_name VARCHAR(191) NOT NULL DEFAULT '',
  option_value LONGTEXT NOT NULL,
  autoload VARCHAR(20) NOT NULL DEFAULT 'yes',
  PRIMARY KEY (option_id),
  UNIQUE KEY option_name (option_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE catalog_product_entity (
  entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  attribute_set_id SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  type_id VARCHAR(32) NOT NULL DEFAULT 'simple',
  sku VARCHAR(64) NOT NULL,
  has_options SMALLINT NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (entity_id),
  KEY CATALOG_PRODUCT_ENTITY_SKU (sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COMMENT='Catalog Product Table';
CREATE TABLE catalog_product_entity_decimal (
  value_id INT NOT NULL AUTO_INCREMENT,
  attribute_id SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  store_id SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  entity_id INT UNSIGNED NOT NULL DEFAULT 0,
  value DECIMAL(20,6) DEFAULT NULL,
  PRIMARY KEY (value_id),
  UNIQUE KEY CATALOG_PRODUCT_ENTITY_DECIMAL_ENTITY_ID_ATTRIBUTE_ID_STORE_ID (entity_id, attribute_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE catalog_product_price_cl (
  version_id INT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'Version ID',
  entity_id INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Entity ID',
  PRIMARY KEY (version_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COMMENT='catalog_product_price_cl';
CREATE TABLE cataloginventory_stock_cl (
  version_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  entity_id INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE sales_order (
  entity_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  increment_id VARCHAR(50) DEFAULT NULL,
  grand_total DECIMAL(20,4) DEFAULT NULL,
  status VARCHAR(32) DEFAULT NULL,
  customer_email VARCHAR(128) DEFAULT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY (increment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE sales_sequence (sequence_value INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;

DELIMITER |
CREATE TRIGGER wp_comment_count_ai AFTER INSERT ON wp_comments FOR EACH ROW
BEGIN
  IF NEW.comment_approved = '1' THEN
    UPDATE wp_posts SET comment_count = comment_count + 1 WHERE ID = NEW.comment_post_ID;
  END IF;
END|

CREATE TRIGGER wp_comment_count_ad AFTER DELETE ON wp_comments FOR EACH ROW
  UPDATE wp_posts SET comment_count = GREATEST(comment_count - 1, 0)
  WHERE ID = OLD.comment_post_ID AND OLD.comment_approved = '1'|

CREATE TRIGGER wp_comment_count_au AFTER UPDATE ON wp_comments FOR EACH ROW
BEGIN
  IF OLD.comment_approved <> NEW.comment_approved THEN
    UPDATE wp_posts
       SET comment_count = comment_count + CASE WHEN NEW.comment_approved = '1' THEN 1 ELSE -1 END
     WHERE ID = NEW.comment_post_ID;
  END IF;
END|

CREATE TRIGGER wp_posts_bu BEFORE UPDATE ON wp_posts FOR EACH ROW
BEGIN
  SET NEW.post_modified = NOW(), NEW.post_modified_gmt = UTC_TIMESTAMP();
  IF NEW.post_name = '' THEN
    SET NEW.post_name = LOWER(REPLACE(TRIM(NEW.post_title), ' ', '-'));
  END IF;
END|

CREATE TRIGGER wp_posts_bu_status BEFORE UPDATE ON wp_posts FOR EACH ROW FOLLOWS wp_posts_bu
  SET NEW.post_status = IF(NEW.post_status IN ('publish', 'draft', 'trash', 'private', 'future', 'pending', 'inherit', 'auto-draft'), NEW.post_status, 'draft')|

CREATE TRIGGER wp_posts_bu_first BEFORE UPDATE ON wp_posts FOR EACH ROW PRECEDES wp_posts_bu
  SET NEW.post_title = TRIM(NEW.post_title)|

CREATE TRIGGER wp_posts_ad AFTER DELETE ON wp_posts FOR EACH ROW
BEGIN
  DELETE FROM wp_postmeta WHERE post_id = OLD.ID;
  DELETE FROM wp_comments WHERE comment_post_ID = OLD.ID;
END|

CREATE TRIGGER trg_catalog_product_entity_after_insert AFTER INSERT ON catalog_product_entity FOR EACH ROW
BEGIN
INSERT IGNORE INTO `catalog_product_price_cl` (`entity_id`) VALUES (NEW.`entity_id`);
INSERT IGNORE INTO `cataloginventory_stock_cl` (`entity_id`) VALUES (NEW.`entity_id`);
END|

CREATE TRIGGER trg_catalog_product_entity_after_update AFTER UPDATE ON catalog_product_entity FOR EACH ROW
BEGIN
IF (NOT(NEW.`entity_id` <=> OLD.`entity_id`) OR NOT(NEW.`attribute_set_id` <=> OLD.`attribute_set_id`) OR NOT(NEW.`type_id` <=> OLD.`type_id`) OR NOT(NEW.`sku` <=> OLD.`sku`) OR NOT(NEW.`has_options` <=> OLD.`has_options`)) THEN INSERT IGNORE INTO `catalog_product_price_cl` (`entity_id`) VALUES (NEW.`entity_id`); END IF;
IF (NOT(NEW.`type_id` <=> OLD.`type_id`)) THEN INSERT IGNORE INTO `cataloginventory_stock_cl` (`entity_id`) VALUES (NEW.`entity_id`); END IF;
END|

CREATE TRIGGER trg_catalog_product_entity_after_delete AFTER DELETE ON catalog_product_entity FOR EACH ROW
BEGIN
INSERT IGNORE INTO `catalog_product_price_cl` (`entity_id`) VALUES (OLD.`entity_id`);
END|

CREATE TRIGGER trg_catalog_product_entity_decimal_after_update AFTER UPDATE ON catalog_product_entity_decimal FOR EACH ROW
BEGIN
SET @entity_id = (SELECT `entity_id` FROM `catalog_product_entity` WHERE `entity_id` = NEW.`entity_id`);
IF (NOT(NEW.`value_id` <=> OLD.`value_id`) OR NOT(NEW.`value` <=> OLD.`value`)) THEN INSERT IGNORE INTO `catalog_product_price_cl` (`entity_id`) values(@entity_id); END IF;
END|

CREATE TRIGGER sales_order_bi BEFORE INSERT ON sales_order FOR EACH ROW
BEGIN
  IF NEW.increment_id IS NULL THEN
    INSERT INTO sales_sequence VALUES (NULL);
    SET NEW.increment_id = LPAD(LAST_INSERT_ID(), 9, '0');
  END IF;
  IF NEW.customer_email NOT REGEXP '^[^@[:space:]]+@[^@[:space:]]+$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'invalid e-mail', MYSQL_ERRNO = 1644;
  END IF;
END|
DELIMITER ;

DELIMITER //
CREATE FUNCTION wp_get_option(p_name VARCHAR(191)) RETURNS LONGTEXT CHARSET utf8mb4 COLLATE utf8mb4_unicode_520_ci
  READS SQL DATA
  RETURN (SELECT option_value FROM wp_options WHERE option_name = p_name LIMIT 1)//

CREATE PROCEDURE wp_set_option(IN p_name VARCHAR(191), IN p_value LONGTEXT)
  MODIFIES SQL DATA
  INSERT INTO wp_options (option_name, option_value) VALUES (p_name, p_value)
  ON DUPLICATE KEY UPDATE option_value = VALUES(option_value), autoload = VALUE(autoload)//

CREATE PROCEDURE wp_clean_revisions(IN p_keep INT)
  MODIFIES SQL DATA
BEGIN
  DELETE p, m
    FROM wp_posts p
    LEFT JOIN wp_postmeta m ON m.post_id = p.ID
   WHERE p.post_type = 'revision'
     AND p.post_date < NOW() - INTERVAL p_keep DAY;
  DELETE FROM wp_postmeta USING wp_postmeta LEFT JOIN wp_posts ON wp_posts.ID = wp_postmeta.post_id WHERE wp_posts.ID IS NULL;
  UPDATE wp_posts p JOIN (SELECT comment_post_ID, COUNT(*) AS n FROM wp_comments WHERE comment_approved = '1' GROUP BY comment_post_ID) c
      ON c.comment_post_ID = p.ID
     SET p.comment_count = c.n;
  UPDATE wp_options SET autoload = 'no' WHERE option_name LIKE '\_transient\_%' ORDER BY option_id DESC LIMIT 500;
END//

CREATE PROCEDURE wp_search(IN p_words VARCHAR(200))
  READS SQL DATA
  SELECT ID, post_title, MATCH (post_title, post_content) AGAINST (p_words IN NATURAL LANGUAGE MODE) AS score
    FROM wp_posts
   WHERE MATCH (post_title, post_content) AGAINST (CONCAT('+', p_words, '*') IN BOOLEAN MODE)
     AND post_status = 'publish'
   ORDER BY score DESC
   LIMIT 20//

CREATE PROCEDURE sales_order_place(IN p_email VARCHAR(128), IN p_total DECIMAL(20,4), OUT p_increment VARCHAR(50))
  MODIFIES SQL DATA
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  INSERT INTO sales_order (grand_total, status, customer_email) VALUES (p_total, 'pending', p_email);
  SELECT increment_id INTO p_increment FROM sales_order WHERE entity_id = LAST_INSERT_ID() FOR UPDATE;
  COMMIT;
END//
DELIMITER ;

CREATE VIEW wp_published AS
  SELECT p.ID, p.post_title, u.display_name AS author, p.comment_count,
         (SELECT meta_value FROM wp_postmeta m WHERE m.post_id = p.ID AND m.meta_key = '_thumbnail_id' LIMIT 1) AS thumbnail
  FROM wp_posts p JOIN wp_users u ON u.ID = p.post_author
  WHERE p.post_status = 'publish' AND p.post_type IN ('post', 'page');

CREATE VIEW catalog_prices AS
  SELECT e.entity_id, e.sku, COALESCE(s.value, d.value) AS price
  FROM catalog_product_entity e
  LEFT JOIN catalog_product_entity_decimal d ON d.entity_id = e.entity_id AND d.attribute_id = 77 AND d.store_id = 0
  LEFT JOIN catalog_product_entity_decimal s ON s.entity_id = e.entity_id AND s.attribute_id = 77 AND s.store_id = 1;

INSERT INTO wp_users (user_login, user_email, display_name) VALUES ('admin', 'admin@example.com', 'Admin');
INSERT INTO wp_posts (post_author, post_content, post_title, post_name) VALUES (1, 'Welcome. This is your first post; edit it!', 'Hello world!', 'hello-world');
INSERT INTO wp_comments (comment_post_ID, comment_author, comment_content) VALUES (1, 'A WordPress Commenter', 'Hi, this is a comment.');
INSERT INTO wp_options (option_name, option_value) VALUES ('siteurl', 'http://example.com'), ('blogname', 'A "quoted" blog');
INSERT INTO catalog_product_entity (sku) VALUES ('24-MB01'), ('24-MB04');
INSERT INTO catalog_product_entity_decimal (attribute_id, entity_id, value) VALUES (77, 1, 34.000000);
