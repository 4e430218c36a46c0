// The agent's image carries the dump tool of the server the stack runs: MySQL's own mysqldump for
// the compose stack's MySQL (mariadb-dump cannot read MySQL 8.4's binary log position), from the
// MySQL APT repository series that matches the server's version. Checked by reading the files:
// no Docker engine runs here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/warden.js';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const dockerfile = read('Dockerfile');
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, { image?: string; build?: { context: string; args?: Record<string, string> } }>;
};
const argDefault = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];

describe('the agent image', () => {
  it("installs MySQL's client from MySQL's repository for CLIENT=mysql, Debian's mariadb-client for CLIENT=mariadb", () => {
    expect(argDefault('CLIENT')).toBe('mysql');
    expect(dockerfile).toMatch(/https:\/\/repo\.mysql\.com\/RPM-GPG-KEY-mysql-2023/);
    expect(dockerfile).toMatch(/deb \[signed-by=\S+\] http:\/\/repo\.mysql\.com\/apt\/debian bookworm \$\{MYSQL_SERIES\}/);
    expect(dockerfile).toMatch(/install -y --no-install-recommends mysql-community-client/);
    expect(dockerfile).toMatch(/"\$CLIENT" = mariadb \]; then \\\n\s+apt-get install -y --no-install-recommends mariadb-client/);
    // The base image is bookworm, the release the repository line names.
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
  });

  it("is built for the stack's server: its client series is the MySQL image's version", () => {
    const mysqlVersion = /^mysql:(\d+\.\d+)/.exec(compose.services.mysql!.image!)![1];
    const args = compose.services.agent!.build!.args!;
    expect(args.CLIENT).toBe('mysql');
    expect(args.MYSQL_SERIES).toBe(`mysql-${mysqlVersion}-lts`);
    expect(argDefault('MYSQL_SERIES')).toBe(args.MYSQL_SERIES);
  });
});
