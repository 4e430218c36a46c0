# The Warden agent: `warden serve`, non-root, backups in a volume.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY backend ./backend
RUN npm run build:agent && npm prune --omit=dev

FROM node:20-bookworm-slim
# The dump tool (mariadb-dump, also dumps MySQL 8), the client for restores, and zstd.
RUN apt-get update \
 && apt-get install -y --no-install-recommends mariadb-client zstd ca-certificates \
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
