// Small helpers over the `yaml` library's nodes: spans, keyed lookups, and resolving a path to a node.
import { isMap, isScalar, isSeq, isPair, type Node, type Pair, type YAMLMap, type Document } from 'yaml';
import type { Span } from './problems';
import type { NodePath } from './model';

export function spanOf(node: Node | null | undefined, fallback: Span = { start: 0, end: 0 }): Span {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : fallback;
}

export function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null ? String(pair.key.value) : undefined;
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  for (const item of map.items) if (isPair(item) && keyName(item) === key) return item;
  return undefined;
}

/** The value of `key` when it is a scalar string or number, as text. */
export function scalarText(map: YAMLMap, key: string): string | undefined {
  const value = findPair(map, key)?.value;
  if (!isScalar(value) || value.value === null || typeof value.value === 'object') return undefined;
  return String(value.value);
}

/** Where to report a problem about `key` in `map`: its value if present and non-empty, else its key. */
export function valueSpan(map: YAMLMap, key: string): Span | undefined {
  const pair = findPair(map, key);
  if (!pair) return undefined;
  const value = spanOf(pair.value as Node | null, { start: 0, end: 0 });
  return value.end > value.start ? value : spanOf(pair.key as Node);
}

/** A map's first key, where problems about the map as a whole go (never the whole document). */
export function headSpan(node: Node): Span {
  if (isMap(node) && node.items.length > 0) {
    const first = node.items[0];
    const key = spanOf(first.key as Node | null);
    if (key.end > key.start) return key;
  }
  const span = spanOf(node);
  return { start: span.start, end: Math.min(span.end, span.start + 1) };
}

export interface Located {
  node: Node | null;
  /** The pair whose value is `node`, when the last segment is a key. */
  pair?: Pair;
  /** The deepest node reached, when the path goes further than the document. */
  parent: Node | null;
}

/** Resolves a path of keys and indexes to a node; schema errors are placed with one. */
export type Locator = (path: NodePath) => Located;

/** Follows a path of keys and indexes from the document root. */
export function locate(doc: Document, path: NodePath): Located {
  return locateFrom(doc.contents as Node | null, path);
}

/** Follows a path of keys and indexes from `root`. */
export function locateFrom(root: Node | null, path: NodePath): Located {
  let node = root;
  let parent: Node | null = node;
  let pair: Pair | undefined;
  for (const segment of path) {
    parent = node;
    pair = undefined;
    if (isMap(node)) {
      pair = findPair(node, String(segment));
      node = (pair?.value as Node | null) ?? null;
    } else if (isSeq(node) && /^\d+$/.test(String(segment))) {
      node = (node.items[Number(segment)] as Node | null) ?? null;
    } else {
      return { node: null, parent };
    }
    if (node === null && !pair) return { node: null, parent };
  }
  return { node, pair, parent };
}
