// Converts text offsets to zero-based line/character positions and back, for the CLI, tests and benchmarks.

export interface Position {
  line: number;
  character: number;
}

export class LineIndex implements Positions {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = [0, ...lineBreaks(text)];
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[Math.max(0, position.line)];
    return Math.min(lineStart + position.character, this.lineEnd(position.line));
  }

  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > 0 && this.text[next - 1] === '\r' ? next - 1 : next;
  }
}

/** Converts offsets to positions. */
export interface Positions {
  positionAt(offset: number): Position;
}

/** Offsets just after each line break of `text`; a `\r\n` is one line break, ending at its `\n`. */
export function lineBreaks(text: string): number[] {
  const starts: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Positions in a text cut into pieces that each start a line, from each piece's own line breaks (see lineBreaks):
 * built in time proportional to the number of pieces, so a new version re-counts only the pieces that changed.
 */
export class PieceLineIndex implements Positions {
  private readonly linesBefore: number[] = [];
  /** The piece of the last answer: callers mostly ask in document order, so the next offset is often in it. */
  private piece = 0;

  /** `starts`: each piece's offset, ascending, the first 0; `breaks`: each piece's lineBreaks. */
  constructor(
    private readonly length: number,
    private readonly starts: number[],
    private readonly breaks: number[][],
  ) {
    let lines = 0;
    for (const list of breaks) {
      this.linesBefore.push(lines);
      lines += list.length;
    }
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const k = this.pieceOf(clamped);
    const local = clamped - this.starts[k];
    const j = lastAtMost(this.breaks[k], local);
    const lineStart = this.starts[k] + (j === 0 ? 0 : this.breaks[k][j - 1]);
    return { line: this.linesBefore[k] + j, character: clamped - lineStart };
  }

  private pieceOf(offset: number): number {
    for (const k of [this.piece, this.piece + 1]) {
      if (k < this.starts.length && this.starts[k] <= offset && (k + 1 === this.starts.length || offset < this.starts[k + 1]))
        return (this.piece = k);
    }
    return (this.piece = lastAtMost(this.starts, offset) - 1);
  }
}

/** How many of the ascending `values` are at most `target`. */
function lastAtMost(values: number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}
