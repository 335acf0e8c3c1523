import * as assert from 'node:assert/strict';
import type { LogEntry } from '../../../src/incident/events';
import { applyEntry, checklistKey, emptyIncidentState, foldIncident } from '../../../src/incident/state';
import { event, note, run, started } from './fixtures';

describe('incident state', () => {
  it('starts investigating with nothing recorded', () => {
    assert.deepEqual(foldIncident([]), {
      title: '',
      severity: '',
      status: 'investigating',
      commander: '',
      roles: new Map(),
      drill: false,
      steps: new Map(),
      checklists: new Map(),
      notes: 0,
      events: 0,
      unknown: 0,
    });
  });

  it('takes id, title, severity, commander and playbook from the start', () => {
    assert.deepEqual(foldIncident([started('00:00', 'a')]), {
      id: 'INC-2026-1124-0001',
      title: 'API health check failing',
      severity: 'P1',
      status: 'investigating',
      commander: 'alice',
      roles: new Map([['commander', 'alice']]),
      playbook: 'playbooks/api.playbook.yaml',
      drill: false,
      startedAt: '2026-11-24T14:00:00.000Z',
      lastEventAt: '2026-11-24T14:00:00.000Z',
      steps: new Map(),
      checklists: new Map(),
      notes: 0,
      events: 1,
      unknown: 0,
    });
  });

  it('keeps ticked checklist items, with who and when, until they are unticked', () => {
    const state = foldIncident([
      started(),
      event('checklist.ticked', '01:00', { checklist: 'wrap-up', item: 'Close the status page', checked: true }),
      event('checklist.ticked', '02:00', { checklist: 'wrap-up', item: 'Thank the team', checked: true }),
      event('checklist.ticked', '03:00', { checklist: 'wrap-up', item: 'Thank the team', checked: false }),
    ]);
    assert.deepEqual(
      [...state.checklists],
      [[checklistKey('wrap-up', 'Close the status page'), { at: '2026-11-24T14:01:00.000Z', actor: 'alice' }]],
    );
  });

  it('follows status and severity changes', () => {
    const state = foldIncident([
      started(),
      event('status.changed', '01:00', { from: 'investigating', to: 'identified' }),
      event('severity.changed', '02:00', { from: 'P1', to: 'P0' }),
      event('status.changed', '03:00', { from: 'identified', to: 'mitigated' }),
    ]);
    assert.equal(state.status, 'mitigated');
    assert.equal(state.severity, 'P0');
    assert.equal(state.resolvedAt, undefined);
  });

  it('records the resolve time and clears it on reopen', () => {
    const resolved = foldIncident([started(), event('incident.resolved', '10:00', { summary: 'restarted' })]);
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.resolvedAt, '2026-11-24T14:10:00.000Z');
    const reopened = applyEntry(resolved, event('incident.reopened', '12:00', { reason: 'errors again' }));
    assert.equal(reopened.status, 'investigating');
    assert.equal(reopened.resolvedAt, undefined);
  });

  it('treats a status change to resolved as resolving, keeping the first time', () => {
    const state = foldIncident([
      started(),
      event('status.changed', '09:00', { from: 'monitoring', to: 'resolved' }),
      event('incident.resolved', '10:00', {}),
    ]);
    assert.equal(state.resolvedAt, '2026-11-24T14:09:00.000Z');
  });

  it('keeps the latest result of each step and counts its runs', () => {
    const state = foldIncident([
      started(),
      run('check-health', '01:00', 'failed', 'r1'),
      run('restart', '02:00', 'passed', 'r2'),
      run('check-health', '03:00', 'passed', 'r3'),
      event('step.ticked', '04:00', { step: 'notify', comment: 'posted in #incidents' }, 't1'),
    ]);
    assert.deepEqual(
      state.steps,
      new Map([
        [
          'check-health',
          { type: 'run', at: '2026-11-24T14:03:00.000Z', verdict: 'passed', exitCode: 0, durationMs: 320, runs: 2, eventId: 'r3' },
        ],
        [
          'restart',
          { type: 'run', at: '2026-11-24T14:02:00.000Z', verdict: 'passed', exitCode: 0, durationMs: 320, runs: 1, eventId: 'r2' },
        ],
        ['notify', { type: 'ticked', at: '2026-11-24T14:04:00.000Z', comment: 'posted in #incidents', runs: 1, eventId: 't1' }],
      ]),
    );
  });

  it('keeps an unknown exit code as null and the HTTP status when there is one', () => {
    const http = { ...run('health', '01:00', 'failed', 'h'), stepKind: 'http' as const, exitCode: null, httpStatus: 503 };
    const state = foldIncident([http]);
    assert.deepEqual(state.steps.get('health'), {
      type: 'run',
      at: '2026-11-24T14:01:00.000Z',
      verdict: 'failed',
      exitCode: null,
      httpStatus: 503,
      durationMs: 320,
      runs: 1,
      eventId: 'h',
    });
  });

  it('assigns and hands over roles, including the commander', () => {
    const state = foldIncident([
      started(),
      event('role.assigned', '01:00', { role: 'scribe', person: 'carol' }),
      event('role.assigned', '02:00', { role: 'commander', person: 'bob' }),
      event('role.assigned', '03:00', { role: 'comms', person: 'dan' }),
      event('role.assigned', '04:00', { role: 'comms', person: '' }),
    ]);
    assert.equal(state.commander, 'bob');
    assert.deepEqual(
      state.roles,
      new Map([
        ['commander', 'bob'],
        ['scribe', 'carol'],
      ]),
    );
  });

  it('counts notes, events and unknown entries', () => {
    const future: LogEntry = { kind: 'unknown', reason: 'unknown-kind', id: 'f', at: '2026-11-24T14:05:00.000Z', raw: {} };
    const state = foldIncident([
      started(),
      note('01:00', 'one'),
      note('02:00', 'two'),
      future,
      event('notify.sent', '03:00', { template: 'initial', channel: 'clipboard', ok: true }),
    ]);
    assert.equal(state.notes, 2);
    assert.equal(state.events, 5);
    assert.equal(state.unknown, 1);
    assert.equal(state.lastEventAt, '2026-11-24T14:03:00.000Z');
  });

  it('leaves the previous state untouched when applying an entry', () => {
    const before = foldIncident([started()]);
    const after = applyEntry(before, run('restart', '01:00', 'passed', 'r'));
    assert.equal(before.steps.size, 0);
    assert.equal(before.events, 1);
    assert.equal(after.steps.size, 1);
    assert.deepEqual(emptyIncidentState().steps, new Map());
  });

  it('folds to the same state however the events are split and re-applied', () => {
    const events = [
      started(),
      run('a', '01:00', 'failed'),
      note('02:00', 'x'),
      event('status.changed', '03:00', { from: 'investigating', to: 'identified' }),
    ];
    const stepwise = events.reduce(applyEntry, emptyIncidentState());
    assert.deepEqual(stepwise, foldIncident(events));
  });
});
