// Names the server holds are data, never options: a database or table named like an option of the
// dump tool (`--where=0`, `-r<path>`) is dumped as what it is, and changes nothing else.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMariaDB } from './harness/mariadb.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
const trap = path.join(mkdtempSync(path.join(os.tmpdir(), 'warden-trap-')), 'stolen.sql');

beforeAll(async () => {
  await getServer().exec(`CREATE DATABASE shop; USE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(20));
    INSERT INTO shop.orders SELECT seq, 'order' FROM seq_1_to_1000;`);
});

type Tables = { name: string; rows: number }[];
const rowsOf = (tables: Tables, name: string) => tables.find((t) => t.name === name)?.rows;

describe('names that read like options of the dump tool', () => {
  it('databases named --where=0 and -r<path> are backed up as databases, and every row of the others is kept', async () => {
    const s = getServer();
    await s.query('CREATE DATABASE `--where=0`');
    await s.query(`CREATE DATABASE \`-r${trap}\``);
    try {
      const ws = makeWorkspace([targetFor(s, 'all', {})]); // no list: every database the server has
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'all', '--json']);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.json.status).toBe('success');
      expect(rowsOf(r.json.tables, 'shop.orders')).toBe(1000);
      expect(r.json.databases).toEqual(expect.arrayContaining(['--where=0', `-r${trap}`, 'shop']));
      expect(existsSync(trap)).toBe(false);
      const v = await runWarden(['verify', r.json.dir, '--config', ws.config, '--level', 'parse', '--json']);
      expect(v.json.ok, JSON.stringify(v.json)).toBe(true);
    } finally {
      await s.query('DROP DATABASE `--where=0`');
      await s.query(`DROP DATABASE \`-r${trap}\``);
    }
  });

  it('tables named so by a user with rights on its own database only change nothing in a per-table backup', async () => {
    const s = getServer();
    await s.exec('CREATE DATABASE app; USE app; CREATE TABLE app.orders (id INT PRIMARY KEY); INSERT INTO app.orders SELECT seq FROM seq_1_to_500;');
    await s.createUser('appowner', 'app-pw-1', ['ALL ON app.*']);
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'appowner', password: 'app-pw-1', database: 'app' });
    await conn.query('CREATE TABLE `--where=0` (x INT)');
    await conn.query(`CREATE TABLE \`-r${trap}\` (x INT)`);
    await conn.query('INSERT INTO `--where=0` VALUES (1), (2)');
    await conn.end();
    const ws = makeWorkspace([targetFor(s, 'app', { databases: ['app'], method: 'per-table', parallel: 1 })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'app', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.status).toBe('success');
    expect(rowsOf(r.json.tables, 'app.orders')).toBe(500);
    expect(rowsOf(r.json.tables, 'app.--where=0')).toBe(2);
    expect(existsSync(trap)).toBe(false);
  });
});
