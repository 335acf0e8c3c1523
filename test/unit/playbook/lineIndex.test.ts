import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { lineBreaks, LineIndex, PieceLineIndex } from '../../../src/playbook/lineIndex';

describe('line index of a text in pieces', () => {
  it('gives the positions of a whole-text line index, for every offset', () => {
    const line = fc.string({ unit: fc.constantFrom('a', ' ', '-'), maxLength: 12 }).map((s) => `${s}\n`);
    const piece = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => lines.join(''));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), fc.string({ maxLength: 10 }), (pieces, last) => {
        const all = [...pieces, last];
        const text = all.join('');
        const starts = all.map((_, i) => all.slice(0, i).join('').length);
        const index = new PieceLineIndex(text.length, starts, all.map(lineBreaks));
        const whole = new LineIndex(text);
        for (let offset = -1; offset <= text.length + 1; offset++)
          assert.deepEqual(index.positionAt(offset), whole.positionAt(offset), `offset ${offset}`);
      }),
      { numRuns: 200 },
    );
  });
});
