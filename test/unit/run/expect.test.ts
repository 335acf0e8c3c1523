import * as assert from 'node:assert/strict';
import { judgeHttp, judgeShell, type HttpOutcome, type ShellOutcome } from '../../../src/run/expect';

const shell = (over: Partial<ShellOutcome> = {}): ShellOutcome => ({ exitCode: 0, output: '', durationMs: 1200, ...over });
const http = (over: Partial<HttpOutcome> = {}): HttpOutcome => ({ status: 200, body: '{}', durationMs: 80, ...over });

describe('shell expectations', () => {
  it('passes on exit code 0 by default', () => {
    assert.deepEqual(judgeShell(undefined, shell()), {
      verdict: 'passed',
      checks: [{ description: 'exit code 0 is 0', passed: true, actual: '0' }],
    });
  });

  it('fails on another exit code', () => {
    assert.deepEqual(judgeShell(undefined, shell({ exitCode: 3 })).checks, [
      { description: 'exit code 3 is not 0', passed: false, actual: '3' },
    ]);
  });

  it('accepts any of a list of exit codes', () => {
    const r = judgeShell({ exit_code: [0, 1] }, shell({ exitCode: 1 }));
    assert.equal(r.verdict, 'passed');
    assert.equal(r.checks[0].description, 'exit code 1 is one of 0, 1');
  });

  it('is unknown, never passed, when the exit code was not reported', () => {
    const r = judgeShell(undefined, shell({ exitCode: undefined }));
    assert.equal(r.verdict, 'unknown');
    assert.deepEqual(r.checks, [
      { description: 'exit code unknown (the shell did not report it), expected 0', passed: false, unknown: true },
    ]);
  });

  it('fails rather than stays unknown when another check fails', () => {
    assert.equal(judgeShell({ output_contains: 'ready' }, shell({ exitCode: undefined, output: 'starting' })).verdict, 'failed');
  });

  it('checks output_contains for each text', () => {
    const r = judgeShell({ output_contains: ['alpha', 'gamma'] }, shell({ output: 'alpha beta' }));
    assert.equal(r.verdict, 'failed');
    assert.deepEqual(r.checks.slice(1), [
      { description: 'output contains "alpha"', passed: true },
      { description: 'output does not contain "gamma"', passed: false },
    ]);
  });

  it('checks output_not_contains', () => {
    const r = judgeShell({ output_not_contains: ['FATAL', 'DB CONNECTION FAILED'] }, shell({ output: 'FATAL: boom' }));
    assert.deepEqual(
      r.checks.slice(1).map((c) => c.passed),
      [false, true],
    );
    assert.equal(r.checks[1].description, 'output contains "FATAL"');
  });

  it('checks output_matches', () => {
    const r = judgeShell({ output_matches: 'latency_ms=\\d{1,3}\\b' }, shell({ output: 'latency_ms=42 ok' }));
    assert.deepEqual(r.checks[1], { description: 'output matches /latency_ms=\\d{1,3}\\b/', passed: true });
  });

  it('reports an invalid regular expression as a failed check', () => {
    const r = judgeShell({ output_matches: '([a-z' }, shell({ output: 'x' }));
    assert.equal(r.verdict, 'failed');
    assert.match(r.checks[1].description, /^output cannot be matched: `\(\[a-z` is not a valid regular expression \(/);
  });

  it('checks max_duration', () => {
    assert.deepEqual(judgeShell({ max_duration: '1s' }, shell({ durationMs: 3200 })).checks[1], {
      description: 'took 3.2 s, more than 1s',
      passed: false,
      actual: '3.2 s',
    });
    assert.equal(judgeShell({ max_duration: '5s' }, shell({ durationMs: 3200 })).verdict, 'passed');
  });

  it('reports an invalid max_duration as a failed check', () => {
    assert.equal(judgeShell({ max_duration: '5 sec' }, shell()).checks[1].passed, false);
  });

  it('fails a timed-out or cancelled run even with exit code 0', () => {
    assert.deepEqual(judgeShell(undefined, shell({ interrupted: 'timeout', durationMs: 30_000 })).checks[0], {
      description: 'timed out after 30.0 s',
      passed: false,
    });
    assert.equal(judgeShell(undefined, shell({ interrupted: 'cancelled' })).verdict, 'failed');
  });
});

describe('HTTP expectations', () => {
  it('passes any 2xx by default', () => {
    assert.deepEqual(judgeHttp(undefined, http({ status: 204 })), {
      verdict: 'passed',
      checks: [{ description: 'status 204 is 2xx', passed: true, actual: '204' }],
    });
  });

  it('describes a wrong status readably', () => {
    assert.deepEqual(judgeHttp({ status: 200 }, http({ status: 503 })).checks, [
      { description: 'status 503 is not 200', passed: false, actual: '503' },
    ]);
    assert.equal(judgeHttp(undefined, http({ status: 301 })).checks[0].description, 'status 301 is not 2xx');
  });

  it('accepts a list of statuses', () => {
    assert.equal(judgeHttp({ status: [200, 401] }, http({ status: 401 })).verdict, 'passed');
  });

  it('fails with the reason when no response arrived', () => {
    assert.deepEqual(judgeHttp({ status: 200 }, http({ status: undefined, error: 'ECONNREFUSED' })), {
      verdict: 'failed',
      checks: [{ description: 'no response: ECONNREFUSED', passed: false }],
    });
  });

  it('checks body_contains', () => {
    assert.deepEqual(judgeHttp({ body_contains: '"ok"' }, http({ body: '{"status":"down"}' })).checks[1], {
      description: 'body does not contain "\\"ok\\""',
      passed: false,
    });
  });

  const body = JSON.stringify({
    status: 'healthy',
    memoryUsage: { heapSizeMB: 1500, label: '1800' },
    modules: [{ status: 'ok', tags: ['a', 'b'] }],
    database: { error: null },
    flag: true,
  });
  const jsonCheck = (check: Record<string, unknown>) =>
    judgeHttp({ json: [{ path: 'status', ...check }] as never }, http({ body })).checks.slice(1);

  it('checks equals deeply on dotted paths with indexes', () => {
    const r = judgeHttp(
      {
        json: [
          { path: 'modules[0].tags', equals: ['a', 'b'] },
          { path: 'status', equals: 'ok' },
        ],
      },
      http({ body }),
    );
    assert.deepEqual(r.checks.slice(1), [
      { description: 'json modules[0].tags is ["a","b"], equal to ["a","b"]', passed: true, actual: '["a","b"]' },
      { description: 'json status is "healthy", not "ok"', passed: false, actual: '"healthy"' },
    ]);
  });

  it('checks not_equals', () => {
    assert.equal(jsonCheck({ not_equals: 'failed' })[0].passed, true);
    assert.equal(jsonCheck({ not_equals: 'healthy' })[0].passed, false);
  });

  it('checks matches on the field as text', () => {
    assert.equal(jsonCheck({ matches: '^heal' })[0].passed, true);
    assert.match(jsonCheck({ matches: '(' })[0].description, /is not a valid regular expression/);
  });

  it('checks exists true and false', () => {
    const r = judgeHttp(
      {
        json: [
          { path: 'database.error', exists: true },
          { path: 'database.missing', exists: false },
          { path: 'modules[3]', exists: true },
        ],
      },
      http({ body }),
    );
    assert.deepEqual(r.checks.slice(1), [
      { description: 'json database.error exists', passed: true },
      { description: 'json database.missing is absent', passed: true },
      { description: 'json modules[3] is absent', passed: false },
    ]);
  });

  it('compares numbers with gt, gte, lt and lte', () => {
    const r = judgeHttp({ json: [{ path: 'memoryUsage.heapSizeMB', lte: 2000, gt: 1500 }] }, http({ body }));
    assert.deepEqual(r.checks.slice(1), [
      { description: 'json memoryUsage.heapSizeMB is 1500, not > 1500', passed: false, actual: '1500' },
      { description: 'json memoryUsage.heapSizeMB is 1500, <= 2000', passed: true, actual: '1500' },
    ]);
  });

  it('coerces a numeric string but not a boolean for numeric comparisons', () => {
    assert.equal(judgeHttp({ json: [{ path: 'memoryUsage.label', gte: 1800 }] }, http({ body })).verdict, 'passed');
    assert.deepEqual(judgeHttp({ json: [{ path: 'flag', lt: 2 }] }, http({ body })).checks[1], {
      description: 'json flag is true, not a number to compare < 2',
      passed: false,
      actual: 'true',
    });
  });

  it('fails value checks on an absent field', () => {
    assert.deepEqual(judgeHttp({ json: [{ path: 'nope.deeper', equals: 1 }] }, http({ body })).checks[1], {
      description: 'json nope.deeper is absent',
      passed: false,
    });
  });

  it('fails json checks when the body is not JSON', () => {
    assert.deepEqual(judgeHttp({ json: [{ path: 'status', equals: 'ok' }] }, http({ body: '<html>' })).checks[1], {
      description: 'json status: the response body is not JSON',
      passed: false,
    });
  });

  it('passes when every check holds', () => {
    const r = judgeHttp(
      { status: 200, body_contains: 'healthy', max_duration: '2s', json: [{ path: 'status', equals: 'healthy' }] },
      http({ body }),
    );
    assert.equal(r.verdict, 'passed');
    assert.equal(r.checks.length, 4);
  });
});
