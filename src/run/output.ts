// Captures a command's output within a byte budget, keeping its head and tail, and strips ANSI escapes for the record.

/** Default budget for recorded output: 1 MB. */
export const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;

/** What a capture recorded. */
export interface CapturedOutput {
  /** Head, omission marker and tail, ANSI escapes removed. */
  text: string;
  /** Bytes received in total. */
  totalBytes: number;
  /** Bytes dropped from the middle; 0 when everything was kept. */
  omittedBytes: number;
}

/**
 * Keeps the first half and the last half of the budget of a stream of output. Memory stays within the budget
 * however much arrives; the first and last lines are usually the ones that explain a failure.
 */
export class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(limitBytes: number = DEFAULT_OUTPUT_LIMIT) {
    const limit = Number.isFinite(limitBytes) && limitBytes > 0 ? Math.floor(limitBytes) : DEFAULT_OUTPUT_LIMIT;
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = limit - this.headLimit;
  }

  /** Adds a chunk of output (text is taken as UTF-8). */
  write(chunk: string | Uint8Array): void {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    this.total += bytes.length;
    const room = this.headLimit - this.headBytes;
    if (room > 0) {
      const taken = bytes.subarray(0, room);
      this.head.push(taken);
      this.headBytes += taken.length;
      bytes = bytes.subarray(taken.length);
    }
    if (bytes.length > 0) this.pushTail(bytes);
  }

  private pushTail(bytes: Buffer): void {
    if (this.tailLimit === 0) return;
    // Copy the end of a huge chunk so the rest of it can be freed.
    this.tail.push(bytes.length > this.tailLimit ? Buffer.from(bytes.subarray(bytes.length - this.tailLimit)) : bytes);
    this.tailBytes += this.tail[this.tail.length - 1].length;
    while (this.tailBytes - this.tail[0].length >= this.tailLimit) {
      this.tailBytes -= (this.tail.shift() as Buffer).length;
    }
  }

  /** The recorded output so far. */
  result(): CapturedOutput {
    const head = Buffer.concat(this.head);
    const tailAll = Buffer.concat(this.tail);
    const tail = tailAll.subarray(Math.max(0, tailAll.length - this.tailLimit));
    if (head.length + tail.length === this.total) {
      return { text: stripAnsi(Buffer.concat([head, tail]).toString('utf8')), totalBytes: this.total, omittedBytes: 0 };
    }
    // Cut at character boundaries so neither side ends in a broken character.
    const headText = head.subarray(0, utf8Boundary(head, head.length));
    const tailText = tail.subarray(skipContinuation(tail));
    const omitted = this.total - headText.length - tailText.length;
    const text = `${stripAnsi(headText.toString('utf8'))}\n… ${omitted} bytes omitted …\n${stripAnsi(tailText.toString('utf8'))}`;
    return { text, totalBytes: this.total, omittedBytes: omitted };
  }
}

/** The largest offset ≤ `end` that does not cut a UTF-8 character in two. */
function utf8Boundary(bytes: Buffer, end: number): number {
  let i = end;
  while (i > 0 && i > end - 4 && (bytes[i - 1] & 0xc0) === 0x80) i--;
  if (i === 0) return end;
  const lead = bytes[i - 1];
  const width = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - (i - 1) >= width ? end : i - 1;
}

/** Offset of the first byte that starts a UTF-8 character (continuation bytes at the start are dropped). */
function skipContinuation(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && i < 3 && (bytes[i] & 0xc0) === 0x80) i++;
  return i;
}

// CSI (`ESC[31m`, `ESC[2K`), OSC (`ESC]633;…BEL`, titles, hyperlinks), other two-byte escapes, and 8-bit CSI.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/** Removes terminal escape sequences (colours, cursor moves, shell-integration marks) from text. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
