// docs/architecture.md is the map of the tree: every folder it names exists, and every folder of
// the agent and of the plugin's features is on it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/warden.js';

const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
/** Every `path/` in backticks: the folders the page names. */
const named = [...doc.matchAll(/`((?:backend\/src|src|scripts|test)(?:\/[\w.-]+)*\/)`/g)].map((m) => m[1]!);
/** Every `path/file.ts` in backticks. */
const files = [...doc.matchAll(/`((?:backend\/src|src|scripts|test)\/[\w./-]+\.tsx?)`/g)].map((m) => m[1]!);

const subfolders = (dir: string) =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}/${e.name}/`);

describe('docs/architecture.md', () => {
  it('names only folders and files that exist', () => {
    expect(named.length).toBeGreaterThan(20);
    for (const folder of named) expect(existsSync(path.join(ROOT, folder)) && statSync(path.join(ROOT, folder)).isDirectory(), folder).toBe(true);
    for (const file of files) expect(existsSync(path.join(ROOT, file)), file).toBe(true);
  });

  it("names every folder of the agent and every feature of the plugin", () => {
    const tree = [...subfolders('backend/src'), ...subfolders('backend/src/serve'), ...subfolders('src/features')];
    expect(tree.filter((folder) => !named.includes(folder))).toEqual([]);
  });
});
