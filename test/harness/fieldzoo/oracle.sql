-- MariaDB's sql_mode=ORACLE: PL/SQL-style routines, packages and triggers.
CREATE DATABASE zoo_oracle;
USE zoo_oracle;
CREATE TABLE emp (id INT PRIMARY KEY, name VARCHAR(40), salary DECIMAL(10,2), dept INT);
CREATE TABLE emp_log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(200));
SET sql_mode = ORACLE;

DELIMITER //
CREATE PROCEDURE raise_salary(p_id IN INT, p_pct IN NUMBER, p_new OUT NUMBER) AS
  v_old emp.salary%TYPE;
  v_row emp%ROWTYPE;
  CURSOR c_dept (p_dept INT) IS SELECT id, salary FROM emp WHERE dept = p_dept;
  e_negative EXCEPTION;
BEGIN
  SELECT salary INTO v_old FROM emp WHERE id = p_id;
  IF p_pct < 0 THEN
    RAISE e_negative;
  END IF;
  p_new := v_old * (1 + p_pct / 100);
  UPDATE emp SET salary = p_new WHERE id = p_id;
  INSERT INTO emp_log (msg) VALUES ('raised ' || p_id || ' to ' || p_new);
EXCEPTION
  WHEN NO_DATA_FOUND THEN
    p_new := NULL;
  WHEN e_negative THEN
    p_new := v_old;
  WHEN OTHERS THEN
    RAISE;
END;
//

CREATE PROCEDURE loops_oracle(n IN INT) AS
  total INT := 0;
  i INT := 0;
BEGIN
  <<outer_loop>>
  FOR k IN 1..n LOOP
    total := total + k;
    EXIT outer_loop WHEN total > 100;
    CONTINUE WHEN MOD(k, 2) = 0;
  END LOOP outer_loop;
  WHILE i < 3 LOOP
    i := i + 1;
  END LOOP;
  LOOP
    i := i - 1;
    EXIT WHEN i <= 0;
  END LOOP;
  FOR k IN REVERSE 1..3 LOOP
    NULL;
  END LOOP;
  FOR r IN (SELECT id FROM emp) LOOP
    total := total + r.id;
  END LOOP;
  IF total > 10 THEN
    total := 10;
  ELSIF total > 5 THEN
    total := 5;
  ELSE
    NULL;
  END IF;
  CASE total WHEN 10 THEN i := 1; ELSE i := 2; END CASE;
  DECLARE
    inner_v VARCHAR2(20) := 'inner';
  BEGIN
    SELECT inner_v || ' block' INTO inner_v FROM DUAL;
  END;
  <<done>>
  NULL;
END loops_oracle;
//

CREATE PROCEDURE no_args AS
BEGIN
  NULL;
END;
//

CREATE FUNCTION bonus(p_salary IN NUMBER) RETURN NUMBER DETERMINISTIC AS
  rate NUMBER(5,2) := 0.1;
BEGIN
  IF p_salary IS NULL THEN
    RETURN 0;
  END IF;
  RETURN ROUND(p_salary * rate, 2);
END;
//

CREATE FUNCTION greeting(who VARCHAR2) RETURN VARCHAR2 AS
BEGIN
  RETURN 'hello, ' || NVL(who, 'world') || '; ' || DECODE(LENGTH(who), 0, 'empty', 'named');
END;
//

CREATE PACKAGE payroll AS
  FUNCTION total(p_dept INT) RETURN NUMBER;
  PROCEDURE log_total(p_dept INT);
END;
//

CREATE PACKAGE BODY payroll AS
  calls INT := 0;
  FUNCTION total(p_dept INT) RETURN NUMBER AS
    s NUMBER := 0;
  BEGIN
    SELECT SUM(salary) INTO s FROM emp WHERE dept = p_dept;
    calls := calls + 1;
    RETURN NVL(s, 0);
  END;
  PROCEDURE log_total(p_dept INT) AS
  BEGIN
    INSERT INTO emp_log (msg) VALUES ('dept ' || p_dept || ': ' || total(p_dept));
  END;
BEGIN
  calls := 0;
EXCEPTION
  WHEN OTHERS THEN calls := -1;
END;
//

CREATE PACKAGE simple_pkg AS
  PROCEDURE p;
END;
//

CREATE PACKAGE BODY simple_pkg AS
  PROCEDURE p AS BEGIN NULL; END;
END;
//

CREATE TRIGGER emp_bi BEFORE INSERT ON emp FOR EACH ROW
BEGIN
  :NEW.name := UPPER(:NEW.name);
  IF :NEW.salary IS NULL THEN
    :NEW.salary := 0;
  END IF;
END;
//
DELIMITER ;

CREATE VIEW emp_names AS SELECT id, name || ' (' || dept || ')' AS label FROM emp;
SET sql_mode = DEFAULT;
INSERT INTO emp VALUES (1, 'ann', 100, 1), (2, 'bob', 200, 1);
