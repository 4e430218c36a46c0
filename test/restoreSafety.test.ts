// `warden restore` under a new name, as an operator who restores next to production needs it: the
// copy never writes into the source database (triggers, routines, views and events are renamed,
// events arrive disabled), a failed load leaves no half-loaded database that looks restored, and
// the client's own failure is reported as the client's (never as a corrupt backup).
import { beforeAll, describe, expect, it } from 'vitest';
import { useMariaDB } from './harness/mariadb.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
const PASSWORD = 'limited-restore-pw-2b7d';
let ws: ReturnType<typeof makeWorkspace>;
let bulkBackup = '';

beforeAll(async () => {
  const server = getServer();
  // Megabytes of SQL, so that zstd is still writing when the client gives up on the first statement.
  await server.exec(`CREATE DATABASE bulk;
    CREATE TABLE bulk.t (id INT PRIMARY KEY, s TEXT) ENGINE=InnoDB;
    USE bulk;
    INSERT INTO t SELECT seq, REPEAT(MD5(seq), 12) FROM seq_1_to_20000;`);
  // No DROP: the dump's first statement, DROP TABLE IF EXISTS, is refused.
  await server.createUser('limited', PASSWORD, ['SELECT, INSERT, CREATE, ALTER, INDEX, LOCK TABLES ON `bulk_restored`.*']);
  ws = makeWorkspace([
    targetFor(server, 'bulk', { databases: ['bulk'] }),
    targetFor(server, 'objects', { databases: ['shop', 'other'] }),
    targetFor(server, 'dest', { user: 'limited', passwordEnv: 'DEST_PW' }),
    targetFor(server, 'no-trigger', { user: 'no_trigger', passwordEnv: 'DEST_PW' }),
  ]);
  const r = await runWarden(['backup', '--config', ws.config, '--target', 'bulk', '--json']);
  expect(r.code, r.stderr).toBe(0);
  bulkBackup = r.json.dir as string;
});

describe('a client that fails on its own', () => {
  it('is reported with its exit status and stderr first, never as a corrupt backup', async () => {
    await getServer().query('CREATE DATABASE IF NOT EXISTS bulk_restored');
    const r = await runWarden(['restore', bulkBackup, '--config', ws.config, '--target', 'dest', '--database', 'bulk_restored', '--json'], { DEST_PW: PASSWORD });
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ class: 'privilege', code: 1142 });
    expect(r.json.error.message).toMatch(/the mariadb client failed \(exit 1\): ERROR 1142 \(42000\) at line \d+: DROP command denied/);
    expect(r.json.error.message).not.toMatch(/SIGPIPE|Premature close|corrupt|EPIPE/);
    // It existed before the restore: left, and said to be half loaded.
    expect(r.json.leftover).toBe('half-loaded');
    expect(r.json.error.message).toMatch(/bulk_restored existed before and is now half loaded/);
  });
});

describe('objects that name the source database', () => {
  const SHOP_OBJECTS = `CREATE DATABASE shop; CREATE DATABASE other;
    CREATE TABLE other.lookup (id INT PRIMARY KEY);
    USE shop;
    CREATE TABLE t (id INT PRIMARY KEY, v INT);
    CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100));
    CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW INSERT INTO shop.audit (msg) VALUES (CONCAT('shop.t row ', NEW.id));
    CREATE PROCEDURE count_audit(OUT n INT) SELECT COUNT(*) INTO n FROM \`shop\`.audit;
    CREATE VIEW v_other AS SELECT id FROM other.lookup;
    CREATE EVENT ev ON SCHEDULE EVERY 1 HOUR DO DELETE FROM shop.audit WHERE id < 0;`;
  let objectsBackup = '';

  beforeAll(async () => {
    const server = getServer();
    await server.exec(SHOP_OBJECTS);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'objects', '--json']);
    expect(r.code, r.stderr).toBe(0);
    objectsBackup = r.json.dir as string;
  });

  it('renames them to the new database, restores events disabled, and warns of other databases', async () => {
    const server = getServer();
    const r = await runWarden(['restore', objectsBackup, '--config', ws.config, '--target', 'objects', '--source-database', 'shop', '--database', 'shop_copy', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/trigger shop\.trg: references to shop now name shop_copy/),
        expect.stringMatching(/procedure shop\.count_audit: references to shop now name shop_copy/),
        expect.stringMatching(/view shop\.v_other names other, which this restore of shop does not load/),
        expect.stringMatching(/event shop\.ev was restored DISABLED/),
      ]),
    );
    // The copy's trigger writes into the copy; production's audit table is untouched.
    await server.query('INSERT INTO shop_copy.t VALUES (1, 1)');
    expect(await server.query('SELECT msg FROM shop_copy.audit')).toEqual([{ msg: 'shop.t row 1' }]);
    expect(await server.query('SELECT * FROM shop.audit')).toEqual([]);
    const [count] = await server.query<{ n: number }>('CALL shop_copy.count_audit(@n); SELECT @n AS n').catch(async () => {
      await server.query('CALL shop_copy.count_audit(@n)');
      return server.query<{ n: number }>('SELECT @n AS n');
    });
    expect(Number(count!.n)).toBe(1);
    const events = await server.query<{ EVENT_SCHEMA: string; STATUS: string; EVENT_DEFINITION: string }>(
      "SELECT EVENT_SCHEMA, STATUS, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_NAME = 'ev' ORDER BY EVENT_SCHEMA",
    );
    expect(events).toEqual([
      { EVENT_SCHEMA: 'shop', STATUS: 'ENABLED', EVENT_DEFINITION: 'DELETE FROM shop.audit WHERE id < 0' },
      { EVENT_SCHEMA: 'shop_copy', STATUS: 'DISABLED', EVENT_DEFINITION: 'DELETE FROM `shop_copy`.audit WHERE id < 0' },
    ]);
  });

  it('drops the database it created when the load fails, and says so', async () => {
    const server = getServer();
    // Everything but TRIGGER: the tables load, then CREATE TRIGGER is refused.
    await server.createUser('no_trigger', PASSWORD, ['SELECT, INSERT, CREATE, DROP, ALTER, INDEX, LOCK TABLES, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, SET USER ON *.*']);
    const r = await runWarden(['restore', objectsBackup, '--config', ws.config, '--target', 'no-trigger', '--source-database', 'shop', '--database', 'shop_failed', '--json'], { DEST_PW: PASSWORD });
    expect(r.code).toBe(1);
    expect(r.json.error.class).toBe('privilege');
    expect(r.json.leftover).toBe('dropped');
    expect(r.json.error.message).toMatch(/the half-loaded database shop_failed was dropped/);
    expect(await server.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_failed'")).toEqual([]);
  });
});
