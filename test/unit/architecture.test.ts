// The layout is part of the design: core folders never reach into the adapters, and folders import without cycles.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');
const CORE = ['playbook', 'run', 'incident', 'import', 'panel', 'cli'];

/** A file's node: its top folder under src, or the file itself at the top (extension.ts, commands.ts). */
function nodeOf(file: string): string {
  return file.includes(path.sep) ? file.split(path.sep)[0] : file.replace(/\.ts$/, '');
}

/** Folder → the src folders its files import (relative imports only; `vscode` itself is the lint rule's job). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of readdirSync(SRC, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))) {
    const folder = nodeOf(file);
    const targets = graph.get(folder) ?? new Set<string>();
    graph.set(folder, targets);
    const text = readFileSync(path.join(SRC, file), 'utf8');
    for (const [, spec] of text.matchAll(/\bfrom '(\.{1,2}\/[^']+)'/g)) {
      const target = path.relative(SRC, path.resolve(SRC, path.dirname(file), spec));
      if (target.startsWith('..')) continue;
      const targetFolder = nodeOf(target);
      if (targetFolder !== folder) targets.add(targetFolder);
    }
  }
  return graph;
}

/** One cycle among folders, as a path, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('source layout', () => {
  const graph = folderGraph();

  it('has no import cycle between folders', () => {
    assert.equal(findCycle(graph)?.join(' → '), undefined);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const cyclic = new Map([
      ['playbook', new Set(['run'])],
      ['run', new Set(['playbook'])],
    ]);
    assert.deepEqual(findCycle(cyclic), ['playbook', 'run', 'playbook']);
  });

  for (const folder of CORE) {
    it(`keeps src/${folder} free of the VS Code adapters`, () => {
      assert.ok(graph.has(folder), `src/${folder} exists`);
      assert.equal(graph.get(folder)?.has('vscode'), false);
    });
  }
});
