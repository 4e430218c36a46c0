// The compose stack's MySQL init script, run the way the image runs it (sourced, with the image's
// docker_process_sql standing in): any backup password arrives whole, nothing of it reaches argv.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { useMariaDB } from './harness/mariadb.js';
import { ROOT } from './helpers/warden.js';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'docker', 'mysql-init', '02-grants.sh');
const getServer = useMariaDB();

/** The SQL the script hands to docker_process_sql, for a given backup password. */
async function generatedSql(password: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', 'docker_process_sql() { cat; }; . "$0"', SCRIPT], { env: { PATH: process.env.PATH, SHOP_DB_PASSWORD: password } });
  return stdout;
}

describe('docker/mysql-init/02-grants.sh', () => {
  it.each([
    ["a quote, a backslash and a comment sign: x'\\\";-- #"],
    ["'); DROP USER root@'%'; --"],
    ['line one\ttab'],
    ['unicode пароль 🔑'],
  ])('creates the backup user with the password %j intact', async (password) => {
    const sql = await generatedSql(password);
    const create = sql.split('\n').find((l) => l.startsWith('CREATE USER'))!;
    // MySQL-only privileges (SHOW_ROUTINE) keep the GRANT off MariaDB; the CREATE USER is what quoting decides.
    const server = getServer();
    await server.query("DROP USER IF EXISTS 'backup'@'%'");
    await server.query(create);
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'backup', password });
    await conn.end();
    expect((await server.query<{ n: number }>("SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'root'"))[0]!.n).toBeGreaterThan(0);
  });

  it('is sourced by the image (not executable), so the root password stays off the command line', async () => {
    expect(statSync(SCRIPT).mode & 0o111).toBe(0);
    expect(await generatedSql('x')).not.toMatch(/-p|MYSQL_ROOT_PASSWORD/);
  });
});
