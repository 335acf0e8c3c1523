// Re-parses only the scenario an edit touched: the text is cut into a head, one piece per scenario item and a
// tail, each parsed on its own and kept between edits. An edit inside one scenario item re-parses that item only;
// any other edit cuts the text again and reuses every piece whose text did not change. Whenever the cut could
// change what YAML means (errors, aliases, directives, unusual layout), it answers undefined and the caller
// parses the whole text. Lines may end in `\n` or `\r\n` (mixed too): pieces are cut after a `\n`, so a `\r\n`
// is never split, and each piece parses as it does in the whole text. A `\r` outside a `\r\n` is left to the whole parse.
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { hasLoneCarriageReturn, readYaml } from './fastYaml';
import { lineBreaks } from './lineIndex';
import type { PieceFacts } from './pieces';
import { editInPlace, moveRanges, type LocalEdit } from './blockEdit';
import { changedRange } from './textDiff';

export interface Layout {
  /** Offset where the scenario items begin (just after the `scenarios:` line). */
  itemsStart: number;
  /** Offset of each item's first line, then the offset where the items end. */
  bounds: number[];
  /** Indentation of the items' `-`. */
  itemIndent: number;
}

/** One piece of the text parsed on its own: the head, one scenario item, or the tail. */
export interface Piece {
  text: string;
  doc: Document;
  /** The offset the nodes' ranges currently count from. */
  base: number;
  /**
   * For an item, what was parsed after its text: the next item's indentation and `-` when one follows. Where an
   * item's last node ends depends on what comes next (an empty value or a trailing comment reaches to the next `-`),
   * so an item is parsed as the whole text continues it, and its nodes' ranges are those of the whole parse.
   */
  follow?: string;
  /** What analysis derived from this piece; it lives as long as the piece (see pieces.ts). */
  facts?: PieceFacts;
}

/** A text cut into parsed pieces that tile it: head, items (at `layout.bounds`), tail. */
export interface Pieces {
  text: string;
  layout: Layout;
  /** The root mapping up to `scenarios:`, which has no value of its own here. */
  head: Piece;
  /** One sequence item each; their nodes may count from any base (see `place`). */
  items: Piece[];
  /** The top-level keys after the scenarios, moved to count from their offset. */
  tail?: Piece;
}

/**
 * How the last text was parsed: an edit inside a command or a title applied to the parsed nodes, only the item an edit
 * touched, cut again, or not at all ("parse it whole").
 */
export type ParseWay = 'in place' | 'one item' | 'relayout' | 'whole';

/** The pieces of one document, kept between its versions. */
export class ChunkCache {
  private current: Pieces | undefined;
  lastWay: ParseWay = 'whole';

  /** Cuts and parses `text`, reusing what did not change; undefined means "parse it whole". */
  parse(text: string): Pieces | undefined {
    const oneItem = this.current && editInOneItem(this.current, text);
    const next = oneItem?.pieces ?? relayout(text, this.current);
    this.lastWay = oneItem ? oneItem.way : next ? 'relayout' : 'whole';
    // After a failure keep the last good pieces, so the next edit still reuses them.
    if (next) this.current = next;
    return next;
  }
}

/** The fast way: the edit stays inside one scenario item and keeps the cut where it was. */
function editInOneItem(current: Pieces, text: string): { pieces: Pieces; way: ParseWay } | undefined {
  const change = changedRange(current.text, text);
  const { bounds, itemIndent } = current.layout;
  const i = itemContaining(bounds, change.start);
  if (i === -1 || change.beforeEnd > bounds[i + 1]) return undefined;
  const delta = change.afterEnd - change.beforeEnd;
  const start = bounds[i];
  const end = bounds[i + 1] + delta;
  if (!keepsLayout(text, start, end, i === 0, itemIndent)) return undefined;
  const edit = {
    start: change.start - start,
    removed: change.beforeEnd - change.start,
    inserted: text.slice(change.start, change.afterEnd),
  };
  const patched = editedInPlace(current.items[i], edit, text.slice(start, end));
  const piece = patched ?? parseSlice(text, start, end, followOf(i, bounds.length - 1, itemIndent), isItem);
  if (!piece) return undefined;
  const items = [...current.items];
  items[i] = piece;
  const layout = { ...current.layout, bounds: bounds.map((b, j) => (j > i ? b + delta : b)) };
  if (current.tail) shift(current.tail, layout.bounds[layout.bounds.length - 1]);
  return { pieces: { text, layout, head: current.head, items, tail: current.tail }, way: patched ? 'in place' : 'one item' };
}

/** A new piece for `text` made from `piece`'s nodes, when the edit stays inside one scalar (see blockEdit). */
function editedInPlace(piece: Piece, edit: LocalEdit, text: string): Piece | undefined {
  shift(piece, 0);
  // The old piece is dropped: its nodes become the new piece's, and what was derived from them goes with it.
  return editInPlace(piece.doc, piece.text, edit) ? { text, doc: piece.doc, base: 0, follow: piece.follow } : undefined;
}

/** The item whose text holds `offset` (an insertion at an item's first offset belongs to that item), or -1. */
function itemContaining(bounds: number[], offset: number): number {
  let low = 0;
  let high = bounds.length - 2;
  if (high < 0 || offset < bounds[0] || offset >= bounds[high + 1]) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (bounds[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Whether findLayout would still cut `text` at `start` and `end`: the piece starts with its item's `-` line
 * (the first item may have comments before it), every other line is indented deeper, and nothing in it
 * (tabs, a `\r` outside a `\r\n`, document markers) makes findLayout give up.
 */
function keepsLayout(text: string, start: number, end: number, first: boolean, itemIndent: number): boolean {
  if (end !== text.length && text.charCodeAt(end - 1) !== 10) return false;
  const piece = text.slice(start, end);
  if (piece.includes('\t') || hasLoneCarriageReturn(piece) || hasDocumentMarker(piece)) return false;
  let seenItem = false;
  for (let pos = 0; pos < piece.length;) {
    const next = piece.indexOf('\n', pos);
    const lineEnd = next === -1 ? piece.length : next;
    const line = classify(piece, pos, lineEnd);
    if (line) {
      if (!seenItem) {
        if (line.indent !== itemIndent || !line.isItem || (!first && pos !== 0)) return false;
        seenItem = true;
      } else if (line.indent <= itemIndent) {
        return false;
      }
    }
    pos = lineEnd + 1;
  }
  return seenItem;
}

/** Cuts the whole text again; pieces whose text is unchanged are reused from `previous`. */
function relayout(text: string, previous: Pieces | undefined): Pieces | undefined {
  const layout = findLayout(text);
  if (!layout) return undefined;
  // Pieces are reused by their text and what was parsed after it (see Piece.follow).
  // Keyed by the text alone (a slice of the document, never copied); the follow is compared among the candidates.
  const pool = new Map<string, Piece[]>();
  for (const piece of previous ? [previous.head, ...previous.items, ...(previous.tail ? [previous.tail] : [])] : []) {
    const candidates = pool.get(piece.text);
    if (candidates) candidates.push(piece);
    else pool.set(piece.text, [piece]);
  }
  const take = (start: number, end: number, follow: string, accept: (piece: Piece) => boolean): Piece | undefined => {
    const candidates = pool.size > 0 ? pool.get(text.slice(start, end)) : undefined;
    const index = candidates ? candidates.findIndex((piece) => (piece.follow ?? '') === follow && accept(piece)) : -1;
    return index === -1 ? parseSlice(text, start, end, follow, accept) : candidates!.splice(index, 1)[0];
  };
  const head = take(0, layout.itemsStart, '', isHead);
  if (!head) return undefined;
  const items: Piece[] = [];
  const count = layout.bounds.length - 1;
  for (let i = 0; i < count; i++) {
    const item = take(layout.bounds[i], layout.bounds[i + 1], followOf(i, count, layout.itemIndent), isItem);
    if (!item) return undefined;
    items.push(item);
  }
  const end = layout.bounds[layout.bounds.length - 1];
  const tail = end < text.length ? take(end, text.length, '', isTail) : undefined;
  if (end < text.length && !tail) return undefined;
  if (tail) shift(tail, end);
  if (hasDuplicateKey(head, tail)) return undefined;
  return { text, layout, head, items, tail };
}

/**
 * The texts the pieces of `text` are parsed from: the head, each scenario item followed by what is parsed after it
 * (see Piece.follow), and the tail; the whole text when it is not cut. For measuring how many of them the fast
 * reader reads itself (the benchmark and its tests).
 */
export function pieceSources(text: string): string[] {
  const layout = findLayout(text);
  if (!layout) return [text];
  const count = layout.bounds.length - 1;
  const sources = [text.slice(0, layout.itemsStart)];
  for (let i = 0; i < count; i++) sources.push(text.slice(layout.bounds[i], layout.bounds[i + 1]) + followOf(i, count, layout.itemIndent));
  const end = layout.bounds[count];
  if (end < text.length) sources.push(text.slice(end));
  return sources;
}

/**
 * What the whole text has after item `index` of `count` that changes the item's ranges: the next item's indentation
 * and `-`. After the last item come top-level keys at column 0 or the end of the text, which change nothing.
 */
function followOf(index: number, count: number, itemIndent: number): string {
  return index < count - 1 ? `${' '.repeat(itemIndent)}-` : '';
}

/**
 * The piece at `start`-`end` of `text`, parsed followed by `follow` (see Piece.follow: for an item, an empty item
 * when something follows), if `accept` takes it. The follow is where the next item begins, so the source is a slice
 * of `text` itself: concatenating would copy every item's text once more, and keep the copy alive in the nodes' strings.
 */
function parseSlice(text: string, start: number, end: number, follow: string, accept: (piece: Piece) => boolean): Piece | undefined {
  const chunk = text.slice(start, end);
  // Binary data is reported by the whole-text path.
  if (chunk.includes('\u0000')) return undefined;
  const source = text.startsWith(follow, end) ? text.slice(start, end + follow.length) : chunk + follow;
  const { doc, fast, value } = readYaml(source);
  if (!fast && (doc.errors.length > 0 || doc.warnings.length > 0 || hasAlias(doc.contents as Node | null))) return undefined;
  const piece: Piece = { text: chunk, doc, base: 0, follow };
  // The fast reader's plain value saves analysis a walk over the nodes (see factsOf in pieces.ts).
  if (value) piece.facts = { value: value.plain, breaks: lineBreaks(chunk) };
  return accept(piece) ? piece : undefined;
}

/** The head: a mapping whose last key is `scenarios` with nothing after it. */
function isHead(piece: Piece): boolean {
  const root = piece.doc.contents;
  const last = isMap(root) ? root.items[root.items.length - 1] : undefined;
  return isPair(last) && isScalar(last.key) && last.key.value === 'scenarios' && isScalar(last.value) && last.value.value === null;
}

function isItem(piece: Piece): boolean {
  const root = piece.doc.contents;
  if (!isSeq(root) || root.items.length !== (piece.follow ? 2 : 1)) return false;
  // The empty item parsed from `follow` must start where the follow does, or the item's text did not end its item.
  const extra = root.items[1] as Node | undefined;
  return !extra || (isScalar(extra) && extra.value === null && (extra.range?.[0] ?? -1) >= piece.text.length);
}

function isTail(piece: Piece): boolean {
  return isMap(piece.doc.contents);
}

function hasDuplicateKey(head: Piece, tail: Piece | undefined): boolean {
  const keys = new Set<unknown>();
  for (const piece of [head, tail]) {
    const root = piece?.doc.contents;
    if (!isMap(root)) continue;
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (keys.has(key)) return true;
      keys.add(key);
    }
  }
  return false;
}

function hasAlias(node: Node | null): boolean {
  if (!node) return false;
  if (isMap(node)) return node.items.some((p) => hasAlias(p.key as Node | null) || hasAlias(p.value as Node | null));
  if (isSeq(node)) return node.items.some((item) => hasAlias(item as Node | null));
  return !isScalar(node);
}

/** Moves every range of a piece's nodes so they count from `base`. */
export function shift(piece: Piece, base: number): void {
  const delta = base - piece.base;
  if (delta !== 0) moveRanges(piece.doc.contents as Node | null, -Infinity, delta);
  piece.base = base;
}

/** A directive or a `---` / `...` marker at a line start: several documents or YAML directives. */
function hasDocumentMarker(text: string): boolean {
  for (let start = 0; start !== -1 && start < text.length; start = nextLineStart(text, start)) {
    const c = text.charCodeAt(start);
    if (c === 37 || ((c === 45 || c === 46) && text.charCodeAt(start + 1) === c && text.charCodeAt(start + 2) === c)) return true;
  }
  return false;
}

/** The start of the line after the one `pos` is on, or -1 after the last line. */
function nextLineStart(text: string, pos: number): number {
  const lf = text.indexOf('\n', pos);
  return lf === -1 ? -1 : lf + 1;
}

/**
 * The indentation of the line from `pos` to `end` (a `\n` or the text's end), whether it starts a sequence item, and
 * where its content starts; undefined for blank and comment lines. A `\r` at the line's end is its line break. Reads
 * characters in place: a layout looks at every line of the document.
 */
function classify(text: string, pos: number, end: number): { indent: number; contentStart: number; isItem: boolean } | undefined {
  const last = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  let i = pos;
  while (i < last && text.charCodeAt(i) === 32) i++;
  // Other white space before the content is rare; trimStart decides what it is, as before.
  if (i < last && isOtherSpace(text.charCodeAt(i))) return classifyTrimmed(text.slice(pos, last), pos);
  if (i === last || text.charCodeAt(i) === 35) return undefined;
  const isItem = text.charCodeAt(i) === 45 && (i + 1 === last || text.charCodeAt(i + 1) === 32);
  return { indent: i - pos, contentStart: i, isItem };
}

function isOtherSpace(c: number): boolean {
  return (c <= 32 && c !== 32) || c === 0xa0 || c >= 0x1680;
}

function classifyTrimmed(line: string, pos: number): { indent: number; contentStart: number; isItem: boolean } | undefined {
  const content = line.trimStart();
  if (content === '' || content.startsWith('#')) return undefined;
  const indent = line.length - content.length;
  return { indent, contentStart: pos + indent, isItem: content === '-' || content.startsWith('- ') };
}

const TOP_KEY = /^[A-Za-z_"'][^:#]*:(?:\s|$)/;

/**
 * Finds `scenarios:` at the top level followed by a block sequence, and where each item starts.
 * Anything unusual (directives, document markers, a flow sequence) gives undefined.
 */
export function findLayout(text: string): Layout | undefined {
  // A lone `\r` is a line break to YAML but not to the cut, which splits at `\n`.
  if (text.includes('\t') || hasLoneCarriageReturn(text) || hasDocumentMarker(text)) return undefined;
  const header = /^scenarios:[ ]*(?:#.*)?\r?\n/m.exec(text);
  if (!header) return undefined;
  const itemsStart = header.index + header[0].length;
  const bounds: number[] = [];
  let itemIndent = -1;
  let pos = itemsStart;
  while (pos < text.length) {
    const next = text.indexOf('\n', pos);
    const lineEnd = next === -1 ? text.length : next;
    const line = classify(text, pos, lineEnd);
    if (line) {
      if (itemIndent === -1) {
        if (!line.isItem) return undefined;
        itemIndent = line.indent;
      }
      if (line.indent < itemIndent || (line.indent === itemIndent && !line.isItem)) {
        if (line.indent !== 0 || !TOP_KEY.test(text.slice(line.contentStart, lineEnd))) return undefined;
        break;
      }
      if (line.indent === itemIndent) bounds.push(pos);
    }
    pos = next === -1 ? text.length : next + 1;
  }
  if (bounds.length === 0) return undefined;
  // Comment and blank lines before the first item belong to it, so pieces tile the items region.
  bounds[0] = itemsStart;
  bounds.push(Math.min(pos, text.length));
  return { itemsStart, bounds, itemIndent };
}
