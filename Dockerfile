# The Warden agent: `warden serve`, non-root, backups in a volume.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY backend ./backend
RUN npm run build:agent && npm prune --omit=dev

FROM node:20-bookworm-slim
# The dump tool and the client for restores of the servers this image backs up: each family's own
# (backend/src/mysql/dialect.ts). CLIENT=mysql installs MySQL 8.4's mysqldump and mysql from
# MySQL's APT repository ("A Quick Guide to Using the MySQL APT Repository", Appendix A: adding it
# by hand; key RPM-GPG-KEY-mysql-2023): MariaDB's mariadb-dump runs SHOW MASTER STATUS, which
# MySQL 8.4 removed. CLIENT=mariadb installs Debian's mariadb-client for MariaDB servers.
ARG CLIENT=mysql
ARG MYSQL_SERIES=mysql-8.4-lts
RUN apt-get update \
 && apt-get install -y --no-install-recommends zstd ca-certificates curl \
 && if [ "$CLIENT" = mysql ]; then \
      curl -fsSL https://repo.mysql.com/RPM-GPG-KEY-mysql-2023 -o /usr/share/keyrings/mysql.asc \
      && echo "deb [signed-by=/usr/share/keyrings/mysql.asc] http://repo.mysql.com/apt/debian bookworm ${MYSQL_SERIES}" > /etc/apt/sources.list.d/mysql.list \
      && apt-get update \
      && apt-get install -y --no-install-recommends mysql-community-client; \
    elif [ "$CLIENT" = mariadb ]; then \
      apt-get install -y --no-install-recommends mariadb-client; \
    else echo "CLIENT must be mysql or mariadb, not $CLIENT" >&2; exit 1; fi \
 && apt-get purge -y curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/backend/bin ./backend/bin
COPY --from=build /app/backend/dist ./backend/dist
COPY package.json ./
RUN mkdir -p /var/lib/warden/backups && chown -R node:node /var/lib/warden
USER node
VOLUME ["/var/lib/warden/backups"]
EXPOSE 9207
ENTRYPOINT ["node", "/app/backend/bin/warden.js"]
CMD ["serve", "--config", "/etc/warden/warden.yaml", "--listen", "0.0.0.0:9207"]
