import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { MASK, planRedaction, redact, Redactor } from '../../../src/run/redact';

/** Feeds `text` to a Redactor cut at the given offsets. */
function redactInChunks(text: string, secrets: string[], cuts: number[]): string {
  const redactor = new Redactor(secrets);
  const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (const point of [...points, text.length]) {
    out += redactor.push(text.slice(from, point));
    from = point;
  }
  return out + redactor.end();
}

describe('secret redaction', () => {
  it('replaces every occurrence of a secret', () => {
    assert.equal(redact('key=hunter22 again hunter22', ['hunter22']), `key=${MASK} again ${MASK}`);
  });

  it('redacts URL-encoded and base64 forms', () => {
    const secret = 'p@ss word/1';
    const encoded = encodeURIComponent(secret);
    const base64 = Buffer.from(secret).toString('base64');
    assert.equal(redact(`url ?k=${encoded} auth ${base64}`, [secret]), `url ?k=${MASK} auth ${MASK}`);
  });

  it('redacts the form escaped inside a JSON string', () => {
    assert.equal(redact(JSON.stringify({ password: 'a"b\\c' }), ['a"b\\c']), `{"password":"${MASK}"}`);
  });

  it('redacts the form-encoded form with + for spaces', () => {
    assert.equal(redact('q=my+secret+value', ['my secret value']), `q=${MASK}`);
  });

  it('merges overlapping secrets into one mask', () => {
    assert.equal(redact('xx abcdef yy', ['abcd', 'cdef']), `xx ${MASK} yy`);
  });

  it('prefers the longest secret when one contains another', () => {
    assert.equal(redact('token-long and token', ['token', 'token-long']), `${MASK} and ${MASK}`);
  });

  it('redacts short secrets and notes why', () => {
    const plan = planRedaction([{ name: 'PIN', value: '123' }]);
    assert.equal(redact('pin 123 port 1234', plan), `pin ${MASK} port ${MASK}4`);
    assert.deepEqual(plan.notes, [
      'secret PIN is shorter than 4 characters; it is still redacted, so the same characters elsewhere in the text are hidden too',
    ]);
  });

  it('ignores empty secrets', () => {
    assert.equal(redact('nothing to hide', ['']), 'nothing to hide');
  });

  it('leaves text without secrets unchanged', () => {
    assert.equal(redact('plain output', ['hunter22']), 'plain output');
  });

  it('never emits a secret split across chunks', () => {
    const redactor = new Redactor(['hunter22']);
    const first = redactor.push('password: hun');
    const second = redactor.push('ter22 done');
    const rest = redactor.end();
    assert.ok(!first.includes('hun'));
    assert.equal(first + second + rest, `password: ${MASK} done`);
  });

  it('emits all text when no secret is configured', () => {
    const redactor = new Redactor([]);
    assert.equal(redactor.push('abc'), 'abc');
    assert.equal(redactor.end(), '');
  });

  const secretArb = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('•'));
  const textArb = (secrets: string[]) =>
    fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...secrets)), { maxLength: 12 }).map((parts) => parts.join(''));

  it('never leaves a secret in the redacted text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 4 }).chain((secrets) => fc.tuple(fc.constant(secrets), textArb(secrets))),
        ([secrets, text]) => {
          const out = redact(text, secrets);
          for (const secret of secrets) assert.ok(!out.includes(secret), `${JSON.stringify(secret)} in ${JSON.stringify(out)}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same result for any chunking as for the whole text (property)', () => {
    const arb = fc
      .array(secretArb, { minLength: 1, maxLength: 4 })
      .chain((secrets) => fc.tuple(fc.constant(secrets), textArb(secrets), fc.array(fc.nat({ max: 60 }), { maxLength: 8 })));
    fc.assert(
      fc.property(arb, ([secrets, text, cuts]) => {
        assert.equal(redactInChunks(text, secrets, cuts), redact(text, secrets));
      }),
      { numRuns: 500 },
    );
  });

  it('holds back no more than the longest form minus one character (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 20, maxLength: 40 }).filter((s) => !s.includes('Q')),
        (text) => {
          const redactor = new Redactor({ needles: ['QQQQQ'], notes: [] });
          assert.equal(redactor.push(text).length, text.length - 4);
        },
      ),
    );
  });
});
