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

describe('a database name with a dot', () => {
  it('is backed up table by table, and restored and verified with every row counted', async () => {
    const s = getServer();
    // MariaDB allows it: a tenant with CREATE on `app%`.* can make one.
    await s.exec('CREATE DATABASE `app.v2`; USE `app.v2`; CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t SELECT seq FROM seq_1_to_100;');
    try {
      const ws = makeWorkspace([targetFor(s, 'dotted', { databases: ['app.v2'], method: 'per-table', parallel: 1 })]);
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'dotted', '--json']);
      expect(r.json.status, JSON.stringify(r.json.error)).toBe('success');
      expect(rowsOf(r.json.tables, 'app.v2.t')).toBe(100);
      const restored = await runWarden(['restore', r.json.dir, '--config', ws.config, '--target', 'dotted', '--database', 'dotted_copy', '--json']);
      expect(restored.json.ok, JSON.stringify(restored.json)).toBe(true);
      expect(restored.json.tables).toEqual([expect.objectContaining({ name: 'app.v2.t', restoredAs: 'dotted_copy.t', rows: 100, ok: true })]);
      const v = await runWarden(['verify', r.json.dir, '--config', ws.config, '--level', 'restore', '--json']);
      expect(v.json.ok, JSON.stringify(v.json)).toBe(true);
    } finally {
      await s.query('DROP DATABASE IF EXISTS `app.v2`');
      await s.query('DROP DATABASE IF EXISTS dotted_copy');
    }
  });
});

describe('a trigger whose body holds a comment', () => {
  it('makes a dump no server can load: the backup is not reported good, and the grammar check says where', async () => {
    const s = getServer();
    await s.exec('CREATE DATABASE trig; USE trig; CREATE TABLE t (id INT); CREATE TABLE audit (id INT);');
    // Created as an application would (mysql2 keeps the comment; the mariadb client strips it).
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', database: 'trig' });
    await conn.query('CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES (NEW.id /* copy the id */)');
    await conn.end();
    try {
      const ws = makeWorkspace([targetFor(s, 'trig', { databases: ['trig'], verifyAfterBackup: 'parse' })]);
      // The pre-flight names the object before a backup is spent on it.
      const check = await runWarden(['check', '--config', ws.config, '--json']);
      expect(check.json.targets[0].checks.find((c: { name: string }) => c.name === 'object-bodies')).toMatchObject({ status: 'WARN', detail: expect.stringContaining('trigger trig.tr') });
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'trig', '--json']);
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ status: 'failed', class: 'verification' });
      expect(r.json.error.message).toMatch(/grammar: .*executable comment too/);
      const v = await runWarden(['verify', r.json.dir, '--level', 'parse', '--json']);
      expect(v.json.ok).toBe(false);
      expect(v.json.problems.find((p: { kind: string }) => p.kind === 'grammar')).toMatchObject({ detail: expect.stringMatching(/byte \d+.*comments do not nest/) });
    } finally {
      await s.query('DROP DATABASE trig');
    }
  });
});
