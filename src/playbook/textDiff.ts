// Where two versions of a text differ: the common prefix and suffix, found by comparing growing blocks.

/** The changed region: `before.slice(start, beforeEnd)` became `after.slice(start, afterEnd)`. */
export interface TextChange {
  start: number;
  beforeEnd: number;
  afterEnd: number;
}

export function changedRange(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  const start = commonLength(
    max,
    (from, to) => before.slice(from, to) === after.slice(from, to),
    (i) => before.charCodeAt(i) === after.charCodeAt(i),
  );
  const a = before.length;
  const b = after.length;
  const suffix = commonLength(
    max - start,
    (from, to) => before.slice(a - to, a - from) === after.slice(b - to, b - from),
    (i) => before.charCodeAt(a - 1 - i) === after.charCodeAt(b - 1 - i),
  );
  return { start, beforeEnd: a - suffix, afterEnd: b - suffix };
}

/**
 * How many leading units (of at most `max`) are equal. Equality of two slices is a fast memory compare and a loop
 * of single characters is not, so blocks double while they match and halve when they do not; characters last.
 */
function commonLength(max: number, sameBlock: (from: number, to: number) => boolean, sameChar: (i: number) => boolean): number {
  let n = 0;
  let block = 1024;
  while (n < max) {
    const length = Math.min(block, max - n);
    if (sameBlock(n, n + length)) {
      n += length;
      block *= 2;
    } else if (length <= 64) {
      break;
    } else {
      block = length >> 1;
    }
  }
  while (n < max && sameChar(n)) n++;
  return n;
}
