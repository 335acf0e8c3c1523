// The lines a sync moves: each event's exact text with its id and time, read from a log file or a chunk blob.

/** One event line as written by its author, with the id and time the union and the ordering need. */
export interface SyncLine {
  id: string;
  at: string;
  /** The line exactly as written, without its newline, so every copy of the log holds the same bytes. */
  text: string;
}

/**
 * The event lines of a log or chunk text, first copy of each id kept. Lines that are not a JSON object with a
 * string id and time (a torn last line, a line from a tool that wrote no id) are not synced; they stay where they are.
 */
export function parseSyncLines(text: string): SyncLine[] {
  const seen = new Set<string>();
  const lines: SyncLine[] = [];
  for (const raw of text.split('\n')) {
    const line = toSyncLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (!line || seen.has(line.id)) continue;
    seen.add(line.id);
    lines.push(line);
  }
  return lines;
}

/** A log's event ids, and the lines whose id `known` lacks, each id once. */
export interface LogScan {
  ids: Set<string>;
  unknown: SyncLine[];
  /** Lines holding an id an earlier line holds (an event arrived twice, by a `git pull` union or a paste). */
  duplicates: number;
}

// The start of a line as `serializeEvent` writes it: its id is read without parsing the line.
const WRITTEN_ID = /^\{"v":\d+,"id":"([0-9a-z-]+)","at":"/;

/**
 * Like `parseSyncLines`, but a line whose id is already known is only recognised by its start, never parsed:
 * a round then parses just the lines it may send, and its cost does not grow with the log. A line whose id is
 * unknown is parsed whole, so a torn line is never sent.
 */
export function scanLog(text: string, known: ReadonlySet<string>): LogScan {
  const ids = new Set<string>();
  const unknown: SyncLine[] = [];
  let duplicates = 0;
  for (const raw of text.split('\n')) {
    const quick = WRITTEN_ID.exec(raw)?.[1];
    if (quick !== undefined && known.has(quick)) {
      if (ids.has(quick)) duplicates++;
      ids.add(quick);
      continue;
    }
    const line = toSyncLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (!line) continue;
    if (ids.has(line.id)) {
      duplicates++;
      continue;
    }
    ids.add(line.id);
    if (!known.has(line.id)) unknown.push(line);
  }
  return { ids, unknown, duplicates };
}

function toSyncLine(text: string): SyncLine | undefined {
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, at } = value as { id?: unknown; at?: unknown };
  return typeof id === 'string' && id !== '' && typeof at === 'string' ? { id, at, text } : undefined;
}

/** Time order, then id: the order the log's readers show, so a chunk and an append read in timeline order. */
export function compareSyncLines(a: SyncLine, b: SyncLine): number {
  const ta = timeOf(a.at);
  const tb = timeOf(b.at);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function timeOf(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** The lines as file text: sorted, one a line, each ending with a newline. */
export function joinSyncLines(lines: readonly SyncLine[]): string {
  return [...lines]
    .sort(compareSyncLines)
    .map((l) => `${l.text}\n`)
    .join('');
}

/**
 * The contents of a `git cat-file --batch` answer, in request order; a missing object (a commit with no chunk) is
 * undefined. Sizes are in bytes, so this reads bytes, not characters.
 */
export function parseCatFileBatch(bytes: Buffer): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let at = 0;
  while (at < bytes.length) {
    const eol = bytes.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = bytes.toString('utf8', at, eol);
    at = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      out.push(undefined);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) break;
    out.push(bytes.toString('utf8', at, at + size));
    at += size + 1;
  }
  return out;
}
