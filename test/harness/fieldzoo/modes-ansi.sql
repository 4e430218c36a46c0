-- Under ANSI_QUOTES double quotes name things; strings take single quotes only.
CREATE TABLE "quoted table" ("the id" INT PRIMARY KEY, "value" VARCHAR(20));

DELIMITER ;;
CREATE PROCEDURE "ansi proc"(IN "the input" INT)
  READS SQL DATA
BEGIN
  SELECT "the id", "value", 'a string' AS "alias" FROM "quoted table" WHERE "the id" = "the input";
  SELECT "items"."sku", `items`.`label` FROM "items";
END;;

CREATE TRIGGER "quoted table bi" BEFORE INSERT ON "quoted table" FOR EACH ROW
  SET NEW."value" = CONCAT('v:', NEW."value");;

CREATE FUNCTION "ansi fn"() RETURNS VARCHAR(10)
  DETERMINISTIC
  RETURN 'ok';;
DELIMITER ;
CREATE VIEW "ansi view" AS SELECT "the id" AS "id", "value" FROM "quoted table";
