// Follows an incident log as it grows: reads only the bytes appended since the last read, and falls back to a full
// re-read when the file was rewritten (a `git pull` merging lines in, a truncation, a new file in its place).
import { promises as fs } from 'node:fs';
import type { LogEntry } from './events';
import { corruptLine, isJsonLine, LogEntries, type LogProblem, type LogReadResult } from './log';
import { applyEntry, emptyIncidentState, foldIncident, type IncidentState } from './state';

/** What a follower needs of a file; `stat` is undefined when the file cannot be read. */
export interface LogSource {
  stat(): Promise<{ size: number; mtimeMs: number; ino: number } | undefined>;
  read(position: number, length: number): Promise<Buffer>;
}

/** What one `update` found: nothing new, entries that all sort after the old ones, or a different log. */
export type LogChange = { kind: 'none' } | { kind: 'appended'; entries: LogEntry[] } | { kind: 'reset' };

/** Bytes just before the read offset, compared on every read: a rewrite above the end almost always changes them. */
const WINDOW = 4096;
/** The first bytes of the file, compared too: a rewrite of its start (another incident's file in its place). */
const HEAD = 1024;
const NEWLINE = 0x0a;

interface Fingerprint {
  ino: number;
  size: number;
  mtimeMs: number;
  head: Buffer;
  window: Buffer;
}

/**
 * The entries, problems and folded state of one log file, as `readIncidentLog` and `foldIncident` would give them,
 * kept current by `update()`. An append costs the new bytes; a partial last line waits for the rest of its line.
 * Updates run one at a time, in call order.
 */
export class LogFollower {
  private entries = new LogEntries();
  private list: LogEntry[] = [];
  private folded: IncidentState = emptyIncidentState();
  /** Bytes consumed: through the last newline, or through a final line without newline that already parsed. */
  private offset = 0;
  /** The 1-based line that holds `offset`. */
  private line = 1;
  /** `offset` is inside line `line`, after a final line without newline that parsed (it may still get its newline). */
  private midLine = false;
  private pendingProblem: LogProblem | undefined;
  private unreadable: LogProblem | undefined;
  private fingerprint: Fingerprint | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly source: LogSource) {}

  /** Sorted, de-duplicated entries. The array is extended in place by appends and replaced on a reset. */
  get events(): readonly LogEntry[] {
    return this.list;
  }

  get problems(): LogProblem[] {
    if (this.unreadable) return [this.unreadable];
    return this.pendingProblem ? [...this.entries.problems, this.pendingProblem] : [...this.entries.problems];
  }

  get state(): IncidentState {
    return this.folded;
  }

  /** The log as `readIncidentLog` returns it. */
  snapshot(): LogReadResult {
    return { events: [...this.list], problems: this.problems };
  }

  /** Reads what changed since the last update. */
  update(): Promise<LogChange> {
    const next = this.queue.then(() => this.read());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<LogChange> {
    const stat = await this.source.stat();
    if (!stat) return this.lost();
    const known = this.fingerprint;
    if (known && stat.ino === known.ino && stat.size === known.size && stat.mtimeMs === known.mtimeMs) return { kind: 'none' };
    if (!known || this.unreadable || stat.ino !== known.ino || stat.size < this.offset || stat.size === known.size)
      return this.reread(stat);
    const from = Math.max(0, this.offset - WINDOW);
    const bytes = await this.source.read(from, stat.size - from);
    if (!bytes.subarray(0, this.offset - from).equals(known.window) || !(await this.sameHead(from, known.head))) return this.reread(stat);
    const fresh = bytes.subarray(this.offset - from);
    if (this.midLine && fresh.length > 0 && fresh[0] !== NEWLINE) return this.reread(stat);
    this.consume(fresh);
    this.remember(stat, bytes, from);
    return this.appendedSince();
  }

  private async sameHead(from: number, head: Buffer): Promise<boolean> {
    if (from === 0) return true;
    return (await this.source.read(0, head.length)).equals(head);
  }

  private async reread(stat: { size: number; mtimeMs: number; ino: number }): Promise<LogChange> {
    const bytes = await this.source.read(0, stat.size);
    this.entries = new LogEntries();
    this.offset = 0;
    this.line = 1;
    this.midLine = false;
    this.pendingProblem = undefined;
    this.unreadable = undefined;
    this.consume(bytes);
    this.remember(stat, bytes, 0);
    this.entries.takeAppended();
    return this.reset();
  }

  private lost(): LogChange {
    if (this.unreadable) return { kind: 'none' };
    this.fingerprint = undefined;
    this.entries = new LogEntries();
    this.unreadable = { code: 'UNREADABLE_FILE', line: 0, message: 'The incident log cannot be read (was it deleted?).' };
    return this.reset();
  }

  private reset(): LogChange {
    this.list = this.entries.sorted();
    this.folded = foldIncident(this.list);
    return { kind: 'reset' };
  }

  /** Feeds the complete lines of `fresh` (bytes from `offset`), then its final line without newline if it parses. */
  private consume(fresh: Buffer): void {
    const end = fresh.lastIndexOf(NEWLINE) + 1;
    if (end > 0) {
      const lines = fresh.toString('utf8', 0, end).split('\n');
      lines.pop();
      // After a kept final line, the first piece is what followed it on its line: nothing (checked before).
      if (this.midLine) {
        lines.shift();
        this.line++;
        this.midLine = false;
      }
      for (const text of lines) this.entries.addLine(text, this.line++, false);
      this.offset += end;
    }
    this.pendingProblem = undefined;
    const tail = fresh.toString('utf8', end);
    if (end === fresh.length || tail.trim() === '') return;
    if (!isJsonLine(tail)) {
      this.pendingProblem = corruptLine(this.line, true);
      return;
    }
    this.entries.addLine(tail, this.line, true);
    this.offset += fresh.length - end;
    this.midLine = true;
  }

  private remember(stat: { size: number; mtimeMs: number; ino: number }, bytes: Buffer, from: number): void {
    const window = Buffer.from(bytes.subarray(Math.max(0, this.offset - WINDOW) - from, this.offset - from));
    const head = from === 0 ? Buffer.from(bytes.subarray(0, Math.min(HEAD, this.offset))) : (this.fingerprint?.head ?? Buffer.alloc(0));
    this.fingerprint = { ino: stat.ino, size: from + bytes.length, mtimeMs: stat.mtimeMs, head, window };
  }

  private appendedSince(): LogChange {
    const added = this.entries.takeAppended();
    if (added.reordered) return this.reset();
    for (const entry of added.entries) {
      this.list.push(entry);
      this.folded = applyEntry(this.folded, entry);
    }
    return { kind: 'appended', entries: added.entries };
  }
}

/** A log file on disk as a follower's source. */
export function fileSource(file: string): LogSource {
  return {
    async stat() {
      try {
        const s = await fs.stat(file);
        return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
      } catch {
        return undefined;
      }
    },
    async read(position, length) {
      const handle = await fs.open(file, 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}
