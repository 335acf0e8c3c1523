import * as assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../../src/playbook/duration';

describe('durations', () => {
  const cases: [unknown, number][] = [
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['immediate', 0],
    [0, 0],
    ['1m500ms', 60_500],
  ];
  for (const [text, ms] of cases) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => assert.deepEqual(parseDuration(text), { ok: true, ms }));
  }

  for (const bad of ['15 min', '', '10', 'm', '-5s', '1.s', 15, undefined, null]) {
    it(`refuses ${JSON.stringify(bad)} with a message instead of throwing`, () => {
      const result = parseDuration(bad);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error.length > 0);
    });
  }

  it('names the offending text in its message', () => {
    assert.deepEqual(parseDuration('15 min'), {
      ok: false,
      error: '`15 min` is not a duration; write it like `30s`, `15m`, `1h30m` or `500ms`',
    });
  });

  const formatted: [number, string][] = [
    [0, '0 ms'],
    [850, '850 ms'],
    [999.7, '999 ms'],
    [3_200, '3.2 s'],
    [59_970, '59.9 s'],
    [65_000, '1 min 05 s'],
    [3_599_999, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [7_380_000, '2 h 03 min'],
    [273_600_000, '3 d 04 h'],
    [-5, '0 ms'],
  ];
  for (const [ms, text] of formatted) {
    it(`writes ${ms} ms as "${text}" (precise)`, () => assert.equal(formatDuration(ms), text));
  }

  const minutes: [number, string][] = [
    [0, '0 min'],
    [59_999, '0 min'],
    [12 * 60_000, '12 min'],
    [15 * 60_000 - 1, '14 min'],
    [65 * 60_000, '1 h 05 min'],
    [273_600_000, '3 d 04 h'],
  ];
  for (const [ms, text] of minutes) {
    it(`writes ${ms} ms as "${text}" (minutes)`, () => assert.equal(formatDuration(ms, 'minutes'), text));
  }

  it('writes an hour or more the same in both styles', () => {
    for (const ms of [3_600_000, 7_380_000, 273_600_000]) assert.equal(formatDuration(ms, 'minutes'), formatDuration(ms));
  });

  it('writes a non-finite duration as unknown', () => {
    assert.equal(formatDuration(Number.NaN), 'unknown');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), 'unknown');
  });
});
