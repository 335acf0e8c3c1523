// Re-parses only the scenarios an edit touched: the text is cut into a head, one chunk per scenario
// item and a tail; unchanged chunks reuse their parsed nodes (shifted to their new offsets), and the
// pieces are joined into one Document. Whenever the cut could change what YAML means (errors, aliases,
// directives, unusual layout), it answers undefined and the caller parses the whole text.
import { Document, isMap, isPair, isScalar, isSeq, Pair, parseDocument, YAMLMap, YAMLSeq, type Node } from 'yaml';

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false } as const;

interface Layout {
  /** Offset where the scenario items begin (just after the `scenarios:` line). */
  itemsStart: number;
  /** Offset of each item's first line, then the offset where the items end. */
  bounds: number[];
}

interface Entry {
  doc: Document;
  /** The offset the nodes' ranges currently count from. */
  base: number;
}

/** Parsed chunks of one document, by chunk text; kept between edits of that document. */
export class ChunkCache {
  private entries = new Map<string, Entry[]>();

  /** Parses `text` as one document, reusing every chunk that did not change; undefined means "parse it whole". */
  parse(text: string): Document | undefined {
    const layout = findLayout(text);
    if (!layout) return undefined;
    const previous = this.entries;
    const next = new Map<string, Entry[]>();
    const take = (chunk: string, base: number): Entry | undefined => {
      const entry = reuse(previous, chunk) ?? parseChunk(chunk);
      if (!entry) return undefined;
      shift(entry, base);
      (next.get(chunk) ?? next.set(chunk, []).get(chunk))?.push(entry);
      return entry;
    };
    const doc = assemble(text, layout, take);
    // After a failure (a chunk with a syntax error, say) keep what was not used, so the next edit still reuses it.
    if (!doc) for (const [chunk, list] of previous) if (list.length > 0) next.set(chunk, [...(next.get(chunk) ?? []), ...list]);
    this.entries = next;
    return doc;
  }
}

function reuse(entries: Map<string, Entry[]>, chunk: string): Entry | undefined {
  return entries.get(chunk)?.pop();
}

function parseChunk(chunk: string): Entry | undefined {
  const doc = parseDocument(chunk, PARSE_OPTIONS);
  if (doc.errors.length > 0 || doc.warnings.length > 0 || hasAlias(doc.contents as Node | null)) return undefined;
  return { doc, base: 0 };
}

type Take = (chunk: string, base: number) => Entry | undefined;

function assemble(text: string, layout: Layout, take: Take): Document | undefined {
  const head = take(text.slice(0, layout.itemsStart), 0);
  if (!head || !isMap(head.doc.contents)) return undefined;
  const root = head.doc.contents;
  const scenarios = root.items[root.items.length - 1];
  if (!isPair(scenarios) || !isScalar(scenarios.key) || scenarios.key.value !== 'scenarios' || !isScalar(scenarios.value) || scenarios.value.value !== null) return undefined;
  const seq = new YAMLSeq();
  for (let i = 0; i + 1 < layout.bounds.length; i++) {
    const entry = take(text.slice(layout.bounds[i], layout.bounds[i + 1]), layout.bounds[i]);
    const items = entry && isSeq(entry.doc.contents) ? entry.doc.contents.items : [];
    if (items.length !== 1) return undefined;
    seq.items.push(items[0]);
  }
  const first = seq.items[0] as Node;
  const last = seq.items[seq.items.length - 1] as Node;
  seq.range = [first.range?.[0] ?? 0, last.range?.[1] ?? 0, last.range?.[2] ?? 0];
  return join(head.doc, scenarios, seq, text, layout, take);
}

/** Builds the whole document from the head's root mapping, the scenarios and the tail's keys. */
function join(head: Document, scenarios: Pair, seq: YAMLSeq, text: string, layout: Layout, take: Take): Document | undefined {
  const original = head.contents;
  if (!isMap(original)) return undefined;
  // The head and the chunks stay cached: copy the root mapping instead of changing a cached node.
  const root = new YAMLMap();
  root.items = [...original.items.slice(0, -1), new Pair(scenarios.key, seq)];
  const end = layout.bounds[layout.bounds.length - 1];
  if (end < text.length) {
    const tail = take(text.slice(end), end);
    if (!tail || !isMap(tail.doc.contents)) return undefined;
    root.items.push(...tail.doc.contents.items);
  }
  if (hasDuplicateKey(root)) return undefined;
  const last = root.items[root.items.length - 1];
  const lastNode = (last.value ?? last.key) as Node;
  root.range = [original.range?.[0] ?? 0, lastNode.range?.[1] ?? text.length, lastNode.range?.[2] ?? text.length];
  const doc = new Document(null, PARSE_OPTIONS);
  doc.contents = root;
  doc.range = [0, text.length, text.length];
  return doc;
}

function hasDuplicateKey(root: YAMLMap): boolean {
  const keys = new Set<unknown>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (keys.has(key)) return true;
    keys.add(key);
  }
  return false;
}

function hasAlias(node: Node | null): boolean {
  if (!node) return false;
  if (isMap(node)) return node.items.some((p) => hasAlias(p.key as Node | null) || hasAlias(p.value as Node | null));
  if (isSeq(node)) return node.items.some((item) => hasAlias(item as Node | null));
  return !isScalar(node);
}

/** Moves every range of an entry's nodes so they count from `base`. */
function shift(entry: Entry, base: number): void {
  const delta = base - entry.base;
  if (delta !== 0) shiftNode(entry.doc.contents as Node | null, delta);
  entry.base = base;
}

function shiftNode(node: Node | null | undefined, delta: number): void {
  if (!node) return;
  const range = node.range;
  if (range) node.range = [range[0] + delta, range[1] + delta, range[2] + delta];
  if (isMap(node)) {
    for (const pair of node.items) {
      shiftNode(pair.key as Node | null, delta);
      shiftNode(pair.value as Node | null, delta);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) shiftNode(item as Node | null, delta);
  }
}

/** A directive or a `---` / `...` marker at a line start: several documents or YAML directives. */
function hasDocumentMarker(text: string): boolean {
  if (/^(?:%|---|\.\.\.)/.test(text)) return true;
  for (const marker of ['\n%', '\n---', '\n...']) if (text.includes(marker)) return true;
  return false;
}

const TOP_KEY = /^[A-Za-z_"'][^:#]*:(?:\s|$)/;

/**
 * Finds `scenarios:` at the top level followed by a block sequence, and where each item starts.
 * Anything unusual (directives, document markers, a flow sequence) gives undefined.
 */
export function findLayout(text: string): Layout | undefined {
  if (text.includes('\t') || text.includes('\r') || hasDocumentMarker(text)) return undefined;
  const header = /^scenarios:[ ]*(?:#.*)?\n/m.exec(text);
  if (!header) return undefined;
  const itemsStart = header.index + header[0].length;
  const bounds: number[] = [];
  let itemIndent = -1;
  let pos = itemsStart;
  while (pos < text.length) {
    const next = text.indexOf('\n', pos);
    const lineEnd = next === -1 ? text.length : next;
    const line = text.slice(pos, lineEnd);
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (content !== '' && !content.startsWith('#')) {
      const isItem = content === '-' || content.startsWith('- ');
      if (itemIndent === -1) {
        if (!isItem) return undefined;
        itemIndent = indent;
      }
      if (indent < itemIndent || (indent === itemIndent && !isItem)) {
        if (indent !== 0 || !TOP_KEY.test(content)) return undefined;
        break;
      }
      if (indent === itemIndent) bounds.push(pos);
    }
    pos = next === -1 ? text.length : next + 1;
  }
  if (bounds.length === 0) return undefined;
  // Comment and blank lines before the first item belong to it, so chunks tile the items region.
  bounds[0] = itemsStart;
  bounds.push(Math.min(pos, text.length));
  return { itemsStart, bounds };
}
