import * as assert from 'node:assert/strict';
import { compareIncidentIds, formatIncidentId, newEventId, nextIncidentId, parseIncidentId } from '../../../src/incident/ids';

describe('incident ids', () => {
  const now = new Date('2026-11-24T15:30:00Z');

  it('starts each day at 0001', () => {
    assert.equal(nextIncidentId([], now), 'INC-2026-1124-0001');
  });

  it('follows the highest id of the same day', () => {
    assert.equal(nextIncidentId(['INC-2026-1124-0001', 'INC-2026-1124-0002'], now), 'INC-2026-1124-0003');
  });

  it('reads log file names as well as ids', () => {
    assert.equal(nextIncidentId(['INC-2026-1124-0004.jsonl', '.gitattributes'], now), 'INC-2026-1124-0005');
  });

  it('never fills a gap left by a deleted incident', () => {
    assert.equal(nextIncidentId(['INC-2026-1124-0001', 'INC-2026-1124-0007'], now), 'INC-2026-1124-0008');
  });

  it('ignores ids of other days', () => {
    const existing = ['INC-2026-1123-0009', 'INC-2025-1124-0005', 'INC-2026-1224-0003'];
    assert.equal(nextIncidentId(existing, now), 'INC-2026-1124-0001');
  });

  it('ignores names that are not incident ids', () => {
    assert.equal(
      nextIncidentId(['notes.jsonl', 'INC-2026-1124-12', 'INC-2026-1124-0003.bak', 'xINC-2026-1124-0009'], now),
      'INC-2026-1124-0001',
    );
  });

  it('uses the UTC day', () => {
    assert.equal(nextIncidentId([], new Date('2026-11-24T23:59:59.999Z')), 'INC-2026-1124-0001');
    assert.equal(nextIncidentId([], new Date('2026-11-25T00:00:00Z')), 'INC-2026-1125-0001');
  });

  it('widens to five digits for the 10,000th incident of a day', () => {
    assert.equal(nextIncidentId(['INC-2026-1124-9999'], now), 'INC-2026-1124-10000');
    assert.equal(nextIncidentId(['INC-2026-1124-9999', 'INC-2026-1124-10000'], now), 'INC-2026-1124-10001');
  });

  it('allocates the 10,000th after 9,999 files of the same day, in any order', () => {
    const files = Array.from({ length: 9_999 }, (_, i) => `${formatIncidentId(now, 9_999 - i)}.jsonl`);
    assert.equal(nextIncidentId(files, now), 'INC-2026-1124-10000');
  });

  it('parses an id into its parts', () => {
    assert.deepEqual(parseIncidentId('INC-2026-0301-0042'), { year: 2026, month: 3, day: 1, seq: 42 });
  });

  it('rejects impossible months, days and sequence zero', () => {
    assert.equal(parseIncidentId('INC-2026-1324-0001'), undefined);
    assert.equal(parseIncidentId('INC-2026-1100-0001'), undefined);
    assert.equal(parseIncidentId('INC-2026-1124-0000'), undefined);
  });

  it('formats with zero padding', () => {
    assert.equal(formatIncidentId(new Date('2026-03-05T00:00:00Z'), 7), 'INC-2026-0305-0007');
  });

  it('orders ids by day then by sequence as a number', () => {
    const ids = ['INC-2026-1124-10000', 'INC-2026-1125-0001', 'INC-2026-1124-9999', 'INC-2025-1231-0002'];
    assert.deepEqual([...ids].sort(compareIncidentIds), [
      'INC-2025-1231-0002',
      'INC-2026-1124-9999',
      'INC-2026-1124-10000',
      'INC-2026-1125-0001',
    ]);
  });
});

describe('event ids', () => {
  const zeros = (size: number) => new Uint8Array(size);

  it('is a base-36 time prefix and 16 hex digits of randomness', () => {
    const id = newEventId(new Date('2026-11-24T15:30:00Z'), () => Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 0xff]));
    assert.equal(id, `${Date.parse('2026-11-24T15:30:00Z').toString(36).padStart(9, '0')}-01020304050607ff`);
  });

  it('sorts as text in time order', () => {
    const times = ['2001-09-09T01:46:40Z', '2026-11-24T15:30:00Z', '2026-11-24T15:30:00.001Z', '2099-01-01T00:00:00Z'];
    const ids = times.map((t) => newEventId(new Date(t), zeros));
    assert.deepEqual([...ids].reverse().sort(), ids);
  });

  it('differs between two responders in the same millisecond', () => {
    const now = new Date('2026-11-24T15:30:00Z');
    const ids = new Set(Array.from({ length: 1000 }, () => newEventId(now)));
    assert.equal(ids.size, 1000);
  });
});
