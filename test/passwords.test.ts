// Passwords that option files must carry unharmed: every printable ASCII character (quotes, `#`,
// backslash, `;`, spaces at both ends) and unicode. The pre-flight (mysql2) and the dump and
// restore tools (option file) must all log in with them.
import { describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const PASSWORDS: [string, string][] = [
  ['a quote and a comment sign', 'Rs"pw#1'],
  ['every printable ASCII character, spaces at both ends', ` ${PRINTABLE_ASCII} `],
  ['unicode', 'пароль-密码-🔑-ß'],
];
// The restore loads objects with their DEFINER, which takes SET USER.
const GRANTS = ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR, SET USER ON *.*', 'ALL ON `pw_restored_%`.*'];

describe.each(PASSWORDS.map(([name, password], i) => [name, password, i] as const))('a password with %s', (_name, password, i) => {
  it('backs up and restores', async () => {
    const server = getServer();
    if (i === 0) await loadSampleShop(server, 'shop');
    const user = `pw_user_${i}`;
    await server.createUser(user, password, GRANTS);
    const ws = makeWorkspace([targetFor(server, 'shop', { user, passwordEnv: 'PW_TEST', databases: ['shop'] })]);
    const env = { PW_TEST: password };

    const backup = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], env);
    expect(backup.json?.error ?? null, backup.stderr).toBeNull();
    expect(backup.code).toBe(0);

    const restore = await runWarden(['restore', backup.json.id, '--config', ws.config, '--target', 'shop', '--database', `pw_restored_${i}`, '--json'], env);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    const [row] = await server.query<{ n: number }>(`SELECT COUNT(*) AS n FROM pw_restored_${i}.customers`);
    expect(row!.n).toBeGreaterThan(0);
    expect(backup.stdout + backup.stderr + restore.stdout + restore.stderr).not.toContain(password.trim());
  });
});
