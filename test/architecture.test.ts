// The agent's import graph against docs/architecture.md: floors below wings, wings below the
// surfaces (serve, cli), no arrow upward and no circle between modules.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../backend/src');

/** Each folder's height: a module may import only from its own folder or a lower one. */
const LAYERS: Record<string, number> = {
  // floors
  contract: 0,
  util: 0,
  config: 1,
  classify: 2,
  mysql: 3,
  dumpfile: 4,
  storage: 4,
  catalog: 5,
  binlogfile: 6,
  // wings, one per verb (classify's verb is its floor)
  binlog: 7,
  check: 7,
  expire: 7,
  list: 7,
  offsite: 7,
  restore: 7,
  verify: 8,
  backup: 9,
  // surfaces
  serve: 10,
  cli: 11,
  'cli.ts': 12,
};

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return productFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const IMPORT = /(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g;

/** file -> the files it imports (type-only imports included: they are dependencies too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of productFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, '.ts'));
    graph.set(path.relative(SRC, file), targets.map((t) => path.relative(SRC, t)));
  }
  return graph;
}

const folderOf = (file: string) => file.split(path.sep)[0]!;

/** Circles among modules (Tarjan's strongly connected components of more than one module). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('the import graph of the agent', () => {
  const graph = importGraph();

  it('places every folder of backend/src on a layer', () => {
    const folders = [...new Set([...graph.keys()].map(folderOf))];
    expect(folders.filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it('has no arrow that runs up or sideways between folders', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => folderOf(t) !== folderOf(file) && LAYERS[folderOf(t)]! >= LAYERS[folderOf(file)]!).map((t) => `${file} -> ${t}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no circle between modules', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('finds the arrows it checks', () => {
    // The rule above would pass on an empty graph: make sure it reads real imports.
    expect(graph.get(path.join('backup', 'run.ts'))).toContain(path.join('classify', 'failure.ts'));
    expect(circles(new Map([['a', ['b']], ['b', ['a']], ['c', ['a']]]))).toEqual([['a', 'b']]);
  });
});
