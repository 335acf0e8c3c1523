// Parses `when:` conditions such as `steps.check-memory.json.heapSizeMB > 2000 and not steps.x.failed`.

export type Literal = string | number | boolean | null;

export type Comparator = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'matches';

/** A reference like `steps.check.exit_code` or `vars.ENV`, with its offsets in the condition text. */
export interface RefNode {
  type: 'ref';
  path: string[];
  start: number;
  end: number;
}

export type ConditionNode =
  | RefNode
  | { type: 'literal'; value: Literal }
  | { type: 'not'; operand: ConditionNode }
  | { type: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { type: 'compare'; op: Comparator; left: ConditionNode; right: ConditionNode };

export interface ConditionError {
  message: string;
  start: number;
  end: number;
}

export type ConditionResult = { ok: true; ast: ConditionNode; refs: RefNode[] } | { ok: false; error: ConditionError };

interface Token {
  kind: 'ref' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'word';
  text: string;
  value?: Literal;
  start: number;
  end: number;
}

const TOKEN =
  /\s*(?:(\()|(\))|(==|!=|>=|<=|>|<)|(-?\d+(?:\.\d+)?)(?![\w.])|("(?:[^"\\]|\\.)*"|'[^']*')|([A-Za-z_][\w-]*(?:(?:\.[\w-]+)|\[\d+\])*))/y;
const WORD_OPS = new Set(['and', 'or', 'not', 'contains', 'matches', 'true', 'false', 'null']);

function tokenize(text: string): Token[] | ConditionError {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) {
      const start = pos + (text.slice(pos).length - text.slice(pos).trimStart().length);
      return { message: `unexpected \`${text[start]}\``, start, end: start + 1 };
    }
    const textValue = m[0].trimStart();
    const start = m.index + (m[0].length - textValue.length);
    tokens.push(toToken(m, textValue, start));
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

function toToken(m: RegExpExecArray, text: string, start: number): Token {
  const end = start + text.length;
  if (m[1]) return { kind: 'lparen', text, start, end };
  if (m[2]) return { kind: 'rparen', text, start, end };
  if (m[3]) return { kind: 'op', text, start, end };
  if (m[4]) return { kind: 'number', text, value: Number(text), start, end };
  if (m[5]) return { kind: 'string', text, value: unquote(text), start, end };
  if (WORD_OPS.has(text)) return { kind: 'word', text, start, end };
  return { kind: 'ref', text, start, end };
}

function unquote(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text.slice(1, -1);
}

/** Recursive-descent parser: or > and > not > comparison > primary. */
class Parser {
  private index = 0;
  readonly refs: RefNode[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): ConditionNode {
    if (this.tokens.length === 0) throw this.error('the condition is empty', 0, this.length);
    const node = this.parseBinary('or');
    const rest = this.peek();
    if (rest) throw this.error(`unexpected \`${rest.text}\``, rest.start, rest.end);
    return node;
  }

  private parseBinary(op: 'or' | 'and'): ConditionNode {
    const next = () => (op === 'or' ? this.parseBinary('and') : this.parseNot());
    let left = next();
    while (this.peekWord(op)) {
      this.index++;
      left = { type: op, left, right: next() };
    }
    return left;
  }

  private parseNot(): ConditionNode {
    if (this.peekWord('not')) {
      this.index++;
      return { type: 'not', operand: this.parseNot() };
    }
    return this.parseComparison();
  }

  private parseComparison(): ConditionNode {
    const left = this.parsePrimary();
    const t = this.peek();
    const isOp = t && (t.kind === 'op' || (t.kind === 'word' && (t.text === 'contains' || t.text === 'matches')));
    if (!isOp) return left;
    this.index++;
    return { type: 'compare', op: t.text as Comparator, left, right: this.parsePrimary() };
  }

  private parsePrimary(): ConditionNode {
    const t = this.peek();
    if (!t) throw this.error('the condition ends too early', this.length, this.length);
    this.index++;
    if (t.kind === 'lparen') return this.parseParenthesised(t);
    if (t.kind === 'number' || t.kind === 'string') return { type: 'literal', value: t.value ?? null };
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false')) return { type: 'literal', value: t.text === 'true' };
    if (t.kind === 'word' && t.text === 'null') return { type: 'literal', value: null };
    if (t.kind === 'ref') {
      const ref: RefNode = { type: 'ref', path: splitPath(t.text), start: t.start, end: t.end };
      this.refs.push(ref);
      return ref;
    }
    throw this.error(`unexpected \`${t.text}\``, t.start, t.end);
  }

  private parseParenthesised(open: Token): ConditionNode {
    const inner = this.parseBinary('or');
    const close = this.peek();
    if (!close || close.kind !== 'rparen') throw this.error('missing `)`', open.start, open.end);
    this.index++;
    return inner;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private peekWord(word: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'word' && t.text === word;
  }

  private error(message: string, start: number, end: number): ConditionError {
    return { message, start, end };
  }
}

/** Splits `steps.a.json.items[0].x` into `['steps','a','json','items','0','x']`. */
export function splitPath(text: string): string[] {
  return text
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0);
}

export function parseCondition(text: string): ConditionResult {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { ok: false, error: tokens };
  const parser = new Parser(tokens, text.length);
  try {
    const ast = parser.parse();
    return { ok: true, ast, refs: parser.refs };
  } catch (thrown) {
    if (isConditionError(thrown)) return { ok: false, error: thrown };
    throw thrown;
  }
}

function isConditionError(value: unknown): value is ConditionError {
  return typeof value === 'object' && value !== null && 'message' in value && 'start' in value && !(value instanceof Error);
}

/** Fields a `steps.<id>.` reference may read. */
export const STEP_FIELDS = ['passed', 'failed', 'skipped', 'exit_code', 'status', 'duration', 'output', 'json'] as const;

/** Roots a condition may start with. */
export const CONDITION_ROOTS = ['steps', 'vars', 'severity', 'incident'] as const;
