// The benchmark dataset: a shop-like schema with mixed types (integers, DECIMAL, DATETIME, utf8mb4
// text with CJK, emoji and accents, JSON, BLOBs, NULLs), generated deterministically and loaded
// with LOAD DATA LOCAL INFILE in chunks. Two tables hold most of the bytes, as in real databases.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestServer } from '../test/harness/mariadb.js';
import { which } from './measure.js';
import { bytes, chance, int, mulberry32, pick, seedOf, TextGen, type Rng } from './random.js';

const run = promisify(execFile);

export type Field = string | number | Buffer | null;

interface TableSpec {
  name: string;
  /** fraction of the dataset's bytes */
  share: number;
  description: string;
  columns: string;
  /** LOAD DATA's column list and SET clause, when not all columns in order (BLOBs travel as hex) */
  load?: string;
  row(id: number, rng: Rng, text: TextGen): Field[];
}

const EPOCH_MS = Date.UTC(2019, 0, 1);
const SPAN_MS = 6 * 365 * 86_400_000;

/** 'YYYY-MM-DD HH:MM:SS' with `digits` fractional digits (0 to 3). */
function datetime(rng: Rng, digits = 0): string {
  const iso = new Date(EPOCH_MS + Math.floor(rng() * SPAN_MS)).toISOString();
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19) + (digits > 0 ? iso.slice(19, 20 + digits) : '');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const orNull = <T>(rng: Rng, p: number, value: () => T): T | null => (chance(rng, p) ? value() : null);
const money = (rng: Rng, max: number) => (rng() * rng() * max).toFixed(2);

const FILE_TYPES = [
  ['pdf', 'application/pdf'],
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['zip', 'application/zip'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
] as const;

export const TABLES: TableSpec[] = [
  {
    name: 'orders',
    share: 0.42,
    description: 'many narrow rows: integers, DECIMAL, DATETIME, short utf8mb4 text, NULLs; secondary index',
    columns: `id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      customer_id INT UNSIGNED NOT NULL,
      status ENUM('new','paid','shipped','delivered','cancelled','refunded') NOT NULL,
      currency CHAR(3) NOT NULL,
      amount DECIMAL(12,2) NOT NULL,
      tax_rate DECIMAL(6,4) NOT NULL,
      discount DECIMAL(10,2) NULL,
      quantity SMALLINT UNSIGNED NOT NULL,
      created_at DATETIME NOT NULL,
      shipped_at DATETIME NULL,
      shipping_address VARCHAR(255) NOT NULL,
      note VARCHAR(500) NULL,
      KEY customer (customer_id)`,
    row: (id, rng, text) => [
      id,
      int(rng, 1, 200_000),
      pick(rng, ['new', 'paid', 'shipped', 'delivered', 'delivered', 'delivered', 'cancelled', 'refunded']),
      pick(rng, ['EUR', 'USD', 'USD', 'CNY', 'JPY', 'GBP']),
      money(rng, 5000),
      pick(rng, ['0.0000', '0.0700', '0.0825', '0.1900', '0.2000']),
      orNull(rng, 0.3, () => money(rng, 80)),
      int(rng, 1, 20),
      datetime(rng),
      orNull(rng, 0.7, () => datetime(rng)),
      `${int(rng, 1, 999)} ${text.phrase(int(rng, 2, 4))}, ${int(rng, 10000, 99999)} ${text.word()}`,
      orNull(rng, 0.25, () => text.sentence(3, 14)),
    ],
  },
  {
    name: 'documents',
    share: 0.33,
    description: 'long utf8mb4 text (paragraphs), JSON attributes, DATETIME(3), DECIMAL, NULLs',
    columns: `id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      author_id INT UNSIGNED NOT NULL,
      title VARCHAR(200) NOT NULL,
      lang CHAR(2) NOT NULL,
      body MEDIUMTEXT NOT NULL,
      attributes JSON NOT NULL,
      published_at DATETIME(3) NULL,
      views INT UNSIGNED NOT NULL,
      rating DECIMAL(3,2) NULL`,
    row: (id, rng, text) => [
      id,
      int(rng, 1, 200_000),
      text.sentence(3, 10).slice(0, 200),
      pick(rng, ['en', 'de', 'fr', 'zh', 'ja', 'ru', 'es']),
      text.text(int(rng, 2, 30)),
      JSON.stringify({
        tags: Array.from({ length: int(rng, 0, 5) }, () => text.word()),
        score: Number(rng().toFixed(3)),
        draft: chance(rng, 0.1),
        source: { kind: pick(rng, ['web', 'import', 'api']), ref: int(rng, 1, 1e6) },
        reviewers: chance(rng, 0.5) ? null : Array.from({ length: int(rng, 1, 3) }, () => text.name()),
      }),
      orNull(rng, 0.8, () => datetime(rng, 3)),
      Math.floor(Math.pow(1e6, rng())),
      orNull(rng, 0.6, () => (1 + rng() * 4).toFixed(2)),
    ],
  },
  {
    name: 'attachments',
    share: 0.12,
    description: 'BLOBs of pseudo-random bytes (incompressible, 256 B to 16 KiB) with their sha256',
    columns: `id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      document_id BIGINT UNSIGNED NOT NULL,
      filename VARCHAR(255) NOT NULL,
      mime VARCHAR(100) NOT NULL,
      size INT UNSIGNED NOT NULL,
      sha256 CHAR(64) NOT NULL,
      data MEDIUMBLOB NOT NULL,
      created_at DATETIME NOT NULL`,
    load: '(id, document_id, filename, mime, size, sha256, @data, created_at) SET data = UNHEX(@data)',
    row: (id, rng, text) => {
      const [ext, mime] = pick(rng, FILE_TYPES);
      const data = bytes(rng, int(rng, 256, 16_384));
      return [id, int(rng, 1, 100_000), `${text.ascii()}-${id}.${ext}`, mime, data.length, createHash('sha256').update(data).digest('hex'), data, datetime(rng)];
    },
  },
  {
    name: 'customers',
    share: 0.1,
    description: 'names in Latin (accented) and CJK, ASCII e-mails, DECIMAL, DATE, optional TEXT and JSON',
    columns: `id INT UNSIGNED NOT NULL PRIMARY KEY,
      name VARCHAR(120) NOT NULL,
      email VARCHAR(190) NOT NULL,
      country CHAR(2) NOT NULL,
      city VARCHAR(100) NOT NULL,
      balance DECIMAL(14,2) NOT NULL,
      birth_date DATE NULL,
      created_at DATETIME NOT NULL,
      bio TEXT NULL,
      preferences JSON NULL,
      is_active TINYINT(1) NOT NULL`,
    row: (id, rng, text) => [
      id,
      text.name(),
      `${text.ascii()}.${text.ascii()}${id}@${pick(rng, ['example.com', 'mail.test', 'post.example.org', 'shop.invalid'])}`,
      pick(rng, ['DE', 'FR', 'CN', 'JP', 'US', 'GB', 'ES', 'RU', 'BR', 'IN']),
      text.word().slice(0, 100),
      (rng() * rng() * 20_000 - 2_000).toFixed(2),
      orNull(rng, 0.7, () => `${int(rng, 1940, 2006)}-${pad2(int(rng, 1, 12))}-${pad2(int(rng, 1, 28))}`),
      datetime(rng),
      orNull(rng, 0.4, () => text.text(int(rng, 1, 4))),
      orNull(rng, 0.5, () => JSON.stringify({ lang: pick(rng, ['en', 'de', 'zh', 'ja']), newsletter: chance(rng, 0.3), theme: pick(rng, ['light', 'dark']) })),
      chance(rng, 0.9) ? 1 : 0,
    ],
  },
  {
    name: 'audit_log',
    share: 0.03,
    description: 'small rows: DATETIME(6), ENUM, IP addresses, optional details',
    columns: `id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      at DATETIME(6) NOT NULL,
      actor VARCHAR(64) NOT NULL,
      action ENUM('login','logout','create','update','delete','export') NOT NULL,
      object_id BIGINT UNSIGNED NULL,
      ip VARCHAR(45) NOT NULL,
      details VARCHAR(255) NULL`,
    row: (id, rng, text) => [
      id,
      `${datetime(rng, 3)}${int(rng, 100, 999)}`,
      text.ascii(),
      pick(rng, ['login', 'logout', 'create', 'update', 'update', 'delete', 'export']),
      orNull(rng, 0.8, () => int(rng, 1, 1e7)),
      `10.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`,
      orNull(rng, 0.3, () => text.sentence(2, 8).slice(0, 255)),
    ],
  },
];

/** TSV for LOAD DATA's defaults: tab-separated, backslash escapes, \N for NULL, BLOBs as hex. */
function tsvField(v: Field): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return v.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'));
}

/** About what a field costs in the SQL dump: its bytes plus quotes and a comma. */
export function sqlBytes(v: Field): number {
  if (v === null) return 5;
  if (typeof v === 'number') return String(v).length + 1;
  return (Buffer.isBuffer(v) ? v.length : Buffer.byteLength(v)) + 3;
}

export interface LoadedTable {
  name: string;
  description: string;
  rows: number;
  /** InnoDB data + index bytes */
  storedBytes: number;
}

export interface LoadedData {
  database: string;
  sizeMb: number;
  tables: LoadedTable[];
  /** generation and loading overlap: wall time of both */
  loadSeconds: number;
}

export interface LoadOptions {
  server: TestServer;
  database: string;
  sizeMb: number;
  /** where the TSV chunks are written (each is removed once loaded) */
  tmpDir: string;
  log: (message: string) => void;
}

const CHUNK_BYTES = 16 << 20;
export const SEED = 20261122;

export async function loadDataset({ server, database, sizeMb, tmpDir, log }: LoadOptions): Promise<LoadedData> {
  const client = which('mariadb') ?? which('mysql');
  if (!client) throw new Error('the mariadb (or mysql) client is needed to load the dataset');
  const started = performance.now();
  await server.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const rows = new Map<string, number>();
  let loading: Promise<void> = Promise.resolve();
  let chunk = 0;
  for (const spec of TABLES) {
    await server.query(`CREATE TABLE \`${database}\`.\`${spec.name}\` (${spec.columns}) ENGINE=InnoDB`);
    const rng = mulberry32(seedOf(spec.name) ^ SEED);
    const text = new TextGen(rng);
    const budget = spec.share * sizeMb * 1e6;
    let id = 0;
    for (let spent = 0; spent < budget; ) {
      const lines: string[] = [];
      let size = 0;
      while (size < CHUNK_BYTES && spent < budget) {
        const fields = spec.row(++id, rng, text);
        const line = fields.map(tsvField).join('\t');
        lines.push(line);
        size += line.length;
        spent += fields.reduce((n: number, f) => n + sqlBytes(f), 2);
      }
      const file = path.join(tmpDir, `${database}-${++chunk}.tsv`);
      await writeFile(file, lines.join('\n') + '\n');
      // The next chunk is generated (here, on our core) while the server loads this one.
      await loading;
      loading = loadFile(client, server, database, spec, file).finally(() => rm(file, { force: true }));
    }
    rows.set(spec.name, id);
    log(`  ${spec.name}: ${id} rows generated`);
  }
  await loading;
  log(`  loaded in ${((performance.now() - started) / 1000).toFixed(1)} s; flushing dirty pages`);
  await settle(server);
  // Persistent statistics lag behind bulk loads; the sizes below come from them.
  for (const spec of TABLES) await server.query(`ANALYZE TABLE \`${database}\`.\`${spec.name}\``);
  const stored = await server.query<{ name: string; bytes: string }>(
    'SELECT table_name AS name, data_length + index_length AS bytes FROM information_schema.tables WHERE table_schema = ?',
    [database],
  );
  for (const spec of TABLES) {
    const [count] = await server.query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${database}\`.\`${spec.name}\``);
    if (Number(count?.n) !== rows.get(spec.name)) throw new Error(`${spec.name}: ${count?.n} rows loaded, ${rows.get(spec.name)} generated`);
  }
  return {
    database,
    sizeMb,
    tables: TABLES.map((t) => ({
      name: t.name,
      description: t.description,
      rows: rows.get(t.name)!,
      storedBytes: Number(stored.find((s) => s.name === t.name)?.bytes ?? 0),
    })),
    loadSeconds: (performance.now() - started) / 1000,
  };
}

async function loadFile(client: string, server: TestServer, database: string, spec: TableSpec, file: string): Promise<void> {
  const sql = [
    'SET SESSION unique_checks = 0',
    `LOAD DATA LOCAL INFILE '${file.replace(/[\\']/g, '\\$&')}' INTO TABLE \`${spec.name}\` CHARACTER SET utf8mb4 ${spec.load ?? ''}`,
    // LOCAL turns data errors into warnings: make any of them fail the load.
    'SHOW WARNINGS LIMIT 5',
  ].join(';\n');
  const args = ['--no-defaults', `--socket=${server.socket}`, '--protocol=SOCKET', '--user=root', '--local-infile=1', `--database=${database}`, '--batch', `--execute=${sql}`];
  const { stdout } = await run(client, args, { maxBuffer: 1 << 20 });
  if (stdout.trim()) throw new Error(`LOAD DATA into ${spec.name} produced warnings:\n${stdout}`);
}

/** Flushes the dirty pages the load left, so that background writes do not disturb the timings. */
async function settle(server: TestServer): Promise<void> {
  await server.query('SET GLOBAL innodb_max_dirty_pages_pct = 0');
  try {
    for (let waited = 0; waited < 300; waited++) {
      const [row] = await server.query<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'");
      if (Number(row?.Value) < 64) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await server.query('SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT');
  }
}
