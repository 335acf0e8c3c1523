import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { fileSource, LogFollower, type LogSource } from '../../../src/incident/follow';
import { parseIncidentLog } from '../../../src/incident/log';
import { foldIncident } from '../../../src/incident/state';
import { appendEvent, readIncidentLog } from '../../../src/incident/store';
import { lines, note, run, started } from './fixtures';
import { tempDir } from '../helpers';

/** A file in memory: bytes, an inode that changes when the file is replaced, and an mtime bumped on every write. */
class MemoryFile implements LogSource {
  bytes: Buffer = Buffer.alloc(0);
  ino = 1;
  mtimeMs = 0;
  reads = 0;
  missing = false;

  append(text: string | Buffer): void {
    this.write(Buffer.concat([this.bytes, Buffer.from(text)]));
  }

  write(bytes: Buffer, replace = false): void {
    this.bytes = bytes;
    this.mtimeMs++;
    if (replace) this.ino++;
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }

  async stat() {
    return this.missing ? undefined : { size: this.bytes.length, mtimeMs: this.mtimeMs, ino: this.ino };
  }

  async read(position: number, length: number) {
    this.reads += length;
    return Buffer.from(this.bytes.subarray(position, position + length));
  }
}

/** A file holding `text`, and a follower that has read it. */
async function following(text: string): Promise<{ file: MemoryFile; follower: LogFollower }> {
  const file = new MemoryFile();
  file.append(text);
  const follower = new LogFollower(file);
  await follower.update();
  return { file, follower };
}

async function expectSameAsFullParse(follower: LogFollower, file: MemoryFile): Promise<void> {
  const full = parseIncidentLog(file.text);
  assert.deepEqual(follower.snapshot(), full);
  assert.deepEqual(follower.state, foldIncident(full.events));
}

describe('following an incident log', () => {
  const a = started('00:00', 'a');
  const b = run('check-health', '01:00', 'failed', 'b');
  const c = note('02:00', 'restarting api', 'c');
  const d = note('03:00', 'back up', 'd');

  it('reads a new file whole, then only the appended bytes and a few KB before them', async () => {
    const file = new MemoryFile();
    const many = Array.from({ length: 300 }, (_, i) => note('00:30', `note ${i}`, `m${String(i).padStart(3, '0')}`));
    file.append(lines(a, ...many, b));
    const follower = new LogFollower(file);
    assert.deepEqual(await follower.update(), { kind: 'reset' });
    const readBefore = file.reads;
    file.append(lines(c));
    assert.deepEqual(await follower.update(), { kind: 'appended', entries: [c] });
    assert.ok(file.reads - readBefore < 8192, `read ${file.reads - readBefore} of ${file.bytes.length} bytes`);
    await expectSameAsFullParse(follower, file);
  });

  it('reports nothing new when the file did not change', async () => {
    const { follower } = await following(lines(a));
    assert.deepEqual(await follower.update(), { kind: 'none' });
  });

  it('waits for the newline of a partial last line, reporting it as truncated meanwhile', async () => {
    const file = new MemoryFile();
    const whole = lines(a, b);
    file.append(whole.slice(0, whole.length - 30));
    const follower = new LogFollower(file);
    await follower.update();
    assert.deepEqual(
      follower.problems.map((p) => [p.code, p.line]),
      [['TRUNCATED_LAST_LINE', 2]],
    );
    file.append(whole.slice(whole.length - 30));
    assert.deepEqual(await follower.update(), { kind: 'appended', entries: [b] });
    assert.deepEqual(follower.problems, []);
    await expectSameAsFullParse(follower, file);
  });

  it('keeps a complete last line that lacks its newline, as the full parse does, and its newline later', async () => {
    const { file, follower } = await following(lines(a, b).slice(0, -1));
    assert.equal(follower.events.length, 2);
    file.append(`\n${lines(c)}`);
    assert.deepEqual(await follower.update(), { kind: 'appended', entries: [c] });
    await expectSameAsFullParse(follower, file);
  });

  it('re-reads the whole file when lines were merged in above the end, as git merge=union does', async () => {
    const { file, follower } = await following(lines(a, c));
    file.write(Buffer.from(lines(a, b, c, d)), true);
    assert.deepEqual(await follower.update(), { kind: 'reset' });
    assert.deepEqual(follower.events, [a, b, c, d]);
  });

  it('re-reads the whole file when it shrank, or was rewritten in place at the same size', async () => {
    const { file, follower } = await following(lines(a, b, c));
    file.write(Buffer.from(lines(a, b)));
    assert.deepEqual(await follower.update(), { kind: 'reset' });
    await expectSameAsFullParse(follower, file);
    file.write(Buffer.from(file.text.replace('check-health', 'check-hea1th')));
    assert.deepEqual(await follower.update(), { kind: 'reset' });
    await expectSameAsFullParse(follower, file);
  });

  it('passes on an appended event that sorts before the last one as a reset, in its place in time', async () => {
    const { file, follower } = await following(lines(a, c));
    file.append(lines(b));
    assert.deepEqual(await follower.update(), { kind: 'reset' });
    assert.deepEqual(follower.events, [a, b, c]);
  });

  it('reports a file that disappeared as unreadable, and reads it again when it is back', async () => {
    const { file, follower } = await following(lines(a));
    file.missing = true;
    assert.deepEqual(await follower.update(), { kind: 'reset' });
    assert.deepEqual(
      follower.problems.map((p) => p.code),
      ['UNREADABLE_FILE'],
    );
    assert.deepEqual(follower.events, []);
    file.missing = false;
    await follower.update();
    await expectSameAsFullParse(follower, file);
  });

  it('follows a real file that appendEvent writes to', async () => {
    const dir = tempDir('playbook-follow-');
    const file = path.join(dir, 'INC-2026-1124-0001.jsonl');
    await appendEvent(file, a);
    const follower = new LogFollower(fileSource(file));
    await follower.update();
    await appendEvent(file, b);
    await appendEvent(file, c);
    const change = await follower.update();
    assert.deepEqual(change, { kind: 'appended', entries: [b, c] });
    assert.deepEqual(follower.snapshot(), await readIncidentLog(file));
  });

  it('runs concurrent updates one after the other', async () => {
    const file = new MemoryFile();
    file.append(lines(a));
    const follower = new LogFollower(file);
    file.append(lines(b));
    const changes = await Promise.all([follower.update(), follower.update()]);
    assert.deepEqual(changes, [{ kind: 'reset' }, { kind: 'none' }]);
    await expectSameAsFullParse(follower, file);
  });
});

describe('following a log is reading it whole', () => {
  const times = ['00:00', '00:01', '00:30', '01:00', '02:00'];
  const eventLine = fc.oneof(
    fc
      .tuple(fc.constantFrom(...times), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'n6'))
      .map(([time, text, id]) => lines(note(time, text, id))),
    fc
      .tuple(fc.constantFrom(...times), fc.constantFrom('passed', 'failed') as fc.Arbitrary<'passed'>, fc.constantFrom('r1', 'r2', 'r3'))
      .map(([time, verdict, id]) => lines(run('restart', time, verdict, id))),
    fc.constantFrom('not json\n', '\n', '  \r\n', '[1]\n', '{"v":9,"id":"future","at":"2026-11-24T14:00:00Z","kind":"x"}\n'),
  );
  /** A step of what happens to a log file between two reads. */
  const operation = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.array(eventLine, { maxLength: 4 }), fc.nat())
        .map(([chunk, cut]) => ({ op: 'append' as const, text: chunk.join(''), cut })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(eventLine, fc.nat(), fc.boolean()).map(([text, at, replace]) => ({ op: 'insert' as const, text, at, replace })),
    },
    { weight: 1, arbitrary: fc.nat().map((at) => ({ op: 'truncate' as const, at })) },
    { weight: 1, arbitrary: fc.nat().map((at) => ({ op: 'flip' as const, at })) },
  );

  it('gives the same entries, problems and state as parsing the whole file, after any appends and rewrites', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        const file = new MemoryFile();
        const follower = new LogFollower(file);
        let pending: Buffer = Buffer.alloc(0);
        for (const step of operations) {
          pending = applyOperation(file, step, pending);
          await follower.update();
          await expectSameAsFullParse(follower, file);
        }
      }),
      { numRuns: 400 },
    );
  });
});

type Operation =
  | { op: 'append'; text: string; cut: number }
  | { op: 'insert'; text: string; at: number; replace: boolean }
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number };

/**
 * Appends part of a chunk (a write seen half done; the rest, returned, comes with the next append), inserts a line
 * above the end (in place, or in a new file as git does), truncates, or changes one byte in place.
 */
function applyOperation(file: MemoryFile, step: Operation, pending: Buffer): Buffer {
  if (step.op === 'append') {
    const bytes = Buffer.concat([pending, Buffer.from(step.text)]);
    const cut = step.cut % (bytes.length + 1);
    file.append(bytes.subarray(0, cut));
    return bytes.subarray(cut);
  }
  rewrite(file, step);
  return Buffer.alloc(0);
}

function rewrite(file: MemoryFile, step: Exclude<Operation, { op: 'append' }>): void {
  const text = file.text;
  if (step.op === 'insert') {
    const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => (m.index as number) + 1)];
    const at = starts[step.at % starts.length];
    file.write(Buffer.from(text.slice(0, at) + step.text + text.slice(at)), step.replace);
  } else if (step.op === 'truncate') {
    file.write(file.bytes.subarray(0, step.at % (file.bytes.length + 1)));
  } else if (file.bytes.length > 0) {
    const bytes = Buffer.from(file.bytes);
    const at = step.at % bytes.length;
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
    file.write(bytes);
  }
}
