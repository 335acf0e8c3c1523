import * as assert from 'node:assert/strict';
import { serializeEvent } from '../../../src/incident/log';
import { joinSyncLines, parseCatFileBatch, parseSyncLines, scanLog } from '../../../src/incident/syncLines';
import { note } from './fixtures';

describe('sync lines', () => {
  const a = note('00:01', 'first', 'aaaaaaaaa-0000000000000001');
  const b = note('00:02', 'second', 'aaaaaaaaa-0000000000000002');
  const c = note('00:03', 'third', 'aaaaaaaaa-0000000000000003');

  it('keeps the exact text of each event line once, and skips lines without an id and time', () => {
    const text = `${serializeEvent(b)}not json\n{"id":"x"}\n${serializeEvent(a)}${serializeEvent(b)}{"v":1,"id":"torn`;
    assert.deepEqual(
      parseSyncLines(text).map((l) => [l.id, l.text]),
      [
        [b.id, serializeEvent(b).trim()],
        [a.id, serializeEvent(a).trim()],
      ],
    );
  });

  it('joins lines in time order, each with its newline', () => {
    assert.equal(joinSyncLines(parseSyncLines(serializeEvent(c) + serializeEvent(a))), serializeEvent(a) + serializeEvent(c));
  });

  it('scans a log: known ids by their start alone, unknown lines parsed whole so a torn one is never sent', () => {
    const tornKnown = `${serializeEvent(a).slice(0, 60)}\n`;
    const tornUnknown = `${serializeEvent(c).slice(0, 60)}\n`;
    const scan = scanLog(tornKnown + serializeEvent(b) + tornUnknown + serializeEvent(b), new Set([a.id]));
    assert.deepEqual([...scan.ids], [a.id, b.id]);
    assert.deepEqual(
      scan.unknown.map((l) => l.id),
      [b.id],
    );
  });

  it('reads a cat-file --batch answer by byte counts, with missing objects as undefined', () => {
    const body = 'é\n';
    const answer = Buffer.from(`1111 blob ${Buffer.byteLength(body)}\n${body}\nabc:events.jsonl missing\n2222 blob 0\n\n`);
    assert.deepEqual(parseCatFileBatch(answer), [body, undefined, '']);
  });
});
