// Real dumps pass the grammar validator: mariadb-dump of a database with tables of many types,
// generated, invisible and system-versioned columns, views, routines, triggers, events and a
// sequence, written with every option combination that changes what a dump looks like. Each is
// validated whole and cut into random chunks, and reports what the scanner reports. Then the
// field zoo (test/harness/fieldzoo): some 200 views, routines, triggers, events and packages in
// the shapes real schemas have, every one of which a valid dump must carry through.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../bench/random.js';
import { DumpValidator } from '../backend/src/dumpfile/grammar.js';
import { DumpScanner } from '../backend/src/dumpfile/scanner.js';
import { loadZoo } from './harness/dumpZoo.js';
import { FIELD_ZOO_DATABASES, loadFieldZoo, ODD_NAMES } from './harness/fieldZoo.js';
import { useMariaDB } from './harness/mariadb.js';

const getServer = useMariaDB({ binlog: true });

/** Option sets, each a way a dump is written (the agent's own set first). */
const OPTIONS: Record<string, string[]> = {
  agent: ['--single-transaction', '--quick', '--hex-blob', '--default-character-set=utf8mb4', '--routines', '--triggers', '--events', '--add-drop-table', '--extended-insert', '--master-data=2', '--gtid', '--databases', 'zoo', 'zoo2'],
  plain: ['--databases', 'zoo'],
  'no hex-blob, routines': ['--routines', '--triggers', '--events', '--databases', 'zoo'],
  'complete, one row per INSERT': ['--complete-insert', '--skip-extended-insert', 'zoo'],
  'insert-ignore, add-drop-database': ['--insert-ignore', '--add-drop-database', '--databases', 'zoo', 'zoo2'],
  'replace, skip-add-locks': ['--replace', '--skip-add-locks', 'zoo'],
  'skip-quote-names': ['--skip-quote-names', '--routines', 'zoo'],
  'master-data=1, gtid': ['--master-data=1', '--gtid', '--databases', 'zoo2'],
  'no-data, routines, events': ['--no-data', '--routines', '--triggers', '--events', '--databases', 'zoo'],
  'skip-tz-utc, skip-comments': ['--skip-tz-utc', '--skip-comments', 'zoo'],
  compact: ['--compact', '--routines', '--events', 'zoo'],
  'dump-history': ['--dump-history', 'zoo', 'history'],
};

describe('real mariadb-dump dumps pass the grammar', () => {
  const dumps = new Map<string, Buffer>();

  beforeAll(async () => {
    const server = getServer();
    await loadZoo(server, 'zoo');
    await server.exec("CREATE DATABASE zoo2; USE zoo2; CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(10)); INSERT INTO t VALUES (1, 'a'), (2, 'b\\\\');");
    const base = ['--no-defaults', `--socket=${server.socket}`, '--user=root'];
    for (const [name, options] of Object.entries(OPTIONS)) dumps.set(name, execFileSync('mariadb-dump', [...base, ...options], { maxBuffer: 1 << 26 }));
    // A server whose SQL mode has NO_BACKSLASH_ESCAPES (the dump still escapes with backslashes).
    await server.query("SET GLOBAL sql_mode = 'NO_BACKSLASH_ESCAPES'");
    dumps.set('server in NO_BACKSLASH_ESCAPES', execFileSync('mariadb-dump', [...base, 'zoo', 'texts', 'parent'], { maxBuffer: 1 << 26 }));
    await server.query('SET GLOBAL sql_mode = DEFAULT');
  });

  it.each(Object.keys(OPTIONS).concat('server in NO_BACKSLASH_ESCAPES'))('%s', (name) => {
    const sql = dumps.get(name)!;
    const whole = new DumpValidator();
    whole.write(sql);
    const r = whole.end();
    expect(r.problems).toEqual([]);
    expect(r.summary.cut).toBeNull();

    const rng = mulberry32(sql.length);
    const cut = new DumpValidator();
    for (let i = 0; i < sql.length; ) {
      const n = 1 + Math.floor(rng() * 700);
      cut.write(sql.subarray(i, i + n));
      i += n;
    }
    const c = cut.end();
    expect(c.problems).toEqual([]);
    expect(c.summary).toEqual(r.summary);

    const scanner = new DumpScanner();
    scanner.write(sql);
    const s = scanner.end();
    // The scanner recognises only backtick-quoted INSERTs: without quotes it counts no rows.
    if (name === 'skip-quote-names') expect([...r.summary.tables.values()].reduce((a, b) => a + b)).toBeGreaterThan(0);
    else expect(r.summary).toEqual(s);
  });

  it('the agent dump holds what the issue lists: views, routines, triggers, events, a sequence, GTID and binlog lines', () => {
    const text = dumps.get('agent')!.toString('latin1');
    for (const needle of ['CREATE SEQUENCE', 'DO SETVAL', '/*M!999999\\- enable the sandbox mode */', 'GENERATED ALWAYS AS', 'INVISIBLE', 'WITH SYSTEM VERSIONING', 'PARTITION BY', "b'", '0x', "-- CHANGE MASTER TO MASTER_LOG_FILE=", "-- SET GLOBAL gtid_slave_pos=", 'DELIMITER ;;', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT', 'VIEW', '-- Dump completed']) {
      expect(text, needle).toContain(needle);
    }
  });
});

/** Option sets for the field zoo's dumps: the agent's, and those that change how bodies are written. */
const ZOO_OPTIONS: Record<string, string[]> = {
  agent: ['--single-transaction', '--quick', '--hex-blob', '--default-character-set=utf8mb4', '--routines', '--triggers', '--events', '--add-drop-table', '--extended-insert'],
  compact: ['--compact', '--routines', '--triggers', '--events'],
  'skip-quote-names': ['--skip-quote-names', '--routines', '--triggers', '--events'],
  'no-data, add-drop-database, skip-opt': ['--no-data', '--add-drop-database', '--skip-opt', '--routines', '--triggers', '--events'],
};

describe('the field zoo: every valid object passes', () => {
  const dumps = new Map<string, Buffer>();
  const objects: { kind: string; name: string }[] = [];

  beforeAll(async () => {
    const server = getServer();
    loadFieldZoo(server);
    const base = ['--no-defaults', `--socket=${server.socket}`, '--user=root'];
    for (const [name, options] of Object.entries(ZOO_OPTIONS)) {
      // Without quotes mariadb-dump writes reserved words bare (DROP TABLE order): SQL no server takes.
      const databases = name === 'skip-quote-names' ? FIELD_ZOO_DATABASES.filter((d) => d !== ODD_NAMES) : FIELD_ZOO_DATABASES;
      dumps.set(name, execFileSync('mariadb-dump', [...base, ...options, '--databases', ...databases], { maxBuffer: 1 << 28 }));
    }
    const list = FIELD_ZOO_DATABASES.map(() => '?').join(', ');
    objects.push(
      ...(await server.query<{ kind: string; name: string }>(
        `SELECT LOWER(ROUTINE_TYPE) AS kind, CONCAT(ROUTINE_SCHEMA, '.', ROUTINE_NAME) AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (${list})
         UNION ALL SELECT 'view', CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN (${list})
         UNION ALL SELECT 'trigger', CONCAT(TRIGGER_SCHEMA, '.', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (${list})
         UNION ALL SELECT 'event', CONCAT(EVENT_SCHEMA, '.', EVENT_NAME) FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (${list})`,
        [...FIELD_ZOO_DATABASES, ...FIELD_ZOO_DATABASES, ...FIELD_ZOO_DATABASES, ...FIELD_ZOO_DATABASES],
      )),
    );
  });

  it('holds well over 150 objects of every kind', () => {
    expect(objects.length).toBeGreaterThan(150);
    for (const kind of ['view', 'procedure', 'function', 'trigger', 'event', 'package', 'package body']) expect(objects.filter((o) => o.kind === kind).length, kind).toBeGreaterThan(0);
  });

  it.each(Object.keys(ZOO_OPTIONS))('%s', (name) => {
    const sql = dumps.get(name)!;
    const v = new DumpValidator({ maxProblems: 50 });
    const rng = mulberry32(sql.length);
    for (let i = 0; i < sql.length; ) {
      const n = 1 + Math.floor(rng() * 5000);
      v.write(sql.subarray(i, i + n));
      i += n;
    }
    const r = v.end();
    const near = (offset: number) => sql.toString('utf8', Math.max(0, offset - 120), offset + 60);
    expect(r.problems.map((p) => ({ ...p, near: near(p.offset) }))).toEqual([]);
    expect(r.summary.cut).toBeNull();
    // Every object the server holds is in the dump and seen there (packages are no manifest object).
    const seen = new Set(Object.entries(r.summary.objects).flatMap(([kind, names]) => names.map((n) => `${kind} ${n}`)));
    const missing = objects.filter((o) => !o.kind.startsWith('package') && !seen.has(`${o.kind} ${o.name}`) && !(name === 'skip-quote-names' && o.name.startsWith(`${ODD_NAMES}.`)));
    expect(missing).toEqual([]);
  });
});
