// Applies an edit to the parsed nodes directly when it stays inside one scalar and cannot change the structure: a
// content line of a literal block scalar (a `run: |` command), whose characters all belong to its value, or a
// one-line plain value in a block mapping (a title), read again by the YAML library on its own. Only that value and
// the offsets after the edit move. Anything else (line breaks, indentation, keys, quotes, flow collections) answers
// false, and the caller parses the text again.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { YAML_OPTIONS } from './fastYaml';

/** An edit in a piece's own offsets: `removed` characters at `start` replaced by `inserted`. */
export interface LocalEdit {
  start: number;
  removed: number;
  inserted: string;
}

/** Characters that could end a line, change indentation rules, or make the text something findLayout refuses. */
const UNSAFE = /[\n\r\t\u0000\uFEFF]/;

/** Applies `edit` (to `before`, the text `doc` was parsed from) to `doc` in place, when it is safe; else false. */
export function editInPlace(doc: Document, before: string, edit: LocalEdit): boolean {
  return editBlockScalar(doc, before, edit) || editPlainValue(doc, before, edit);
}

function editBlockScalar(doc: Document, before: string, edit: LocalEdit): boolean {
  const end = edit.start + edit.removed;
  if (UNSAFE.test(edit.inserted) || UNSAFE.test(before.slice(edit.start, end))) return false;
  const scalar = blockScalarAt(doc.contents as Node | null, edit.start, end);
  if (!scalar?.range || typeof scalar.value !== 'string' || scalar.source !== scalar.value) return false;
  const index = valueIndex(before, scalar, edit.start);
  if (index === undefined) return false;
  const value = scalar.value.slice(0, index) + edit.inserted + scalar.value.slice(index + edit.removed);
  scalar.value = value;
  scalar.source = value;
  moveAfter(doc, end, edit.inserted.length - edit.removed);
  return true;
}

/** Moves every range boundary from `offset` on by `delta`. */
function moveAfter(doc: Document, offset: number, delta: number): void {
  moveRanges(doc.contents as Node | null, offset, delta);
  if (doc.range) doc.range = [doc.range[0], doc.range[1] + delta, doc.range[2] + delta];
}

/** What a plain scalar may carry; an anchor or a tag is left to the parser. */
const PLAIN_KEYS = new Set(['value', 'range', 'source', 'type', 'format', 'minFractionDigits', 'comment']);

/** A one-line plain value of a block mapping, edited from its start to its end, read again on its own. */
function editPlainValue(doc: Document, before: string, edit: LocalEdit): boolean {
  const end = edit.start + edit.removed;
  const pair = valuePairAt(doc.contents as Node | null, edit.start, end);
  const old = pair?.value as Scalar | undefined;
  if (!pair || !old?.range || UNSAFE.test(edit.inserted) || !plainOnly(old)) return false;
  const [start, valueEnd] = old.range;
  const raw = before.slice(start, valueEnd);
  // An empty value, or one not after `: `, could join its key: `title:x` is one plain scalar, not a pair.
  if (raw === '' || raw.includes('\n') || before[start - 1] !== ' ') return false;
  const text = raw.slice(0, edit.start - start) + edit.inserted + raw.slice(end - start);
  const parsed = parseDocument(text, YAML_OPTIONS);
  const scalar = parsed.contents;
  if (
    parsed.errors.length > 0 ||
    parsed.warnings.length > 0 ||
    !isScalar(scalar) ||
    !plainOnly(scalar) ||
    scalar.range?.[0] !== 0 ||
    scalar.range[1] !== text.length ||
    scalar.range[2] !== text.length
  )
    return false;
  // Boundaries at the edit's end move too: the value's mapping may end where the value does.
  moveAfter(doc, end, edit.inserted.length - edit.removed);
  scalar.range = [start, start + text.length, old.range[2]];
  if (old.comment !== undefined) scalar.comment = old.comment;
  pair.value = scalar;
  return true;
}

function plainOnly(node: Scalar): boolean {
  return node.type === 'PLAIN' && Object.keys(node).every((key) => PLAIN_KEYS.has(key));
}

/** The pair of a block mapping whose one-line scalar value holds [start, end]. */
function valuePairAt(node: Node | null | undefined, start: number, end: number): Pair | undefined {
  if (!node?.range || node.range[0] > start || end > node.range[2]) return undefined;
  if (isMap(node)) {
    if (node.flow) return undefined;
    for (const pair of node.items) {
      const value = pair.value as Node | null;
      if (isScalar(value) && value.range && value.range[0] <= start && end <= value.range[1]) return isPair(pair) ? pair : undefined;
      const found = valuePairAt(value, start, end);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = valuePairAt(item as Node | null, start, end);
      if (found) return found;
    }
  }
  return undefined;
}

/** The deepest literal block scalar whose content holds [start, end]. */
function blockScalarAt(node: Node | null | undefined, start: number, end: number): Scalar | undefined {
  if (!node?.range || node.range[0] >= start || end >= node.range[1]) return undefined;
  if (isScalar(node)) return node.type === 'BLOCK_LITERAL' ? node : undefined;
  const children: unknown[] = isMap(node) ? node.items.flatMap((p) => [p.key, p.value]) : isSeq(node) ? node.items : [];
  for (const child of children) {
    const found = blockScalarAt(child as Node | null, start, end);
    if (found) return found;
  }
  return undefined;
}

/**
 * Where `offset` falls in the scalar's value, when it is after the first character of a content line (so the
 * indentation stays as it was) and the value really holds that line there; else undefined.
 */
function valueIndex(text: string, scalar: Scalar, offset: number): number | undefined {
  const [start, end] = scalar.range ?? [0, 0];
  const headerEnd = text.indexOf('\n', start);
  // An explicit indentation indicator (`|2`) is rare enough to leave to the parser.
  if (headerEnd === -1 || headerEnd >= offset || /\d/.test(text.slice(start, headerEnd))) return undefined;
  // A line may end in `\r\n`, one line break in the value: the `\r` is not part of the line (UNSAFE keeps edits off it).
  const lines = text
    .slice(headerEnd + 1, end)
    .split('\n')
    .map((l) => ({ line: l.endsWith('\r') ? l.slice(0, -1) : l, breakLength: l.endsWith('\r') ? 2 : 1 }));
  const indent = lines.find((l) => l.line.trim() !== '')?.line.search(/\S/) ?? -1;
  let lineStart = headerEnd + 1;
  let index = 0;
  for (const { line, breakLength } of lines) {
    const lineEnd = lineStart + line.length;
    if (offset <= lineEnd) {
      const first = line.search(/\S/);
      const content = line.slice(indent);
      if (
        indent < 0 ||
        first < indent ||
        offset - lineStart <= first ||
        (scalar.value as string).slice(index, index + content.length) !== content
      )
        return undefined;
      return index + offset - lineStart - indent;
    }
    index += Math.max(0, line.length - indent) + 1;
    lineStart = lineEnd + breakLength;
  }
  return undefined;
}

/** Moves every range boundary from `offset` on by `delta` (all of them when `offset` is -Infinity). */
export function moveRanges(node: Node | null | undefined, offset: number, delta: number): void {
  if (!node) return;
  const range = node.range;
  if (range) node.range = [move(range[0], offset, delta), move(range[1], offset, delta), move(range[2], offset, delta)];
  if (isMap(node)) {
    for (const pair of node.items) {
      moveRanges(pair.key as Node | null, offset, delta);
      moveRanges(pair.value as Node | null, offset, delta);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) moveRanges(item as Node | null, offset, delta);
  }
}

function move(value: number, offset: number, delta: number): number {
  return value >= offset ? value + delta : value;
}
