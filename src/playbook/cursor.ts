// Works out where the cursor is in the YAML structure from indentation alone, so completion
// works on half-typed text that does not parse, and costs only the lines around the cursor.

export interface CursorContext {
  /** Keys and `'*'` (a sequence item) from the root to the mapping the cursor is in. */
  path: (string | '*')[];
  /** 'key': typing a key; 'value': typing the value of `key`. */
  position: 'key' | 'value';
  key?: string;
  /** The word being typed and where it starts. */
  prefix: string;
  prefixStart: number;
  /** Keys already present in the same mapping. */
  siblings: Set<string>;
  /** Text of the line before the cursor. */
  linePrefix: string;
}

interface LineShape {
  /** Column where the key or value text starts, after any `- `. */
  column: number;
  /** Column of the last `- ` marker, when the line starts a sequence item. */
  dash?: number;
  key?: string;
  /** True when the key has nothing after its colon (a nested block follows). */
  opensBlock: boolean;
}

const LINE = /^(\s*)((?:-(?:\s+|$))*)(.*)$/;
const KEY = /^("[^"]*"|'[^']*'|[^\s#'"{[][^:#]*?)\s*:(?:\s+|$)(.*)$/;

function shapeOf(line: string): LineShape | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const rest = m[3];
  if (rest.startsWith('#') || (rest.trim() === '' && m[2] === '')) return undefined;
  const column = m[1].length + m[2].length;
  const dash = m[2] ? m[1].length + m[2].lastIndexOf('-') : undefined;
  const k = KEY.exec(rest);
  if (!k) return { column, dash, opensBlock: false };
  const value = k[2].replace(/\s+#.*$/, '').trim();
  return { column, dash, key: k[1].replace(/^["']|["']$/g, ''), opensBlock: value === '' || /^[|>][-+0-9]*$/.test(value) };
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

/** Iterates lines upwards from the line before `lineStart`. */
function* linesAbove(text: string, lineStart: number): Generator<string> {
  let end = lineStart - 1;
  while (end >= 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    yield text.slice(start, end).replace(/\r$/, '');
    end = start - 1;
  }
}

function* linesBelow(text: string, lineEnd: number): Generator<string> {
  let start = lineEnd + 1;
  while (start > 0 && start <= text.length) {
    const end = text.indexOf('\n', start);
    yield text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    if (end === -1) return;
    start = end + 1;
  }
}

export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const linePrefix = text.slice(lineStart, offset);
  const m = LINE.exec(linePrefix);
  if (!m) return undefined;
  const keyColumn = m[1].length + m[2].length;
  const rest = m[3];
  const keyValue = KEY.exec(rest);
  const inItem = m[2] !== '';
  const parent = parentPath(text, lineStart, inItem ? m[1].length + m[2].lastIndexOf('-') : keyColumn, inItem);
  if (!parent) return undefined;
  const lineEnd = text.indexOf('\n', offset);
  const siblings = inItem ? new Set<string>() : siblingKeys(text, lineStart, lineEnd === -1 ? text.length : lineEnd, keyColumn);
  if (keyValue) {
    const valueText = keyValue[2];
    return {
      path: parent,
      position: 'value',
      key: keyValue[1],
      prefix: valueText,
      prefixStart: offset - valueText.length,
      siblings,
      linePrefix,
    };
  }
  return { path: parent, position: 'key', prefix: rest, prefixStart: lineStart + keyColumn, siblings, linePrefix };
}

/**
 * The path of the mapping that holds a key at `column` (or, when `inItem`, of a new item whose
 * dash is at `column`), found by walking up to each less-indented owner.
 */
function parentPath(text: string, lineStart: number, column: number, inItem: boolean): (string | '*')[] | undefined {
  const path: (string | '*')[] = inItem ? ['*'] : [];
  let mode: 'map' | 'seq' = inItem ? 'seq' : 'map';
  let col = column;
  if (mode === 'map' && col === 0) return path;
  for (const line of linesAbove(text, lineStart)) {
    // Lines indented past the column cannot own it (block scalar content, deeper maps): skip them before any regex.
    if (leadingSpaces(line) > col) continue;
    const shape = shapeOf(line);
    if (!shape) continue;
    if (mode === 'map' && shape.column === col && shape.dash !== undefined) {
      // First key of the item we are in: the mapping is a sequence item.
      path.unshift('*');
      mode = 'seq';
      col = shape.dash;
      continue;
    }
    const owns = mode === 'map' ? shape.column < col : shape.column < col || (shape.column === col && shape.dash === undefined);
    if (!owns) continue;
    if (!shape.key || !shape.opensBlock) return undefined;
    path.unshift(shape.key);
    if (shape.dash !== undefined) {
      path.unshift('*');
      mode = 'seq';
      col = shape.dash;
    } else {
      mode = 'map';
      col = shape.column;
      if (col === 0) return path;
    }
  }
  return mode === 'map' && col === 0 ? path : mode === 'seq' && col === 0 ? undefined : path;
}

/** Keys at `column` in the same mapping, above and below the cursor line. */
function siblingKeys(text: string, lineStart: number, lineEnd: number, column: number): Set<string> {
  const keys = new Set<string>();
  const collect = (lines: Iterable<string>, stopAtDash: boolean) => {
    for (const line of lines) {
      const shape = shapeOf(line);
      if (!shape) continue;
      if (shape.column < column) return;
      if (shape.column === column && shape.key) {
        if (shape.dash !== undefined) {
          if (stopAtDash) keys.add(shape.key);
          return;
        }
        keys.add(shape.key);
      }
    }
  };
  collect(linesAbove(text, lineStart), true);
  collect(linesBelow(text, lineEnd), false);
  return keys;
}
