import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { IncidentEvent } from '../../../src/incident/events';
import { parseIncidentLog, serializeEvent } from '../../../src/incident/log';
import { lines, note, run, started } from './fixtures';

describe('incident log text', () => {
  const a = started('00:00', 'a');
  const b = run('check-health', '01:00', 'failed', 'b');
  const c = note('02:00', 'restarting api', 'c');

  it('writes one line per event, ending in a newline, even when text has newlines', () => {
    const text = serializeEvent(note('00:10', 'line one\nline two', 'n'));
    assert.equal(text.indexOf('\n'), text.length - 1);
    assert.deepEqual(parseIncidentLog(text).events, [note('00:10', 'line one\nline two', 'n')]);
  });

  it('reads back what was written', () => {
    assert.deepEqual(parseIncidentLog(lines(a, b, c)), { events: [a, b, c], problems: [] });
  });

  it('skips a truncated last line and reports it', () => {
    const whole = lines(a, b, c);
    const cut = whole.slice(0, whole.length - 20);
    assert.deepEqual(parseIncidentLog(cut), {
      events: [a, b],
      problems: [
        {
          code: 'TRUNCATED_LAST_LINE',
          line: 3,
          message: 'Line 3 ends without a newline and is incomplete (a write was interrupted); skipped.',
        },
      ],
    });
  });

  it('accepts a complete last line that lacks only its newline', () => {
    assert.deepEqual(parseIncidentLog(lines(a, b, c).slice(0, -1)), { events: [a, b, c], problems: [] });
  });

  it('reports corrupt lines by number and keeps the rest', () => {
    const text = `${lines(a)}{"v":1,"id":"x",\n${lines(b)}<<<<<<< HEAD\n${lines(c)}`;
    const result = parseIncidentLog(text);
    assert.deepEqual(result.events, [a, b, c]);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.line]),
      [
        ['CORRUPT_LINE', 2],
        ['CORRUPT_LINE', 4],
      ],
    );
  });

  it('reports a corrupt last line that has its newline as corrupt, not truncated', () => {
    assert.deepEqual(
      parseIncidentLog(`${lines(a)}not json\n`).problems.map((p) => [p.code, p.line]),
      [['CORRUPT_LINE', 2]],
    );
  });

  it('ignores blank lines and Windows line endings', () => {
    const text = `\n${lines(a).replace('\n', '\r\n')}\n\n${lines(b)}`;
    assert.deepEqual(parseIncidentLog(text), { events: [a, b], problems: [] });
  });

  it('reads an empty file as no events and no problems', () => {
    assert.deepEqual(parseIncidentLog(''), { events: [], problems: [] });
  });

  it('sorts by time, then by id', () => {
    const early = note('00:30', 'early', 'z');
    const tieB = note('01:00', 'tie', 'b2');
    const tieA = note('01:00', 'tie', 'a2');
    assert.deepEqual(parseIncidentLog(lines(tieB, early, tieA)).events, [early, tieA, tieB]);
  });

  it('compares times as instants, not as text', () => {
    const utc = { ...note('00:00', 'x', 'u'), at: '2026-11-24T14:30:00Z' };
    const offset = { ...note('00:00', 'y', 'o'), at: '2026-11-24T15:00:00+01:00' };
    assert.deepEqual(parseIncidentLog(lines(utc, offset)).events, [offset, utc]);
  });

  it('keeps one copy of an event that appears twice', () => {
    assert.deepEqual(parseIncidentLog(lines(a, b, a, c, b)), { events: [a, b, c], problems: [] });
  });

  it('keeps the same one of two different events with one id, whatever their order, and reports it', () => {
    const first = note('01:00', 'one', 'same');
    const second = note('01:00', 'two', 'same');
    const forward = parseIncidentLog(lines(first, second));
    const backward = parseIncidentLog(lines(second, first));
    assert.deepEqual(forward.events, backward.events);
    assert.equal(forward.events.length, 1);
    assert.deepEqual(
      forward.problems.map((p) => [p.code, p.line]),
      [['CONFLICTING_DUPLICATE', 2]],
    );
  });

  it('keeps unknown event kinds from a newer version in their place in time', () => {
    const future = { v: 1, id: 'f', at: '2026-11-24T14:01:30.000Z', kind: 'pager.acknowledged', actor: 'bob' };
    const result = parseIncidentLog(lines(a, b, future, c));
    assert.deepEqual(
      result.events.map((e) => e.kind),
      ['incident.started', 'step.run', 'unknown', 'note.added'],
    );
    assert.deepEqual(result.events[2], {
      kind: 'unknown',
      reason: 'unknown-kind',
      id: 'f',
      at: '2026-11-24T14:01:30.000Z',
      originalKind: 'pager.acknowledged',
      raw: future,
    });
    assert.deepEqual(result.problems, []);
  });

  it('de-duplicates unknown lines that have no id only when identical', () => {
    const result = parseIncidentLog('[1]\n[1]\n[2]\n');
    assert.deepEqual(
      result.events.map((e) => e.kind === 'unknown' && e.raw),
      [[1], [2]],
    );
  });
});

describe("merging two responders' logs", () => {
  const times = ['00:00', '00:01', '00:02', '01:00'];
  const eventArb: fc.Arbitrary<object> = fc.oneof(
    fc.tuple(fc.constantFrom(...times), fc.string({ unit: 'binary' })).map(([time, text]) => note(time, text)),
    fc
      .tuple(
        fc.constantFrom(...times),
        fc.constantFrom('restart', 'check'),
        fc.constantFrom('passed', 'failed', 'timed-out') as fc.Arbitrary<'passed'>,
      )
      .map(([time, step, verdict]) => run(step, time, verdict)),
    fc
      .constantFrom(...times)
      .map((time) => ({ v: 2, id: `future-${time}`, at: `2026-11-24T14:${time}.000Z`, kind: 'note.added', actor: 'x' })),
  );
  // Each event is in one responder's file or in both (what they shared before working apart), in any order.
  const scenario = fc
    .uniqueArray(fc.tuple(eventArb, fc.constantFrom('mine', 'theirs', 'both')), {
      selector: ([e]) => (e as IncidentEvent).id,
      maxLength: 30,
    })
    .chain((all) => {
      const mine = all.filter(([, who]) => who !== 'theirs').map(([e]) => e);
      const theirs = all.filter(([, who]) => who !== 'mine').map(([e]) => e);
      return fc.tuple(fc.constant(all.map(([e]) => e)), permutation(mine), permutation(theirs));
    });

  it('reads the concatenation of two files the same in either order, with every event once', () => {
    fc.assert(
      fc.property(scenario, ([all, mine, theirs]) => {
        const ab = parseIncidentLog(lines(...mine) + lines(...theirs));
        const ba = parseIncidentLog(lines(...theirs) + lines(...mine));
        assert.deepEqual(ab, ba);
        assert.deepEqual(ab, parseIncidentLog(lines(...all)));
        assert.equal(ab.events.length, all.length);
        assert.deepEqual(ab.problems, []);
      }),
      { numRuns: 300 },
    );
  });
});

function permutation<T>(items: T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });
}
