-- Staff records in the shape of the employees sample: views over views, column lists, window
-- functions, recursive CTEs, rollups; functions and procedures that read them.
CREATE DATABASE zoo_staff;
USE zoo_staff;

CREATE TABLE employees (
  emp_no INT NOT NULL,
  birth_date DATE NOT NULL,
  first_name VARCHAR(14) NOT NULL,
  last_name VARCHAR(16) NOT NULL,
  gender ENUM('M','F') NOT NULL,
  hire_date DATE NOT NULL,
  manager_no INT NULL,
  PRIMARY KEY (emp_no)
);
CREATE TABLE departments (
  dept_no CHAR(4) NOT NULL PRIMARY KEY,
  dept_name VARCHAR(40) NOT NULL,
  UNIQUE KEY (dept_name)
);
CREATE TABLE dept_manager (
  emp_no INT NOT NULL, dept_no CHAR(4) NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL,
  PRIMARY KEY (emp_no, dept_no)
);
CREATE TABLE dept_emp (
  emp_no INT NOT NULL, dept_no CHAR(4) NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL,
  PRIMARY KEY (emp_no, dept_no)
);
CREATE TABLE titles (
  emp_no INT NOT NULL, title VARCHAR(50) NOT NULL, from_date DATE NOT NULL, to_date DATE,
  PRIMARY KEY (emp_no, title, from_date)
);
CREATE TABLE salaries (
  emp_no INT NOT NULL, salary INT NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL,
  PRIMARY KEY (emp_no, from_date)
);

CREATE OR REPLACE VIEW dept_emp_latest_date AS
    SELECT emp_no, MAX(from_date) AS from_date, MAX(to_date) AS to_date
    FROM dept_emp
    GROUP BY emp_no;

CREATE OR REPLACE VIEW current_dept_emp AS
    SELECT l.emp_no, dept_no, l.from_date, l.to_date
    FROM dept_emp d
        INNER JOIN dept_emp_latest_date l
        ON d.emp_no=l.emp_no AND d.from_date=l.from_date AND l.to_date = d.to_date;

CREATE VIEW salary_history AS
  SELECT emp_no, salary, from_date,
         ROW_NUMBER() OVER (PARTITION BY emp_no ORDER BY from_date DESC) AS recency,
         LAG(salary, 1) OVER (PARTITION BY emp_no ORDER BY from_date) AS previous_salary,
         LEAD(salary) OVER (PARTITION BY emp_no ORDER BY from_date) AS next_salary,
         salary - FIRST_VALUE(salary) OVER (PARTITION BY emp_no ORDER BY from_date) AS raise_since_start,
         SUM(salary) OVER () AS payroll,
         AVG(salary) OVER (PARTITION BY emp_no ORDER BY from_date ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_avg,
         RANK() OVER w AS salary_rank,
         DENSE_RANK() OVER w AS dense,
         NTILE(4) OVER w AS quartile,
         PERCENT_RANK() OVER w AS pct,
         CUME_DIST() OVER w AS cume
  FROM salaries
  WINDOW w AS (ORDER BY salary DESC);

CREATE VIEW salary_percentiles AS
  SELECT DISTINCT emp_no,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY salary) OVER (PARTITION BY emp_no) AS median_cont,
    PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY salary) OVER (PARTITION BY emp_no) AS p90,
    MEDIAN(salary) OVER (PARTITION BY emp_no) AS median
  FROM salaries;

CREATE VIEW org_chart AS
  WITH RECURSIVE chain (emp_no, manager_no, depth, path) AS (
    SELECT emp_no, manager_no, 0, CAST(emp_no AS CHAR(200))
    FROM employees WHERE manager_no IS NULL
    UNION ALL
    SELECT e.emp_no, e.manager_no, c.depth + 1, CONCAT(c.path, ' > ', e.emp_no)
    FROM employees e JOIN chain c ON e.manager_no = c.emp_no
    WHERE c.depth < 20
  )
  SELECT * FROM chain;

CREATE VIEW tenure (emp, dept, started, ended, days_in_dept) AS
  SELECT de.emp_no, de.dept_no, de.from_date, NULLIF(de.to_date, '9999-01-01'),
         TIMESTAMPDIFF(DAY, de.from_date, LEAST(de.to_date, CURDATE()))
  FROM dept_emp de;

CREATE VIEW dept_payroll AS
  SELECT d.dept_name, e.gender, COUNT(*) AS heads, COUNT(DISTINCT de.emp_no, de.dept_no) AS pairs,
         SUM(s.salary) AS total, MIN(s.salary) AS lowest, MAX(s.salary) AS highest,
         ROUND(STDDEV_POP(s.salary), 2) AS spread, VARIANCE(s.salary) AS var
  FROM departments d
  JOIN dept_emp de ON de.dept_no = d.dept_no
  JOIN employees e ON e.emp_no = de.emp_no
  JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date > NOW()
  GROUP BY d.dept_name, e.gender WITH ROLLUP;

CREATE VIEW big_departments AS
  SELECT dept_no, COUNT(*) AS n FROM dept_emp GROUP BY dept_no HAVING COUNT(*) > 1 AND MAX(to_date) >= '2000-01-01';

CREATE VIEW everyone_named AS
  SELECT emp_no, CONCAT_WS(' ', first_name, last_name) AS full_name FROM employees
  UNION
  SELECT emp_no, title FROM titles
  UNION ALL
  SELECT 0, 'nobody'
  ORDER BY 1
  LIMIT 100;

CREATE VIEW managers_not_staff AS
  SELECT emp_no FROM dept_manager
  EXCEPT
  SELECT emp_no FROM dept_emp;

CREATE VIEW managers_and_staff AS
  SELECT emp_no FROM dept_manager
  INTERSECT
  SELECT emp_no FROM dept_emp;

CREATE VIEW senior_staff AS
  SELECT e.* FROM employees e
  WHERE EXISTS (SELECT 1 FROM titles t WHERE t.emp_no = e.emp_no AND t.title LIKE 'Senior%')
    AND e.emp_no NOT IN (SELECT emp_no FROM dept_manager)
    AND (SELECT MAX(salary) FROM salaries s WHERE s.emp_no = e.emp_no) > ALL (SELECT 1000 UNION SELECT 2000)
  WITH CASCADED CHECK OPTION;

CREATE ALGORITHM=MERGE VIEW hired_recently AS
  SELECT emp_no, hire_date, DATE_FORMAT(hire_date, '%W %D %M %Y') AS spoken,
         DATE_ADD(hire_date, INTERVAL 90 DAY) AS probation_end,
         hire_date + INTERVAL 1 YEAR AS anniversary,
         EXTRACT(YEAR_MONTH FROM hire_date) AS ym,
         CASE WHEN hire_date > '2000-01-01' THEN 'new' WHEN hire_date > '1990-01-01' THEN 'mid' ELSE 'old' END AS era,
         CASE gender WHEN 'M' THEN 1 WHEN 'F' THEN 2 END AS g
  FROM employees
  WHERE hire_date > CURRENT_DATE - INTERVAL 10 YEAR
  WITH LOCAL CHECK OPTION;

CREATE ALGORITHM=TEMPTABLE VIEW title_counts AS
  SELECT title, COUNT(*) AS n, GROUP_CONCAT(DISTINCT emp_no ORDER BY emp_no DESC SEPARATOR ';') AS who
  FROM titles GROUP BY title;

CREATE VIEW derived_and_scalar AS
  SELECT x.dept_no, x.n, (SELECT dept_name FROM departments d WHERE d.dept_no = x.dept_no) AS name
  FROM (SELECT dept_no, COUNT(*) AS n FROM dept_emp GROUP BY dept_no) AS x
  WHERE x.n >= (SELECT AVG(c) FROM (SELECT COUNT(*) AS c FROM dept_emp GROUP BY dept_no) AS y);

DELIMITER //
CREATE FUNCTION emp_dept_id(employee_id INT) RETURNS CHAR(4)
    READS SQL DATA
BEGIN
    DECLARE max_date DATE;
    SET max_date = (
        SELECT MAX(from_date)
        FROM dept_emp
        WHERE emp_no = employee_id
    );
    SET @max_date = max_date;
    RETURN (
        SELECT dept_no
        FROM dept_emp
        WHERE emp_no = employee_id
          AND from_date = max_date
        LIMIT 1
    );
END //

CREATE FUNCTION emp_name(employee_id INT) RETURNS VARCHAR(32) CHARSET utf8mb4
    READS SQL DATA
    COMMENT 'first and last name'
BEGIN
    RETURN (SELECT CONCAT(first_name, ' ', last_name) AS name FROM employees WHERE emp_no = employee_id);
END //

CREATE FUNCTION current_manager(dept_id CHAR(4)) RETURNS VARCHAR(32) CHARSET utf8mb4
    READS SQL DATA
BEGIN
    DECLARE max_date DATE;
    SET max_date = (SELECT MAX(from_date) FROM dept_manager WHERE dept_no = dept_id);
    RETURN (SELECT emp_name(emp_no) FROM dept_manager WHERE dept_no = dept_id AND from_date = max_date LIMIT 1);
END //

CREATE PROCEDURE show_departments()
    MODIFIES SQL DATA
BEGIN
    DROP TABLE IF EXISTS department_max_date;
    DROP TABLE IF EXISTS department_people;
    CREATE TEMPORARY TABLE department_max_date
    (
        emp_no INT NOT NULL PRIMARY KEY,
        dept_from_date DATE NOT NULL,
        dept_to_date  DATE NOT NULL,
        KEY (dept_from_date, dept_to_date)
    );
    INSERT INTO department_max_date
    SELECT emp_no, MAX(from_date), MAX(to_date)
    FROM dept_emp
    GROUP BY emp_no;

    CREATE TEMPORARY TABLE department_people
    (
        emp_no INT NOT NULL,
        dept_no CHAR(4) NOT NULL,
        PRIMARY KEY (emp_no, dept_no)
    );
    INSERT INTO department_people
    SELECT dmd.emp_no, dept_no
    FROM department_max_date dmd
    INNER JOIN dept_emp de
        ON dmd.dept_from_date=de.from_date
        AND dmd.dept_to_date=de.to_date
        AND dmd.emp_no=de.emp_no;
    SELECT dept_no, dept_name, manager, COUNT(*) AS heads
    FROM (SELECT d.dept_no, d.dept_name, current_manager(d.dept_no) AS manager
          FROM departments d) AS dm
    INNER JOIN department_people USING (dept_no)
    GROUP BY dept_no, dept_name, manager
    ORDER BY dept_no;
    DROP TABLE department_max_date;
    DROP TABLE department_people;
END //

CREATE PROCEDURE salary_bands(IN p_step INT)
    READS SQL DATA
    SQL SECURITY INVOKER
BEGIN
    WITH RECURSIVE bands (lo, hi) AS (
        SELECT 0, p_step
        UNION ALL
        SELECT hi, hi + p_step FROM bands WHERE hi < 200000
    ), paid AS (
        SELECT salary FROM salaries WHERE to_date = '9999-01-01'
    )
    SELECT b.lo, b.hi, COUNT(p.salary) AS people,
           SUM(COUNT(p.salary)) OVER (ORDER BY b.lo) AS running
    FROM bands b LEFT JOIN paid p ON p.salary >= b.lo AND p.salary < b.hi
    GROUP BY b.lo, b.hi
    ORDER BY b.lo;
END //
DELIMITER ;

INSERT INTO employees VALUES (10001, '1953-09-02', 'Georgi', 'Facello', 'M', '1986-06-26', NULL), (10002, '1964-06-02', 'Bezalel', 'Simmel', 'F', '1985-11-21', 10001);
INSERT INTO departments VALUES ('d001', 'Marketing'), ('d002', 'Finance');
INSERT INTO dept_emp VALUES (10001, 'd001', '1986-06-26', '9999-01-01'), (10002, 'd002', '1996-08-03', '9999-01-01');
INSERT INTO dept_manager VALUES (10001, 'd001', '1991-10-01', '9999-01-01');
INSERT INTO titles VALUES (10001, 'Senior Engineer', '1986-06-26', '9999-01-01');
INSERT INTO salaries VALUES (10001, 60117, '1986-06-26', '1987-06-26'), (10001, 62102, '1987-06-26', '9999-01-01');
