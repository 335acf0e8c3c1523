import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEvent, validateEvent, type EventKind } from '../../../src/incident/events';

import { parseIncidentLog } from '../../../src/incident/log';
import { at, run, started } from './fixtures';

/** Every kind, checked by the compiler: a new kind that is missing here fails the build of the tests. */
const KINDS: Record<EventKind, true> = {
  'incident.started': true,
  'step.run': true,
  'step.ticked': true,
  'checklist.ticked': true,
  'note.added': true,
  'status.changed': true,
  'severity.changed': true,
  'role.assigned': true,
  'notify.sent': true,
  'incident.resolved': true,
  'incident.reopened': true,
};
const EVENT_KINDS = Object.keys(KINDS);
/** The shape `newEventId` makes: a base-36 time and 16 hex digits. */
const EVENT_ID = /^[0-9a-z]{9}-[0-9a-f]{16}$/;

describe('event validation', () => {
  it('accepts a well-formed event of every kind', () => {
    const examples = [
      started(),
      run('check-health', '01:00', 'failed'),
      createEvent('step.ticked', { step: 'notify-stakeholders', comment: 'posted in #incidents' }, { actor: 'bob', at: at('02:00') }),
      createEvent(
        'checklist.ticked',
        { checklist: 'wrap-up', item: 'Close the status page', checked: true },
        { actor: 'bob', at: at('02:30') },
      ),
      createEvent('note.added', { text: 'heap at 2.3 GB' }, { actor: 'bob', at: at('03:00') }),
      createEvent('status.changed', { from: 'investigating', to: 'identified' }, { actor: 'alice', at: at('04:00') }),
      createEvent('severity.changed', { from: 'P1', to: 'P0' }, { actor: 'alice', at: at('05:00') }),
      createEvent('role.assigned', { role: 'scribe', person: 'carol' }, { actor: 'alice', at: at('06:00') }),
      createEvent(
        'notify.sent',
        { template: 'initial', channel: 'webhook', ok: false, error: 'timed out after 10 s' },
        { actor: 'alice', at: at('07:00') },
      ),
      createEvent('incident.resolved', { summary: 'restarted api' }, { actor: 'alice', at: at('08:00') }),
      createEvent('incident.reopened', {}, { actor: 'alice', at: at('09:00') }),
    ];
    assert.deepEqual(examples.map((e) => e.kind).sort(), [...EVENT_KINDS].sort());
    for (const example of examples) {
      const parsed: unknown = JSON.parse(JSON.stringify(example));
      assert.deepEqual(validateEvent(parsed), example, example.kind);
    }
  });

  it('fills in version, id and time when creating an event', () => {
    const event = createEvent('note.added', { text: 'x' }, { actor: 'bob', at: at('00:01') });
    assert.equal(event.v, 1);
    assert.equal(event.at, '2026-11-24T14:00:01.000Z');
    assert.match(event.id, /^[0-9a-z]{9}-[0-9a-f]{16}$/);
  });

  it('keeps an event of a kind it does not know as unknown', () => {
    const raw = { v: 1, id: 'e1', at: '2026-11-24T14:00:00Z', kind: 'pager.acknowledged', actor: 'bob', pager: 'x' };
    assert.deepEqual(validateEvent(raw), {
      kind: 'unknown',
      reason: 'unknown-kind',
      id: 'e1',
      at: '2026-11-24T14:00:00Z',
      originalKind: 'pager.acknowledged',
      raw,
    });
  });

  it('keeps an event from a newer version as unknown, even of a known kind', () => {
    const raw = { v: 2, id: 'e2', at: '2026-11-24T14:00:00Z', kind: 'note.added', actor: 'bob', body: { md: 'x' } };
    assert.deepEqual(validateEvent(raw), {
      kind: 'unknown',
      reason: 'newer-version',
      id: 'e2',
      at: '2026-11-24T14:00:00Z',
      originalKind: 'note.added',
      raw,
    });
  });

  it('names the first bad field of a malformed event', () => {
    const raw = { ...run('restart', '01:00', 'passed'), verdict: 'great' };
    assert.deepEqual(validateEvent(raw), {
      kind: 'unknown',
      reason: 'malformed',
      field: 'verdict',
      id: raw.id,
      at: raw.at,
      originalKind: 'step.run',
      raw,
    });
  });

  it('checks nested output and confirmations', () => {
    const badOutput = { ...run('restart', '01:00', 'passed'), output: { head: 'x', tail: 3, omittedBytes: 0 } };
    const badConfirmation = {
      ...run('restart', '01:00', 'passed'),
      confirmations: [{ reason: 'FLUSHDB', confirmed: 'yes', at: at('01:00').toISOString() }],
    };
    assert.equal((validateEvent(badOutput) as { field?: string }).field, 'output');
    assert.equal((validateEvent(badConfirmation) as { field?: string }).field, 'confirmations');
  });

  it('records an unknown exit code as null, and rejects a missing one', () => {
    const unknownExit = { ...run('restart', '01:00', 'timed-out') };
    assert.equal(validateEvent(unknownExit).kind, 'step.run');
    const { exitCode: _dropped, ...missing } = run('restart', '01:00', 'passed') as unknown as Record<string, unknown>;
    assert.equal((validateEvent(missing) as { field?: string }).field, 'exitCode');
  });

  it('reports missing common fields', () => {
    assert.equal(
      (validateEvent({ v: 1, at: '2026-11-24T14:00:00Z', kind: 'note.added', actor: 'a', text: '' }) as { field?: string }).field,
      'id',
    );
    assert.equal(
      (validateEvent({ v: 1, id: 'x', at: 'yesterday', kind: 'note.added', actor: 'a', text: '' }) as { field?: string }).field,
      'at',
    );
    assert.equal(
      (validateEvent({ v: 1, id: 'x', at: 'Nov 24 2026 14:00', kind: 'note.added', actor: 'a', text: '' }) as { field?: string }).field,
      'at',
    );
    assert.equal(
      (validateEvent({ id: 'x', at: '2026-11-24T14:00:00Z', kind: 'note.added', actor: 'a', text: '' }) as { field?: string }).field,
      'v',
    );
  });

  it('turns JSON that is not an object into unknown, without throwing', () => {
    for (const raw of [null, 42, 'text', [1, 2], true]) {
      assert.deepEqual(validateEvent(raw), { kind: 'unknown', reason: 'malformed', field: '(line)', raw });
    }
  });

  it('does not treat inherited property names as kinds', () => {
    const raw = { v: 1, id: 'x', at: '2026-11-24T14:00:00Z', kind: 'toString', actor: 'a' };
    assert.equal((validateEvent(raw) as { reason?: string }).reason, 'unknown-kind');
  });

  it('accepts the attempt number of a repeated step and rejects attempt zero', () => {
    assert.equal(validateEvent({ ...run('wait-healthy', '01:00', 'failed'), attempt: 3 }).kind, 'step.run');
    assert.equal((validateEvent({ ...run('wait-healthy', '01:00', 'failed'), attempt: 0 }) as { field?: string }).field, 'attempt');
  });

  it('keeps extra fields a later version 1 may add', () => {
    const raw = { ...run('restart', '01:00', 'passed'), runner: 'pseudoterminal' };
    assert.deepEqual(validateEvent(raw), raw);
  });
});

describe('the documented incident log format', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/incident-log.md'), 'utf8');
  const examples = [...doc.matchAll(/```jsonl\n([\s\S]*?)```/g)].flatMap((m) => m[1].trim().split('\n'));

  it('has an example line of every event kind, each valid', () => {
    const kinds = new Set<string>();
    for (const line of examples) {
      const entry = validateEvent(JSON.parse(line));
      assert.notEqual(entry.kind, 'unknown', line);
      assert.match(entry.id as string, EVENT_ID, line);
      kinds.add(entry.kind);
    }
    assert.deepEqual([...kinds].sort(), [...EVENT_KINDS].sort());
  });

  it('lists the example lines in time order with ids whose prefix is their time', () => {
    const events = examples.map((line) => JSON.parse(line) as { id: string; at: string });
    for (const e of events) assert.equal(e.id.slice(0, 9), Date.parse(e.at).toString(36).padStart(9, '0'), e.id);
    assert.deepEqual(parseIncidentLog(`${examples.join('\n')}\n`).events, events);
  });
});
