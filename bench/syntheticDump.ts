// A dump file shaped like what `mariadb-dump --hex-blob --extended-insert --databases bench` writes
// for the benchmark dataset, generated without a server: the scanner's micro-benchmark reads it.
// The same tables and value generators as the loaded dataset, plus a small table of the literals
// that make scanning hard (escaped quotes, `),(` inside strings, comment markers, bit and binary
// literals), so every path of the scanner is timed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { type Field, SEED, sqlBytes, TABLES } from './dataset.js';
import { chance, int, mulberry32, pick, type Rng, seedOf, TextGen } from './random.js';

const DATABASE = 'bench';
/** mariadb-dump starts a new INSERT when the next row would pass net_buffer_length (1 MiB - 1 KiB). */
const NET_BUFFER_LENGTH = (1 << 20) - 1025;
const WRITE_BYTES = 8 << 20;

export interface SyntheticDump {
  bytes: number;
  /** rows per `db.table`, as the scanner reports them */
  rows: Record<string, number>;
}

const ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"', '\x1a': '\\Z' };

/** A field, or a literal written as it is (bit values, `_binary'…'`). */
type SqlField = Field | { literal: string };

/** What the generator needs of a table (the dataset's TableSpec fits). */
interface DumpTable {
  name: string;
  share: number;
  columns: string;
  row(id: number, rng: Rng, text: TextGen): SqlField[];
}

/** A value as mariadb-dump writes it: numbers bare, strings escaped and quoted, BLOBs as hex. */
function sqlValue(v: SqlField): string {
  if (v === null) return 'NULL';
  if (typeof v === 'object' && 'literal' in v) return v.literal;
  if (typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return v.length === 0 ? "''" : `0x${v.toString('hex').toUpperCase()}`;
  // DECIMAL columns come from the generators as strings; the dump writes them bare.
  if (/^-?\d+(?:\.\d+)?$/.test(v) && v.length < 20) return v;
  return `'${v.replace(/[\0\n\r\\'"\x1a]/g, (c) => ESCAPES[c]!)}'`;
}

const TRICKY: DumpTable = {
  name: 'tricky_literals',
  share: 0.02,
  columns: '`id` int NOT NULL, `a` text, `b` varbinary(64), `c` double, `d` bit(8), `e` blob',
  row: (id: number, rng: Rng, text: TextGen): SqlField[] => [
    id,
    pick(rng, [
      `it's ${text.phrase(3)}`,
      `values ('a'),('b') -- ${text.word()} /* x */ ; # ${text.word()}`,
      `${'\\'.repeat(int(rng, 1, 6))}'${text.word()}`,
      `"double" \`back\` ${text.sentence(2, 6)}`,
      `line\nbreak\r\n\ttab\0nul\x1a`,
      text.text(int(rng, 1, 3)),
    ]),
    chance(rng, 0.5) ? Buffer.from([0x27, 0x5c, 0x29, 0x28, 0x3b, int(rng, 0, 255)]) : null,
    -rng() * 1e-7,
    { literal: `b'${int(rng, 0, 255).toString(2)}'` },
    chance(rng, 0.5) ? { literal: "_binary '\\\\\\')(;'" } : { literal: `X'${int(rng, 0, 65535).toString(16).padStart(4, '0')}'` },
  ],
};

function header(): string {
  return [
    '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
    '--',
    `-- Host: 127.0.0.1    Database: ${DATABASE}`,
    '-- ------------------------------------------------------',
    '-- Server version\t10.11.19-MariaDB-0+deb12u1',
    '',
    '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
    '/*!40101 SET NAMES utf8mb4 */;',
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    '/*M!999999\\- enable the sandbox mode */ ;',
    '',
    '--',
    `-- Current Database: \`${DATABASE}\``,
    '--',
    '',
    `CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`${DATABASE}\` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;`,
    '',
    `USE \`${DATABASE}\`;`,
    '',
  ].join('\n');
}

function tableStart(spec: DumpTable): string {
  const columns = spec.columns.replace(/\s*\n\s*/g, '\n  ');
  return [
    '',
    '--',
    `-- Table structure for table \`${spec.name}\``,
    '--',
    '',
    `DROP TABLE IF EXISTS \`${spec.name}\`;`,
    '/*!40101 SET @saved_cs_client     = @@character_set_client */;',
    '/*!40101 SET character_set_client = utf8mb4 */;',
    `CREATE TABLE \`${spec.name}\` (\n  ${columns}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;`,
    '/*!40101 SET character_set_client = @saved_cs_client */;',
    '',
    '--',
    `-- Dumping data for table \`${spec.name}\``,
    '--',
    '',
    `LOCK TABLES \`${spec.name}\` WRITE;`,
    `/*!40000 ALTER TABLE \`${spec.name}\` DISABLE KEYS */;`,
    '',
  ].join('\n');
}

function tableEnd(spec: DumpTable): string {
  return `/*!40000 ALTER TABLE \`${spec.name}\` ENABLE KEYS */;\nUNLOCK TABLES;\ncommit;\n`;
}

function trailer(): string {
  return [
    '',
    'DELIMITER ;;',
    "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `orders_touch` BEFORE UPDATE ON `orders` FOR EACH ROW BEGIN",
    "  -- a comment inside the body; and a ';'",
    '  SET NEW.note = CONCAT(NEW.note, \';\');',
    'END */;;',
    'DELIMITER ;',
    '/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;',
    '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
    '',
    '-- Dump completed on 2026-11-22  4:20:00',
    '',
  ].join('\n');
}

/** Appends text to a file in large writes. */
class Writer {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(private readonly fd: number) {}

  add(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= WRITE_BYTES) this.flush();
  }

  flush(): void {
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }
}

/** Writes about `sizeMb` MB of dump to `file`; returns its size and the rows of each table. */
export function writeSyntheticDump(file: string, sizeMb: number): SyntheticDump {
  const fd = openSync(file, 'w');
  const rows: Record<string, number> = {};
  try {
    const out = new Writer(fd);
    out.add(header());
    for (const spec of [...TABLES, TRICKY] as DumpTable[]) {
      out.add(tableStart(spec));
      const rng = mulberry32(seedOf(spec.name) ^ SEED);
      const text = new TextGen(rng);
      const budget = spec.share * sizeMb * 1e6;
      let id = 0;
      let statement = '';
      for (let spent = 0; spent < budget; ) {
        const fields = spec.row(++id, rng, text);
        spent += fields.reduce((n: number, f) => n + (f !== null && typeof f === 'object' && 'literal' in f ? f.literal.length + 1 : sqlBytes(f)), 2);
        const tuple = `(${fields.map(sqlValue).join(',')})`;
        if (statement && statement.length + tuple.length + 1 > NET_BUFFER_LENGTH) {
          out.add(`${statement};\n`);
          statement = '';
        }
        statement = statement ? `${statement},${tuple}` : `INSERT INTO \`${spec.name}\` VALUES ${tuple}`;
      }
      if (statement) out.add(`${statement};\n`);
      out.add(tableEnd(spec));
      rows[`${DATABASE}.${spec.name}`] = id;
    }
    out.add(trailer());
    out.flush();
    return { bytes: out.bytes, rows };
  } finally {
    closeSync(fd);
  }
}
