# The backup user of the compose stack. Not executable on purpose: the image's entrypoint sources a
# non-executable *.sh (docker-library/mysql, docker-entrypoint.sh: docker_process_init_files), so
# its docker_process_sql is at hand, which passes the root password in a defaults file, not argv.

# A value as an SQL string literal: backslashes and quotes doubled, so any password goes in whole.
sql_string() {
	printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}

docker_process_sql <<SQL
CREATE USER IF NOT EXISTS 'backup'@'%' IDENTIFIED BY $(sql_string "$SHOP_DB_PASSWORD");
GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, REPLICATION CLIENT, SHOW_ROUTINE ON *.* TO 'backup'@'%';
SQL
