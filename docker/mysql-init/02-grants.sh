#!/bin/sh
# Runs once at the first start of the MySQL container (docker-entrypoint-initdb.d).
mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE USER IF NOT EXISTS 'backup'@'%' IDENTIFIED BY '${SHOP_DB_PASSWORD}';
GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, REPLICATION CLIENT, SHOW_ROUTINE ON *.* TO 'backup'@'%';
SQL
