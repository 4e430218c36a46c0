// The field zoo: views, routines, triggers, events and packages as real schemas write them
// (fieldzoo/*.sql), loaded through the mariadb client as an operator would (DELIMITER of every
// kind, comments kept, objects created under the sql_mode of their script). Its dumps must pass
// the grammar validator whole: it holds nothing a server refuses.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestServer } from './mariadb.js';

const DIR = path.join(import.meta.dirname, 'fieldzoo');
const read = (name: string) => readFileSync(path.join(DIR, `${name}.sql`), 'utf8');

/** The same objects under each sql_mode, with what only that mode can say. */
const MODES: { db: string; mode: string; extra: string[] }[] = [
  { db: 'zoo_mode_default', mode: '', extra: [] },
  { db: 'zoo_mode_nbe', mode: 'NO_BACKSLASH_ESCAPES', extra: ['modes-nbe'] },
  { db: 'zoo_mode_ansi', mode: 'ANSI_QUOTES', extra: ['modes-ansi'] },
  { db: 'zoo_mode_ansi_nbe', mode: 'ANSI,NO_BACKSLASH_ESCAPES', extra: ['modes-nbe', 'modes-ansi'] },
];

/** Scripts in load order (later ones name objects of earlier ones). */
const SCRIPTS = ['sakila', 'employees', 'web', 'audit', 'ops', 'sched', 'versioned', 'names', 'oracle', 'tables', 'edges', 'crossdb'];

/** The databases the zoo's dumps hold; `zoo_elsewhere`, which its views also read, is left out. */
export const ODD_NAMES = 'zoo odd names';
export const FIELD_ZOO_DATABASES = [
  'zoo_rental', 'zoo_staff', 'zoo_web', 'zoo_audit', 'zoo_ops', 'zoo_sched', 'zoo_versioned', 'zoo odd names', 'zoo_oracle', 'zoo_tables',
  'zoo_edges', 'zoo_cross', ...MODES.map((m) => m.db),
];

export function fieldZooScript(): string {
  const modes = MODES.map(({ db, mode, extra }) =>
    [`CREATE DATABASE ${db};\nUSE ${db};\nSET sql_mode = '${mode}';`, read('modes'), ...extra.map(read), 'SET sql_mode = DEFAULT;'].join('\n'),
  );
  return ['SET GLOBAL log_bin_trust_function_creators = 1;', ...SCRIPTS.map(read), ...modes].join('\n');
}

/** Loads the zoo with the mariadb client, comments kept in the bodies. */
export function loadFieldZoo(server: TestServer): void {
  const args = ['--no-defaults', `--socket=${server.socket}`, '--user=root', '--comments', '--default-character-set=utf8mb4'];
  const r = spawnSync('mariadb', args, { input: fieldZooScript(), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`loading the field zoo failed: ${r.stderr}`);
}
