import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  appendEvent,
  appendLines,
  claimIncidentId,
  dropDuplicateLines,
  ensureIncidentsDir,
  incidentFile,
  incidentsDir,
  INCIDENTS_GITATTRIBUTES,
  isIncidentId,
  listIncidentIds,
  listIncidents,
  readIncidentLog,
  workspacePlaybookPath,
} from '../../../src/incident/store';
import { event, note, run, started } from './fixtures';
import { tempDir } from '../helpers';

describe('incident log store', () => {
  let workspace: string;
  let dir: string;
  let file: string;

  beforeEach(async () => {
    workspace = tempDir('playbook-store-');
    dir = incidentsDir(workspace);
    await ensureIncidentsDir(dir);
    file = incidentFile(dir, 'INC-2026-1124-0001');
  });

  const a = started('00:00', 'a');
  const b = run('check-health', '01:00', 'failed', 'b');
  const c = note('02:00', 'restarting api', 'c');
  const d = note('03:00', 'api back', 'd');

  async function appendAll(...events: Parameters<typeof appendEvent>[1][]): Promise<void> {
    for (const e of events) await appendEvent(file, e);
  }

  it('keeps the log under .incidents in the workspace, one file per incident', () => {
    assert.equal(file, path.join(workspace, '.incidents', 'INC-2026-1124-0001.jsonl'));
  });

  it('drops the later lines of an event written twice and keeps every other line', async () => {
    await appendAll(a, b);
    const text = await fs.readFile(file, 'utf8');
    await fs.appendFile(file, `${text.split('\n')[0]}\nnot json\n`);
    await appendAll(c);
    await fs.appendFile(file, text.split('\n')[1]);
    assert.equal(await dropDuplicateLines(file), 2);
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    assert.deepEqual(
      lines.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { id: string }).id : l)),
      ['a', 'b', 'not json', 'c', ''],
    );
    assert.equal(await dropDuplicateLines(file), 0);
  });

  it("appends from many callers at once whole, under the log's lock, and leaves no lock behind", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendLines(file, `{"v":1,"id":"e${i}","at":"2026-11-24T00:00:00Z"}\n`)));
    assert.equal((await fs.readFile(file, 'utf8')).split('\n').filter((l) => l !== '').length, 20);
    assert.deepEqual(
      (await fs.readdir(dir)).filter((n) => n.endsWith('.lock')),
      [],
    );
  });

  it('takes over a lock left by a killed process once it is stale', async () => {
    await fs.writeFile(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(`${file}.lock`, old, old);
    await appendAll(a);
    assert.equal((await readIncidentLog(file)).events.length, 1);
  });

  it('reads back every appended event', async () => {
    await appendAll(a, b, c);
    assert.deepEqual(await readIncidentLog(file), { events: [a, b, c], problems: [] });
  });

  it('writes exactly one line per event', async () => {
    await appendAll(a, b, c);
    const text = await fs.readFile(file, 'utf8');
    assert.deepEqual(text.split('\n'), [JSON.stringify(a), JSON.stringify(b), JSON.stringify(c), '']);
  });

  it('never rewrites earlier lines', async () => {
    await appendAll(a, b);
    const before = await fs.readFile(file);
    await appendAll(c);
    const after = await fs.readFile(file);
    assert.deepEqual(after.subarray(0, before.length), before);
  });

  it('reads every complete event after a crash inside the last line, at any byte', async () => {
    await appendAll(a, b, c);
    const whole = await fs.readFile(file);
    const lastLineStart = whole.length - Buffer.byteLength(`${JSON.stringify(c)}\n`);
    // Cut after the first byte of the last line up to just before its closing brace.
    for (let size = lastLineStart + 1; size < whole.length - 1; size++) {
      await fs.writeFile(file, whole.subarray(0, size));
      const result = await readIncidentLog(file);
      assert.deepEqual(result.events, [a, b], `cut at ${size}`);
      assert.deepEqual(
        result.problems.map((p) => [p.code, p.line]),
        [['TRUNCATED_LAST_LINE', 3]],
        `cut at ${size}`,
      );
    }
  });

  it('keeps the next event whole when appending after a crash', async () => {
    await appendAll(a, b, c);
    const { size } = await fs.stat(file);
    await fs.truncate(file, size - 15);
    await appendAll(d);
    const result = await readIncidentLog(file);
    assert.deepEqual(result.events, [a, b, d]);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.line]),
      [['CORRUPT_LINE', 3]],
    );
  });

  it('keeps every event when appends run concurrently', async () => {
    const events = Array.from({ length: 50 }, (_, i) => note(`04:${String(i).padStart(2, '0')}`, `note ${i}`, `n${i}`));
    await Promise.all(events.map((e) => appendEvent(file, e)));
    assert.deepEqual(await readIncidentLog(file), { events, problems: [] });
  });

  it('reports a missing file instead of throwing', async () => {
    const result = await readIncidentLog(path.join(dir, 'INC-2026-1124-0099.jsonl'));
    assert.deepEqual(result.events, []);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.line]),
      [['UNREADABLE_FILE', 0]],
    );
  });

  it("reads two responders' files merged by concatenation as one log", async () => {
    const mine = incidentFile(dir, 'INC-2026-1124-0002');
    const theirs = incidentFile(dir, 'INC-2026-1124-0003');
    for (const e of [a, b, c]) await appendEvent(mine, e);
    for (const e of [a, d, b]) await appendEvent(theirs, e);
    await fs.writeFile(file, Buffer.concat([await fs.readFile(theirs), await fs.readFile(mine)]));
    assert.deepEqual(await readIncidentLog(file), { events: [a, b, c, d], problems: [] });
  });

  it('writes .gitattributes so git merges logs by union, and leaves an existing one alone', async () => {
    assert.equal(await fs.readFile(path.join(dir, '.gitattributes'), 'utf8'), '*.jsonl merge=union\n');
    assert.equal(INCIDENTS_GITATTRIBUTES, '*.jsonl merge=union\n');
    await fs.writeFile(path.join(dir, '.gitattributes'), '*.jsonl merge=union\n*.md text\n');
    await ensureIncidentsDir(dir);
    assert.equal(await fs.readFile(path.join(dir, '.gitattributes'), 'utf8'), '*.jsonl merge=union\n*.md text\n');
  });

  it('lists incidents in id order with their state, ignoring other files', async () => {
    const second = incidentFile(dir, 'INC-2026-1124-0010');
    await appendAll(a, b);
    await appendEvent(
      second,
      event(
        'incident.started',
        '05:00',
        {
          incident: 'INC-2026-1124-0010',
          title: 'Redis memory',
          severity: 'P2',
          commander: 'bob',
          drill: true,
        },
        's2',
      ),
    );
    await fs.writeFile(path.join(dir, 'notes.txt'), 'x');
    await fs.writeFile(path.join(dir, 'scratch.jsonl'), 'x');
    const listed = await listIncidents(dir);
    assert.deepEqual(
      listed.map((i) => [i.id, i.state.title, i.state.severity, i.state.drill, i.problems.length]),
      [
        ['INC-2026-1124-0001', 'API health check failing', 'P1', false, 0],
        ['INC-2026-1124-0010', 'Redis memory', 'P2', true, 0],
      ],
    );
    assert.equal(listed[0].file, file);
  });

  it('lists nothing when the folder does not exist', async () => {
    assert.deepEqual(await listIncidents(path.join(workspace, 'missing')), []);
  });

  it('claims distinct ids when several incidents start at once', async () => {
    const now = new Date('2026-11-24T15:00:00Z');
    await appendAll(a);
    const ids = await Promise.all(Array.from({ length: 5 }, () => claimIncidentId(dir, now)));
    assert.deepEqual([...ids].sort(), [
      'INC-2026-1124-0002',
      'INC-2026-1124-0003',
      'INC-2026-1124-0004',
      'INC-2026-1124-0005',
      'INC-2026-1124-0006',
    ]);
    assert.deepEqual(await listIncidentIds(dir), ['INC-2026-1124-0001', ...[...ids].sort()]);
  });
});

describe('paths named by callers and logs', () => {
  it('makes a log file only of an incident id, so `../` cannot leave the incidents folder', () => {
    assert.equal(incidentFile('/w/.incidents', 'INC-2026-1124-0001'), path.join('/w/.incidents', 'INC-2026-1124-0001.jsonl'));
    for (const bad of [
      '../../x',
      'INC-2026-1124-0001/../../x',
      'INC-2026-1124-0001.jsonl',
      'INC-2026-1324-0001',
      '',
      'inc-2026-1124-0001',
    ]) {
      assert.equal(isIncidentId(bad), false, bad);
      assert.throws(() => incidentFile('/w/.incidents', bad), /not an incident id/);
    }
    assert.equal(isIncidentId(42), false);
  });

  it('opens only a relative playbook path inside the workspace, as a log from a pull may name any path', () => {
    const root = path.resolve('/w');
    assert.equal(workspacePlaybookPath(root, 'ops/api.playbook.yaml'), path.join(root, 'ops', 'api.playbook.yaml'));
    assert.equal(workspacePlaybookPath(root, 'a.playbook.yml'), path.join(root, 'a.playbook.yml'));
    for (const bad of [
      '../other/a.playbook.yaml',
      'ops/../../a.playbook.yaml',
      '/etc/a.playbook.yaml',
      'ops/notes.md',
      '.ssh/id_rsa',
      '',
    ]) {
      assert.equal(workspacePlaybookPath(root, bad), undefined, bad);
    }
  });
});
