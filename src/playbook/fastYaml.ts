// A fast reader for the plain block YAML that playbooks are written in (see parseFast). It builds the same `yaml`
// nodes, with the same ranges, values and scalar types, as the `yaml` library's parseDocument, five to eight times
// faster, and declines anything outside its subset so that the library reads it instead. The property test in
// test/unit/playbook/fastYaml.test.ts compares the two readers on thousands of generated documents.
import { Document, isScalar, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node, type Schema, type ScalarTag } from 'yaml';

/**
 * The options every playbook parse uses. `logLevel: 'error'`: the library's one logged warning, for a mapping key
 * that is itself a collection (`[a, b]: 1`), would go to the extension host's and the CLI's stderr; the key is
 * reported where it is instead, as an unknown key. Parse errors and warnings still reach `doc.errors`/`doc.warnings`.
 */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, logLevel: 'error' } as const;

/** `text` as a YAML document: the fast reader's, or the `yaml` library's where the fast reader declines. */
export function parseYaml(text: string): Document {
  return parseFast(text) ?? parseDocument(text, YAML_OPTIONS);
}

/**
 * The document `yaml`'s parseDocument(text, YAML_OPTIONS) gives, built directly, or undefined when `text` is not in
 * the subset this reader knows exactly. The subset: block mappings and sequences (compact `- key: value` items and
 * sequences at their key's indentation included), plain and quoted scalars on one line, literal and folded block
 * scalars with chomping and indentation indicators, one-line flow mappings and sequences, comments and blank lines
 * (placed in ranges as yaml places them), CRLF line breaks, and a scalar alone at the top level. Declined: anchors,
 * aliases, tags, directives, document markers, multi-line plain or quoted scalars and flow collections, tabs outside
 * block scalars, duplicate and `?` keys, empty values next to comments in a mapping that goes on after them, and
 * every error.
 */
export function parseFast(text: string): Document | undefined {
  return readFast(text)?.doc;
}

/** A document and, when it holds only what plainOf converts itself, its plain value, which plainOf would give. */
export interface ReadDocument {
  doc: Document;
  /** Whether the fast reader read it: then it has no aliases, anchors, tags, errors or warnings. */
  fast: boolean;
  value?: { plain: unknown };
}

/** `text` read as parseYaml reads it, with the plain value when the fast reader made it along the way. */
export function readYaml(text: string): ReadDocument {
  return readFast(text) ?? { doc: parseDocument(text, YAML_OPTIONS), fast: false };
}

/** parseFast, with the document's plain value built while reading (no second walk over the nodes). */
function readFast(text: string): ReadDocument | undefined {
  // yaml drops a byte-order mark at the start of any line before the document starts.
  if (text.charCodeAt(0) === BOM || text.includes('\n\ufeff') || hasLoneCarriageReturn(text)) return undefined;
  try {
    const reader = new Reader(text);
    const doc = reader.document();
    return { doc, fast: true, value: reader.result };
  } catch (error) {
    // A stack overflow (called with little stack left): yaml decides, and reports it.
    if (error === DECLINE || error instanceof RangeError) return undefined;
    throw error;
  }
}

const BOM = 0xfeff;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const DOT = 46;
const PLUS = 0x2b;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const PIPE = 0x7c;
const GREATER = 0x3e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Collections nested deeper than this are declined: yaml's own reader reports a stack overflow somewhere beyond
 * (about 1,000 levels), and a playbook nests about 8.
 */
const MAX_DEPTH = 200;

/** Thrown (and caught in parseFast) where the text leaves the subset. */
const DECLINE = new Error('outside the fast YAML subset');

function decline(): never {
  throw DECLINE;
}

/** Characters that cannot start a plain scalar (YAML's indicators but `-`, `?` and `:`, see startsPlain). */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** Indicators that start a plain scalar when a character that could follow in it comes next. */
const PLAIN_IF_FOLLOWED = new Set([...'-?:'].map((c) => c.charCodeAt(0)));
/** Characters that end a plain scalar inside a flow collection. */
const FLOW_INDICATOR = new Set([...',[]{}'].map((c) => c.charCodeAt(0)));
/** First characters of plain scalars that a core-schema tag other than the string may match. */
const MAYBE_NOT_STRING = new Set([...'~nNtTfF0123456789+-.'].map((c) => c.charCodeAt(0)));

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

let defaultTags: ScalarTag[] | undefined;

/** The core schema's tags that plain scalars resolve by (yaml's findScalarTagByTest), the string tag aside. */
function tagsOf(schema: Schema): ScalarTag[] {
  return (defaultTags ??= (schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test !== undefined));
}

/**
 * yaml's Scalar and Pair constructors give each node its type with Object.defineProperty, slow enough to count when
 * a large playbook makes hundreds of thousands of them. The reader makes its scalars and pairs with these instead:
 * objects of yaml's own prototypes (instanceof, isScalar, isPair, clone and every method hold) with the type one step
 * up the prototype chain, about a third faster to make. Should a yaml version mark nodes differently, yaml's own
 * constructors are used.
 */
const ReadScalar = nodeClass(new Scalar(null), ['value'], function (this: Scalar, value: unknown) {
  this.value = value;
});
const ReadPair = nodeClass(new Pair(null), ['key', 'value'], function (this: Pair, key: unknown, value: unknown) {
  this.key = key;
  this.value = value;
});

/** A constructor like `probe`'s, which must own exactly the node-type symbol and `fields`, all set by `init`. */
function nodeClass<A extends unknown[], T extends object>(
  probe: T,
  fields: string[],
  init: (this: T, ...args: A) => void,
): new (...args: A) => T {
  const symbols = Object.getOwnPropertySymbols(probe);
  const names = Object.getOwnPropertyNames(probe);
  if (symbols.length !== 1 || names.length !== fields.length || !names.every((name) => fields.includes(name))) {
    return probe.constructor as new (...args: A) => T;
  }
  const type = { [symbols[0]]: Object.getOwnPropertyDescriptor(probe, symbols[0])! };
  init.prototype = Object.create(Object.getPrototypeOf(probe) as object, type) as object;
  return init as unknown as new (...args: A) => T;
}

interface Flow {
  node: Node;
  /** Where the node's text ends (its range[1]). */
  end: number;
}

class Reader {
  private readonly length: number;
  private readonly doc = new Document(undefined, YAML_OPTIONS);
  private readonly tags: ScalarTag[];
  /** Start of the current content line (the next line that is not blank), or the text's length at its end. */
  private line = 0;
  /** Indentation of the current content line; -1 at the end of the text. */
  private indent = -1;
  /** The comment lines before the current content line (see nextLine): their indentation and where each ends. */
  private readonly comments: { indent: number; end: number }[] = [];
  /**
   * The deepest indentation of the comment lines left after the last value, which yaml gives to the innermost
   * collection that ends there and is indented no deeper (see endCollection); -1 when there are none.
   */
  private pending = -1;
  /** How many collections the reader is inside. */
  private depth = 0;
  /**
   * The plain value (as plainOf converts it) of the collection read last, so that the one around it takes it without
   * walking the nodes again; `plainValue` turns false at anything plainOf leaves to yaml's own conversion.
   */
  private lastCollection: Node | undefined;
  private lastPlain: unknown;
  private plainValue = true;
  /** The document's plain value, once read; undefined when plainOf must convert it. */
  result: { plain: unknown } | undefined;

  constructor(private readonly text: string) {
    this.length = text.length;
    this.tags = tagsOf(this.doc.schema);
  }

  document(): Document {
    this.nextLine(0);
    if (this.indent === -1) decline();
    this.pending = -1;
    // The document starts at its first content line, indentation included.
    const start = this.line;
    // The top level: a collection, or a scalar alone (column -1: anything after it is more indented).
    const root = this.value(-1, start + this.indent, false, false);
    if (this.indent !== -1) decline();
    // yaml ends the document after a scalar at the top level by rules of its own; read only when nothing follows it.
    if (!(root instanceof YAMLMap || root instanceof YAMLSeq) || (root as YAMLMap | YAMLSeq).flow) {
      if (root.range![2] !== this.length) decline();
    }
    this.doc.contents = root as Document['contents'];
    const plain = this.plainOf(root);
    if (this.plainValue) this.result = { plain };
    // Line breaks after an empty last value are in no node, and yaml ends the document where the value is.
    const end = root.range![2];
    this.doc.range = [start, end, endsEmpty(root) ? end : this.length];
    return this.doc;
  }

  /** Moves to the first content line at or after `from` (a line start), noting the comment lines on the way. */
  private nextLine(from: number): void {
    const text = this.text;
    let p = from;
    this.comments.length = 0;
    for (;;) {
      if (p >= this.length) {
        this.line = this.length;
        this.indent = -1;
        return;
      }
      let i = p;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (c === LF) {
        p = i + 1;
        continue;
      }
      if (c === CR) {
        p = i + 2;
        continue;
      }
      if (i >= this.length) {
        this.line = this.length;
        this.indent = -1;
        return;
      }
      if (c === TAB) decline();
      if (c === HASH) {
        const end = this.afterLine(i);
        this.comments.push({ indent: i - p, end });
        p = end;
        continue;
      }
      if (i === p && isDocumentMarker(text, i)) decline();
      this.line = p;
      this.indent = i - p;
      return;
    }
  }

  /** The block mapping or sequence whose first entry starts at `start`, in column `column`. */
  private collection(column: number, start: number): YAMLMap | YAMLSeq {
    return this.isSeqItem(start) ? this.sequence(column, start) : this.mapping(column, start);
  }

  private isSeqItem(p: number): boolean {
    return this.text.charCodeAt(p) === DASH && isSpaceOrBreak(this.text, p + 1);
  }

  private mapping(column: number, start: number): YAMLMap {
    const map = new YAMLMap(this.doc.schema);
    const plain: Record<string, unknown> = {};
    this.enter();
    let p = start;
    let end = start;
    for (;;) {
      const key = this.key(p);
      if (map.items.length > 0 && hasKey(map, key.value)) decline();
      // Comment lines before a key are the key's in yaml, and change no range.
      const value = this.value(column, key.range![1] + 1, true, false);
      this.setPlain(plain, key, this.plainOf(value));
      map.items.push(new ReadPair(key, value));
      end = value.range![2];
      if (this.indent !== column) break;
      p = this.line + column;
      if (this.isSeqItem(p)) decline();
      // Comment lines before the next entry are in no range.
      this.pending = -1;
    }
    map.range = [start, end, this.endCollection(column, end)];
    this.depth--;
    this.lastCollection = map;
    this.lastPlain = plain;
    return map;
  }

  private sequence(column: number, start: number): YAMLSeq {
    const seq = new YAMLSeq(this.doc.schema);
    const plain: unknown[] = [];
    this.enter();
    let p = start;
    let end = start;
    // Whether comment lines before the item's `-` are its own: neither in the last value's range nor in that of a
    // collection ending before it (see value and endCollection); comments before the first item are the sequence's.
    let afterComments = false;
    for (;;) {
      const item = this.value(column, p + 1, false, afterComments);
      plain.push(this.plainOf(item));
      seq.items.push(item);
      end = item.range![2];
      if (this.indent !== column) break;
      p = this.line + column;
      if (!this.isSeqItem(p)) break;
      afterComments = this.pending !== -1;
      this.pending = -1;
    }
    seq.range = [start, end, this.endCollection(column, end)];
    this.depth--;
    this.lastCollection = seq;
    this.lastPlain = plain;
    return seq;
  }

  /** The plain value of `node`, read last: a scalar's value, or the collection's as it was read. */
  private plainOf(node: Node): unknown {
    if (node === this.lastCollection) return this.lastPlain;
    const value: unknown = (node as Scalar).value;
    if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) this.plainValue = false;
    return value;
  }

  /** Sets `key` to `value` in a mapping's plain value, as jsOf does. */
  private setPlain(plain: Record<string, unknown>, key: Scalar, value: unknown): void {
    const name = plainKey(key.value);
    if (name === undefined) this.plainValue = false;
    else setOwn(plain, name, value);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) decline();
  }

  /**
   * Where a collection at `column` whose last item ends at `end` ends with what follows it (its range[2]). yaml keeps
   * the comment lines after its last item, with everything up to the next node, when one of them is indented at
   * least as deep as the collection (unless it is at column 0); otherwise they go on to the collection around it.
   */
  private endCollection(column: number, end: number): number {
    if (this.indent > column) decline();
    if (this.pending < column || column === 0) return end;
    this.pending = -1;
    return this.indent === -1 ? this.length : this.line + this.indent;
  }

  /** A mapping key ending in `: ` or `:` at the line's end; its `:` is at range[1]. */
  private key(p: number): Scalar {
    const text = this.text;
    const c = text.charCodeAt(p);
    let key: Scalar;
    let end: number;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      ({ scalar: key, end } = this.quoted(p));
    } else {
      end = this.plainEnd(p, true);
      key = this.plain(p, end);
    }
    if (text.charCodeAt(end) !== COLON || !isSpaceOrBreak(text, end + 1) || end - p > 1000) decline();
    key.range = [p, end, end];
    return key;
  }

  /**
   * The value after an indicator (`:` of a mapping entry or `-` of a sequence item) that ends at `p`, in a
   * collection at `column`; `afterComments` if it is a sequence item with comment lines of its own before its `-`.
   * Leaves the reader on the content line after the value.
   */
  private value(column: number, p: number, inMapping: boolean, afterComments: boolean): Node {
    const text = this.text;
    const spaces = p;
    while (text.charCodeAt(p) === SPACE) p++;
    const c = text.charCodeAt(p);
    if (c === TAB) decline();
    if (p >= this.length || c === LF || c === CR || (c === HASH && p > spaces)) {
      const commented = c === HASH;
      this.nextLine(this.afterLine(p));
      const nested = this.indent > column || (inMapping && this.indent === column && this.isSeqItem(this.line + column));
      // Comment lines between an indicator and its collection are in no range.
      if (nested) return this.collection(this.indent, this.line + this.indent);
      const empty = this.empty(p);
      if (commented || afterComments || this.comments.length > 0) {
        // An empty value next to comments (its own before its `-`, one after its indicator, or lines after it) ends
        // where the next content line's indentation does, or at the end of the text. In a mapping that goes on, yaml
        // ends it after the comment, after blank lines or in the next line's indentation, depending on what follows
        // the comment lines; not read here.
        if (inMapping && this.indent >= column) decline();
        empty.range![2] = this.indent === -1 ? this.length : this.line + this.indent;
        this.pending = -1;
      }
      return empty;
    }
    if (!inMapping && this.isSeqItem(p)) return this.sequence(p - this.line, p);
    if (c === PIPE || c === GREATER) return this.blockScalar(p, column);
    let node: Node;
    let end: number;
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      ({ node, end } = this.flow(p));
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      if (!inMapping && this.isKeyLine(p)) return this.mapping(p - this.line, p);
      ({ scalar: node, end } = this.quoted(p));
    } else {
      if (!inMapping && this.isKeyLine(p)) return this.mapping(p - this.line, p);
      end = this.plainEnd(p, false);
      node = this.plain(p, end);
    }
    const after = this.lineTail(end);
    node.range = [p, end, after];
    this.nextLine(after);
    if (this.indent > column) decline();
    // Comment lines right after a one-line value and deeper than its collection are in the value's range.
    let chained = 0;
    while (column >= 0 && chained < this.comments.length && this.comments[chained].indent > column)
      node.range[2] = this.comments[chained++].end;
    this.pending = deepest(this.comments, chained);
    return node;
  }

  /** An empty value (null) at `p`. */
  private empty(p: number): Scalar {
    const scalar = this.resolve('');
    scalar.range = [p, p, p];
    return scalar;
  }

  /** Whether the line from `p` is a mapping entry `key: …` (a sequence item's compact mapping). */
  private isKeyLine(p: number): boolean {
    const c = this.text.charCodeAt(p);
    const end = c === DOUBLE_QUOTE || c === SINGLE_QUOTE ? this.quoted(p).end : this.plainEnd(p, true);
    return this.text.charCodeAt(end) === COLON && isSpaceOrBreak(this.text, end + 1);
  }

  /**
   * Where a one-line plain scalar from `p` ends: at the end of its line or at ` #`, spaces before either trimmed; for a
   * key, at its `: `. A `: ` in a value is a mapping where none may be; declined, as are tabs.
   */
  private plainEnd(p: number, isKey: boolean): number {
    const text = this.text;
    if (!startsPlain(text, p, false)) decline();
    let i = p;
    let last = p;
    for (; i < this.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === LF || ch === CR) break;
      if (ch === TAB) decline();
      if (ch === COLON && isSpaceOrBreak(text, i + 1)) {
        // A space before a key's `:` is in the key's range in yaml; not read here.
        if (!isKey || text.charCodeAt(i - 1) === SPACE) decline();
        return i;
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) break;
      if (ch !== SPACE) last = i;
    }
    if (isKey) return i;
    return last + 1;
  }

  /** A plain scalar, resolved by the core schema. */
  private plain(p: number, end: number): Scalar {
    return this.resolve(this.text.slice(p, end));
  }

  private resolve(source: string): Scalar {
    let scalar: Scalar | undefined;
    if (source === '' || MAYBE_NOT_STRING.has(source.charCodeAt(0))) {
      for (const tag of this.tags) {
        if (!tag.test!.test(source)) continue;
        const resolved: unknown = tag.resolve(source, decline, this.doc.options);
        scalar = isScalar(resolved) ? resolved : new ReadScalar(resolved);
        if (tag.format) scalar.format = tag.format;
        break;
      }
    }
    scalar ??= new ReadScalar(source);
    scalar.source = source;
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  /** A quoted scalar on one line from `p` (at its opening quote); `end` is past the closing quote. */
  private quoted(p: number): { scalar: Scalar; end: number } {
    const text = this.text;
    const double = text.charCodeAt(p) === DOUBLE_QUOTE;
    let value = '';
    let from = p + 1;
    let i = from;
    for (;;) {
      if (i >= this.length) decline();
      const ch = text.charCodeAt(i);
      if (ch === LF || ch === CR) decline();
      if (double && ch === BACKSLASH) {
        value += text.slice(from, i);
        const [escaped, length] = escape(text, i + 1);
        value += escaped;
        i += 1 + length;
        from = i;
        continue;
      }
      if (double ? ch === DOUBLE_QUOTE : ch === SINGLE_QUOTE) {
        if (!double && text.charCodeAt(i + 1) === SINGLE_QUOTE) {
          value += text.slice(from, i + 1);
          i += 2;
          from = i;
          continue;
        }
        value += text.slice(from, i);
        break;
      }
      i++;
    }
    const scalar = new ReadScalar(value);
    scalar.source = value;
    scalar.type = double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    return { scalar, end: i + 1 };
  }

  /**
   * After a node's text ends at `p`: spaces, an optional comment (after a space), and the line break. Returns the
   * start of the next line (or the text's end); anything else there is declined.
   */
  private lineTail(p: number): number {
    const text = this.text;
    let i = p;
    while (text.charCodeAt(i) === SPACE) i++;
    const c = text.charCodeAt(i);
    if (c === HASH && i > p) return this.afterLine(i);
    if (i >= this.length) return this.length;
    if (c === LF) return i + 1;
    if (c === CR) return i + 2;
    return decline();
  }

  /** The start of the line after the one `p` is on. */
  private afterLine(p: number): number {
    const lf = this.text.indexOf('\n', p);
    return lf === -1 ? this.length : lf + 1;
  }

  /** A literal or folded block scalar whose header starts at `p`, in a collection at `column`. */
  private blockScalar(p: number, column: number): Scalar {
    const text = this.text;
    const literal = text.charCodeAt(p) === PIPE;
    let i = p + 1;
    // The header: a chomping indicator and an indentation indicator, in either order.
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let digit = 0;
    for (let k = 0; k < 2; k++) {
      const ch = text.charCodeAt(i);
      if (chomp === 'clip' && (ch === DASH || ch === PLUS)) chomp = ch === DASH ? 'strip' : 'keep';
      else if (digit === 0 && ch >= 0x31 && ch <= 0x39) digit = ch - 0x30;
      else break;
      i++;
    }
    const headerEnd = i;
    let comment: string | undefined;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) === HASH && i > headerEnd) {
      const eol = this.afterLine(i);
      comment = text.slice(i + 1, lineContentEnd(text, eol, this.length)) || ' ';
      i = eol;
    } else {
      i = this.lineTail(headerEnd);
    }
    // The content: lines indented at least as far as the indentation indicator says, after the collection's own
    // (yaml counts from column 0 at the top level), or else as its first non-empty line, deeper than `column`.
    const lines: string[] = [];
    let contentIndent = digit > 0 ? Math.max(column, 0) + digit : -1;
    let endSpaces = false;
    let hasText = false;
    let end = i;
    let blanks = 0;
    let leadingSpaces = 0;
    let q = i;
    while (q < this.length) {
      let s = q;
      while (text.charCodeAt(s) === SPACE) s++;
      const c = text.charCodeAt(s);
      const eol = this.afterLine(q);
      const indent = s - q;
      // A line of spaces is empty, unless it has more spaces than the indentation: the rest is its content.
      if ((c === LF || c === CR || s >= this.length) && (contentIndent === -1 || indent <= contentIndent)) {
        if (contentIndent === -1) leadingSpaces = Math.max(leadingSpaces, indent);
        // Spaces at the end of the text, with no line break after them, are no empty line; yaml keeps them in the
        // scalar only when they reach its indentation.
        if (s >= this.length && indent < contentIndent) break;
        if (s < this.length) blanks++;
        else endSpaces = true;
        q = eol;
        continue;
      }
      if (indent === 0 && isDocumentMarker(text, q)) decline();
      if (contentIndent === -1) {
        if (indent <= column) break;
        contentIndent = indent;
        // yaml wants an indentation indicator for leading empty lines deeper than the first line.
        if (leadingSpaces > contentIndent) decline();
      }
      if (indent < contentIndent) {
        // Below the indicated indentation but inside the collection: yaml reports it.
        if (digit > 0 && indent > column) decline();
        break;
      }
      for (let b = 0; b < blanks; b++) lines.push('');
      blanks = 0;
      const lineText = text.slice(q + contentIndent, lineContentEnd(text, eol, this.length));
      lines.push(lineText);
      if (c !== LF && c !== CR && s < this.length) hasText = true;
      // yaml's reading of spaces beyond an indicated indentation on an otherwise empty line varies; not read here.
      else if (digit > 0) decline();
      end = eol;
      q = eol;
    }
    let value: string;
    // No text: yaml reads an empty scalar, but which of several empty lines it ends after varies; not read here.
    if (!hasText && (lines.length > 0 || endSpaces || (blanks > 1 && chomp !== 'keep'))) decline();
    if (lines.length === 0) {
      // No content: yaml ends the scalar after the empty lines, and keeps them (at least one) only for `+`.
      end = q;
      value = chomp === 'keep' && (blanks > 0 || endSpaces) ? '\n'.repeat(Math.max(1, blanks)) : '';
    } else {
      if (chomp === 'keep') end = q;
      value = literal ? lines.join('\n') : folded(lines);
      if (chomp === 'clip') value += '\n';
      else if (chomp === 'keep') value += '\n'.repeat(1 + blanks);
    }
    const scalar = new ReadScalar(value);
    scalar.source = value;
    scalar.type = literal ? Scalar.BLOCK_LITERAL : Scalar.BLOCK_FOLDED;
    if (comment !== undefined) scalar.comment = comment;
    scalar.range = [p, end, end];
    this.nextLine(q);
    this.pending = deepest(this.comments, 0);
    return scalar;
  }

  /** A flow mapping or sequence on one line from `p` (at its bracket). */
  private flow(p: number): Flow {
    const text = this.text;
    const isMap = text.charCodeAt(p) === OPEN_BRACE;
    const close = isMap ? CLOSE_BRACE : CLOSE_BRACKET;
    const collection = isMap ? new YAMLMap(this.doc.schema) : new YAMLSeq(this.doc.schema);
    const plain: Record<string, unknown> | unknown[] = isMap ? {} : [];
    collection.flow = true;
    this.enter();
    let i = this.skipSpaces(p + 1);
    while (text.charCodeAt(i) !== close) {
      if (isMap) {
        const key = this.flowItem(i, true);
        if (text.charCodeAt(key.end) !== COLON || text.charCodeAt(key.end + 1) !== SPACE) decline();
        const keyNode = key.node as Scalar;
        keyNode.range = [i, key.end, key.end];
        if (hasKey(collection as YAMLMap, keyNode.value)) decline();
        const v = this.skipSpaces(key.end + 1);
        const value = this.flowItem(v, false);
        this.setPlain(plain as Record<string, unknown>, keyNode, this.plainOf(value.node));
        (collection as YAMLMap).items.push(new ReadPair(keyNode, value.node));
        i = this.flowAfterItem(value, v, close);
      } else {
        const item = this.flowItem(i, false);
        (plain as unknown[]).push(this.plainOf(item.node));
        (collection as YAMLSeq).items.push(item.node);
        i = this.flowAfterItem(item, i, close);
      }
    }
    collection.range = [p, i + 1, i + 1];
    this.depth--;
    this.lastCollection = collection;
    this.lastPlain = plain;
    return { node: collection, end: i + 1 };
  }

  /** Past an item of a flow collection and the spaces after it, which are in its range: at the next item or the close. */
  private flowAfterItem(item: Flow, start: number, close: number): number {
    const text = this.text;
    const after = this.skipSpaces(item.end);
    item.node.range = [start, item.end, after];
    const c = text.charCodeAt(after);
    if (c === close) return after;
    if (c !== COMMA) decline();
    return this.skipSpaces(after + 1);
  }

  private skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** A scalar or nested flow collection inside a flow collection, at `p`. */
  private flowItem(p: number, isKey: boolean): Flow {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (isKey) decline();
      return this.flow(p);
    }
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const { scalar, end } = this.quoted(p);
      return { node: scalar, end };
    }
    if (!startsPlain(text, p, true)) decline();
    let i = p;
    let last = p;
    for (; i < this.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === LF || ch === CR || ch === TAB) decline();
      if (FLOW_INDICATOR.has(ch)) break;
      if (ch === COLON) {
        const next = text.charCodeAt(i + 1);
        if (next === SPACE || FLOW_INDICATOR.has(next) || i + 1 >= this.length) break;
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) decline();
      if (ch !== SPACE) last = i;
    }
    if (i >= this.length) decline();
    if (!isKey && text.charCodeAt(i) === COLON) decline();
    return { node: this.plain(p, last + 1), end: last + 1 };
  }
}

/** The deepest indentation of `comments` from `from` on; -1 for none. */
function deepest(comments: { indent: number }[], from: number): number {
  let max = -1;
  for (let i = from; i < comments.length; i++) max = Math.max(max, comments[i].indent);
  return max;
}

/** Whether the last node of `node`, at any depth, is an empty value. */
function endsEmpty(node: Node | null): boolean {
  for (;;) {
    if (node instanceof YAMLMap) node = (node.items[node.items.length - 1]?.value ?? null) as Node | null;
    else if (node instanceof YAMLSeq) node = (node.items[node.items.length - 1] ?? null) as Node | null;
    else return node instanceof Scalar && node.type === Scalar.PLAIN && node.source === '';
  }
}

function hasKey(map: YAMLMap, value: unknown): boolean {
  for (const pair of map.items) if ((pair.key as Scalar).value === value) return true;
  return false;
}

/** Whether a plain scalar can start at `p` (inside a flow collection if `flow`). */
function startsPlain(text: string, p: number, flow: boolean): boolean {
  const c = text.charCodeAt(p);
  if (p >= text.length || NOT_PLAIN_START.has(c)) return false;
  if (!PLAIN_IF_FOLLOWED.has(c)) return true;
  const next = text.charCodeAt(p + 1);
  return !isSpaceOrBreak(text, p + 1) && next !== TAB && !(flow && FLOW_INDICATOR.has(next));
}

function isSpaceOrBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === SPACE || c === LF || c === CR || i >= text.length;
}

function isDocumentMarker(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c !== DASH && c !== DOT) return false;
  return text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c && (isSpaceOrBreak(text, i + 3) || text.charCodeAt(i + 3) === TAB);
}

/** Where a line's content ends, before its `\n` or `\r\n`; `eol` is the start of the next line. */
function lineContentEnd(text: string, eol: number, length: number): number {
  if (eol >= length && text.charCodeAt(length - 1) !== LF) return length;
  return text.charCodeAt(eol - 2) === CR ? eol - 2 : eol - 1;
}

/**
 * Folded lines (yaml's resolveBlockScalar): a line break between two lines becomes a space, and one next to an empty
 * line goes; a more-indented line (a space or tab after the indentation) keeps the line breaks around it.
 */
function folded(lines: string[]): string {
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  let value = '\n'.repeat(i);
  let sep = '';
  let prevMoreIndented = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const first = line.charCodeAt(0);
    if (first === SPACE || first === TAB) {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + line;
      sep = '\n';
      prevMoreIndented = true;
    } else if (line === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  return value;
}

/** The character a `\` escape from `p` (after the backslash) stands for, and how many characters it takes. */
function escape(text: string, p: number): [string, number] {
  const c = text[p];
  const simple = ESCAPES[c];
  if (simple !== undefined) return [simple, 1];
  const digits = HEX_ESCAPES[c];
  if (digits === undefined) return decline();
  const hex = text.slice(p + 1, p + 1 + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) decline();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) decline();
  return [String.fromCodePoint(code), 1 + digits];
}

/** A `\r` not followed by `\n`: YAML reads it as a line break of its own. */
export function hasLoneCarriageReturn(text: string): boolean {
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== LF) return true;
  return false;
}

/** Where plainOf meets a node it does not convert itself. */
const NOT_PLAIN = Symbol('not plain');

/**
 * `doc.toJS(options)`, converted directly where the document holds only plain scalars, mappings with string, number,
 * boolean or null keys, and sequences (no aliases, anchors, merge keys, sets or ordered maps); yaml's own conversion,
 * with its alias limit, for anything else.
 */
export function plainOf(doc: Document, options?: { maxAliasCount?: number }): unknown {
  const value = jsOf(doc.contents as Node | null);
  return value === NOT_PLAIN ? doc.toJS(options) : value;
}

/** The property name of a mapping key's value, or undefined for a merge key (`<<`) or a key that is not a plain scalar. */
function plainKey(name: unknown): string | undefined {
  if (name === '<<' || (name !== null && typeof name !== 'string' && typeof name !== 'number' && typeof name !== 'boolean'))
    return undefined;
  return name === null ? '' : String(name);
}

/** As yaml's addPairToJSMap: a key an object already has (`__proto__`, `toString`) becomes an own property. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key in out) Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function jsOf(node: Node | null): unknown {
  if (node === null) return null;
  if (node.anchor !== undefined) return NOT_PLAIN;
  if (node instanceof Scalar) {
    const value: unknown = node.value;
    return value !== null && (typeof value === 'object' || typeof value === 'bigint') ? NOT_PLAIN : value;
  }
  if (node.constructor === YAMLSeq) {
    const out: unknown[] = new Array<unknown>(node.items.length);
    for (let i = 0; i < out.length; i++) {
      const item = jsOf(node.items[i] as Node | null);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  if (node.constructor === YAMLMap) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of (node as YAMLMap).items) {
      if (!(key instanceof Scalar) || key.anchor !== undefined) return NOT_PLAIN;
      const name = plainKey(key.value);
      if (name === undefined) return NOT_PLAIN;
      const js = jsOf(value as Node | null);
      if (js === NOT_PLAIN) return NOT_PLAIN;
      setOwn(out, name, js);
    }
    return out;
  }
  return NOT_PLAIN;
}
