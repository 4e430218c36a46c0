import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestFile } from '../contract/manifest.js';
import { DumpValidator, type ValidatorOptions } from '../dumpfile/grammar.js';
import { contentProblems, type ScannedFile } from './content.js';
import type { SqlFacts } from './filePass.js';

function scanned(text: string, file: Partial<ManifestFile> = {}, grammar: ValidatorOptions = {}): ScannedFile {
  const validator = new DumpValidator(grammar);
  validator.write(Buffer.from(text));
  const v = validator.end();
  const sql: SqlFacts = {
    bytes: text.length,
    scan: v.summary,
    createdTables: v.createdTables,
    trailerSeen: v.trailerSeen,
    grammar: v.problems,
    moreGrammar: v.moreProblems,
    catalog: v.catalog,
  };
  return { file: { name: 'dump.sql', role: 'dump', bytes: 0, sha256: '', rawBytes: 0, rawSha256: '', ...file }, sql };
}

const TRAILER = '-- Dump completed on 2026-11-22  1:39:41\n';
const DUMP = `CREATE DATABASE \`shop\`;
USE \`shop\`;
CREATE TABLE \`a\` (id int);
INSERT INTO \`a\` VALUES (1),(2);
CREATE TABLE \`b\` (id int);
/*!50001 CREATE VIEW \`v\` AS select 1 AS \`x\` */;
${TRAILER}`;

const manifest = (over: Partial<Manifest> = {}) =>
  ({
    databases: ['shop'],
    tables: [
      { name: 'shop.a', rows: 2 },
      { name: 'shop.b', rows: 0 },
    ],
    objects: { view: ['shop.v'], trigger: [], procedure: [], function: [], event: [] },
    ...over,
  }) as Manifest;

describe('contentProblems', () => {
  it('finds nothing wrong with a whole dump that matches its manifest', () => {
    expect(contentProblems(manifest(), [scanned(DUMP)])).toEqual([]);
  });

  it('names missing and extra tables, wrong row counts and missing objects', () => {
    const m = manifest({
      tables: [
        { name: 'shop.a', rows: 3 },
        { name: 'shop.c', rows: 0 },
      ],
      objects: { view: ['shop.v'], trigger: ['shop.t'], procedure: [], function: [], event: [] },
    });
    expect(contentProblems(m, [scanned(DUMP)])).toEqual([
      { kind: 'row-count', table: 'shop.a', detail: 'the dump holds 2 rows of shop.a; the manifest says 3' },
      { kind: 'missing-table', table: 'shop.c', detail: 'no CREATE TABLE for shop.c in the dump' },
      { kind: 'extra-table', table: 'shop.b', detail: 'the dump holds table shop.b, which the manifest does not list' },
      { kind: 'missing-object', table: 'shop.t', detail: 'trigger shop.t is listed in the manifest but not in the dump' },
    ]);
  });

  it('tells a missing trailer from content after it, and reports a cut', () => {
    expect(contentProblems(manifest(), [scanned(DUMP.replace(TRAILER, ''))]).map((p) => p.detail)).toEqual([
      'dump.sql: the "-- Dump completed" trailer is missing (the dump was cut short)',
    ]);
    const after = contentProblems(manifest(), [scanned(`${DUMP}-- more\n`)]);
    expect(after.map((p) => p.kind)).toEqual(['trailer']);
    expect(after[0]!.detail).toMatch(/content after/);
    const cut = contentProblems(manifest(), [scanned(DUMP.slice(0, DUMP.indexOf('(2)')))]);
    expect(cut.map((p) => p.kind)).toEqual(['cut', 'trailer', 'row-count', 'missing-table', 'missing-object']);
  });

  it('ignores tables a partial run did not dump', () => {
    const m = manifest({ tables: [{ name: 'shop.a', rows: 2 }, { name: 'shop.b', rows: 0 }, { name: 'shop.z', rows: 0, status: 'failed' }] });
    expect(contentProblems(m, [scanned(DUMP)])).toEqual([]);
  });

  it('qualifies the bare table names of per-table data files with their database', () => {
    const schema = scanned(`CREATE DATABASE \`shop\`;\nUSE \`shop\`;\nCREATE TABLE \`a\` (id int);\nCREATE TABLE \`b\` (id int);\n/*!50001 CREATE VIEW \`v\` AS select 1 AS \`x\` */;\n${TRAILER}`, { name: 'schema.sql', role: 'schema' });
    const grammar = { catalog: schema.sql.catalog, database: 'shop' };
    const data = scanned(`INSERT INTO \`a\` VALUES (1),(2);\n${TRAILER}`, { name: 'data-1.sql', role: 'data', table: 'shop.a' }, grammar);
    const empty = scanned(TRAILER, { name: 'data-2.sql', role: 'data', table: 'shop.b' }, grammar);
    expect(contentProblems(manifest(), [schema, data, empty])).toEqual([]);
  });

  it('reports where a file breaks the dump grammar, with the table and what was expected (the broken row still counted)', () => {
    const broken = scanned(DUMP.replace('(1),(2)', "(1),(2,'x')"));
    expect(contentProblems(manifest(), [broken])).toEqual([
      {
        kind: 'grammar',
        table: 'shop.a',
        detail: `dump.sql: byte ${DUMP.indexOf('(2)')} (in the rows of shop.a): expected 1 value in each row (the columns of shop.a), found 2 values`,
      },
    ]);
  });
});
