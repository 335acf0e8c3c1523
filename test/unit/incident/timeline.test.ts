import * as assert from 'node:assert/strict';
import { validateEvent, type LogEntry } from '../../../src/incident/events';
import { foldIncident } from '../../../src/incident/state';
import {
  EMPTY_FILTER,
  elapsedMs,
  matchesFilter,
  resultCode,
  timelineHeader,
  toRow,
  toRows,
  type TimelineFilter,
} from '../../../src/incident/timeline';
import { event, note, run, started } from './fixtures';

const filter = (change: Partial<TimelineFilter>): TimelineFilter => ({ ...EMPTY_FILTER, ...change });

describe('incident timeline rows', () => {
  it('shows a run with its step, verdict, duration, exit code, output and confirmations', () => {
    const e = run('check-health', '01:00', 'failed', 'r1');
    assert.deepEqual(toRow(e, 0), {
      id: 'r1',
      kind: 'step.run',
      at: '2026-11-24T14:01:00.000Z',
      actor: 'alice',
      summary: 'curl -s http://localhost:5002/health',
      step: 'check-health',
      verdict: 'failed',
      durationMs: 320,
      exitCode: 7,
      output: { head: 'ok', tail: '', omittedBytes: 0 },
      confirmations: [],
    });
  });

  it('keeps an HTTP status and the attempt of a repeated step', () => {
    const e = { ...run('health', '01:00', 'passed', 'h'), httpStatus: 503, attempt: 2 };
    const row = toRow(e, 0);
    assert.equal(resultCode(row), 'HTTP 503');
    assert.equal(row.attempt, 2);
  });

  it('says what each kind of event did in one line', () => {
    const summaries = toRows([
      started('00:00', 's'),
      event('step.ticked', '00:01', { step: 'page-oncall', comment: 'paged bob' }),
      note('00:02', 'restarting api'),
      event('status.changed', '00:03', { from: 'investigating', to: 'mitigated' }),
      event('severity.changed', '00:04', { from: 'P2', to: 'P1' }),
      event('role.assigned', '00:05', { role: 'scribe', person: 'bob' }),
      event('role.assigned', '00:06', { role: 'scribe', person: '' }),
      event('notify.sent', '00:07', { template: 'update', channel: 'webhook', ok: false, error: 'HTTP 500' }),
      event('notify.sent', '00:08', { template: 'update', channel: 'clipboard', ok: true }),
      event('incident.resolved', '00:09', { summary: 'restarted' }),
      event('incident.reopened', '00:10', {}),
      event('checklist.ticked', '00:11', { checklist: 'wrap-up', item: 'Close the status page', checked: true }),
      event('checklist.ticked', '00:12', { checklist: 'wrap-up', item: 'Close the status page', checked: false }),
    ]).map((r) => r.summary);
    assert.deepEqual(summaries, [
      'Incident started: API health check failing (severity P1, commander alice)',
      'Done: paged bob',
      'restarting api',
      'investigating → mitigated',
      'P2 → P1',
      'bob is scribe',
      'scribe unassigned',
      'update not sent: HTTP 500',
      'update copied to the clipboard',
      'Resolved: restarted',
      'Reopened',
      'Ticked “Close the status page” (wrap-up)',
      'Unticked “Close the status page” (wrap-up)',
    ]);
  });

  it('shows an entry this version cannot read as unknown, saying why', () => {
    const future = validateEvent({ v: 2, id: 'f', at: '2026-11-24T14:00:00Z', kind: 'pager.acked', actor: 'x' });
    const damaged = validateEvent({ v: 1, id: 'd', at: '2026-11-24T14:00:00Z', kind: 'note.added', actor: 'x', text: 5 });
    const bare = validateEvent([1]);
    assert.deepEqual(
      [future, damaged, bare].map((e: LogEntry, i) => [toRow(e, i).kind, toRow(e, i).id, toRow(e, i).summary]),
      [
        ['unknown', 'f', 'pager.acked: from a newer version'],
        ['unknown', 'd', 'note.added: malformed (text)'],
        ['unknown', '#2', 'entry: malformed ((line))'],
      ],
    );
  });
});

describe('incident timeline filters', () => {
  const rows = toRows([
    started('00:00', 's'),
    run('check-health', '01:00', 'failed', 'r1'),
    run('restart', '02:00', 'passed', 'r2'),
    note('03:00', 'Pods RESTARTING', 'n'),
  ]);
  const ids = (f: TimelineFilter) => rows.filter((r) => matchesFilter(r, f)).map((r) => r.id);

  it('shows everything without a filter', () => {
    assert.deepEqual(ids(EMPTY_FILTER), ['s', 'r1', 'r2', 'n']);
  });

  it('filters by kind, verdict and step', () => {
    assert.deepEqual(ids(filter({ kind: 'note.added' })), ['n']);
    assert.deepEqual(ids(filter({ verdict: 'failed' })), ['r1']);
    assert.deepEqual(ids(filter({ step: 'restart' })), ['r2']);
    assert.deepEqual(ids(filter({ kind: 'step.run', verdict: 'passed' })), ['r2']);
  });

  it('filters by text in any case, through summaries, steps and output', () => {
    assert.deepEqual(ids(filter({ text: 'restart' })), ['r2', 'n']);
    assert.deepEqual(ids(filter({ text: '  OK ' })), ['r1', 'r2']);
  });
});

describe('incident timeline header', () => {
  it('shows id, title, severity, status, commander and roles with the commander first', () => {
    const events = [
      started('00:00', 's'),
      event('role.assigned', '00:01', { role: 'comms', person: 'bob' }),
      event('severity.changed', '00:02', { from: 'P1', to: 'P0' }),
    ];
    assert.deepEqual(timelineHeader(foldIncident(events), 'INC-x'), {
      id: 'INC-2026-1124-0001',
      title: 'API health check failing',
      severity: 'P0',
      status: 'investigating',
      commander: 'alice',
      drill: false,
      startedAt: '2026-11-24T14:00:00.000Z',
      roles: [
        ['commander', 'alice'],
        ['comms', 'bob'],
      ],
      events: 3,
      unknown: 0,
    });
  });

  it('falls back to the file name when the log lost its first line', () => {
    assert.equal(timelineHeader(foldIncident([note('00:01', 'x')]), 'INC-2026-1124-0002').id, 'INC-2026-1124-0002');
  });

  it('counts elapsed time to now while open, and to the resolution once resolved', () => {
    const open = timelineHeader(foldIncident([started('00:00', 's')]), '');
    assert.equal(elapsedMs(open, Date.parse('2026-11-24T14:10:00Z')), 600_000);
    const resolved = timelineHeader(foldIncident([started('00:00', 's'), event('incident.resolved', '05:00', {})]), '');
    assert.equal(elapsedMs(resolved, Date.parse('2026-11-24T16:00:00Z')), 300_000);
  });
});
