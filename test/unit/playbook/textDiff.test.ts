import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { changedRange } from '../../../src/playbook/textDiff';

describe('changed range of two texts', () => {
  it('finds a one-character insertion in a long text', () => {
    const before = 'a'.repeat(10_000) + 'b'.repeat(10_000);
    const after = `${before.slice(0, 12_345)}x${before.slice(12_345)}`;
    assert.deepEqual(changedRange(before, after), { start: 12_345, beforeEnd: 12_345, afterEnd: 12_346 });
  });

  it('gives the longest common prefix and suffix of any two texts', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 3000 });
    fc.assert(
      fc.property(text, text, text, (prefix, middle, suffix) => {
        const before = prefix + middle + suffix;
        const after = prefix + suffix;
        const { start, beforeEnd, afterEnd } = changedRange(before, after);
        assert.equal(before.slice(0, start) + after.slice(start, afterEnd) + before.slice(beforeEnd), after);
        assert.equal(after.slice(0, start) + before.slice(start, beforeEnd) + after.slice(afterEnd), before);
        // Maximal: one more character on either side would differ.
        const rest = Math.min(beforeEnd, afterEnd) - start;
        if (rest > 0) assert.notEqual(before[start], after[start]);
        if (rest > 0) assert.notEqual(before[beforeEnd - 1], after[afterEnd - 1]);
      }),
      { numRuns: 300 },
    );
  });
});
