import * as assert from 'node:assert/strict';
import { PlaybookAnalyzer } from '../../../src/playbook/analyze';
import { analyze, joinLines, withSteps } from '../helpers';

/** Every bad input must come back as problems in bounded time, never as an exception. */
function timed(text: string, analyzer = new PlaybookAnalyzer()) {
  const start = process.hrtime.bigint();
  const result = analyzer.analyze(text);
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

describe('bad input', () => {
  it('reports an empty file as missing the required keys, at the start', () => {
    const { problems } = analyze('');
    assert.deepEqual(
      problems.map((p) => [p.code, p.start, p.end]),
      [['MISSING_KEY', 0, 0]],
    );
  });

  it('reports malformed YAML at the error position', () => {
    const text = joinLines('version: 1', 'title: "unterminated', 'scenarios: []');
    const [p] = analyze(text).problems.filter((x) => x.code === 'YAML_SYNTAX');
    assert.ok(p.start >= text.indexOf('"unterminated'));
  });

  it('reports tab indentation as TABS on the offending line', () => {
    const text = withSteps('- id: a', '  title: A', '  run: echo').replace('    title: Crash', '\ttitle: Crash');
    const [p] = analyze(text).problems.filter((x) => x.code === 'TABS' || x.code === 'YAML_SYNTAX');
    assert.ok(p, 'a problem');
    assert.ok(p.start >= text.indexOf('\ttitle') - 1 && p.start <= text.indexOf('\ttitle') + 1);
  });

  it('reports a duplicate key at the second key', () => {
    const text = joinLines('version: 1', 'title: A', 'title: B', 'scenarios: []');
    const [p] = analyze(text).problems.filter((x) => x.code === 'DUPLICATE_KEY');
    assert.equal(p.start, text.lastIndexOf('title'));
  });

  it('stops an alias bomb with a message instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const { result, ms } = timed(lines.join('\n'));
    assert.ok(result.problems.some((p) => p.code === 'YAML_SYNTAX' && p.message.includes('cannot read')));
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('survives deeply nested documents', () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const { result } = timed(deep);
    assert.ok(result.problems.length > 0);
  });

  it('declines a file over the size limit with a clear message', () => {
    const { result, ms } = timed('#'.repeat(21 * 1024 * 1024));
    assert.deepEqual(
      result.problems.map((p) => p.code),
      ['TOO_LARGE'],
    );
    assert.match(result.problems[0].message, /21\.0 MB/);
    assert.ok(ms < 1000);
  });

  it('reports a binary file at the first NUL byte', () => {
    const [p] = analyze('version: 1\n\u0000\u0001\u0002').problems;
    assert.deepEqual([p.code, p.start], ['NOT_A_PLAYBOOK', 11]);
  });

  it('reports a document that is a list, not a mapping', () => {
    assert.deepEqual(
      analyze('- a\n- b').problems.map((p) => p.code),
      ['NOT_A_PLAYBOOK'],
    );
  });

  it('reports a collection used as a key as an unknown key, and logs no warning of the yaml library', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const text = joinLines('version: 1', 'title: T', '[a, b]: 1', '? { c: 1 }', ': 2', 'scenarios: []');
      const codes = analyze(text).problems.map((p) => p.code);
      assert.deepEqual(codes.filter((code) => code === 'UNKNOWN_KEY').length, 2, codes.join(', '));
      // process.emitWarning delivers on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('handles random garbage without throwing', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = 'ab:- \n\t"\'{}[]|>&*!%@`#,?0123456789';
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 200 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      assert.doesNotThrow(() => analyze(text), text);
    }
  });
});
