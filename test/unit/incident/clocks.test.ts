import * as assert from 'node:assert/strict';
import { incidentClocks, formatRemaining } from '../../../src/incident/clocks';
import { createEvent, type IncidentEvent } from '../../../src/incident/events';

const at = (minutes: number) => new Date(Date.parse('2026-11-24T14:00:00Z') + minutes * 60000);
const started = createEvent(
  'incident.started',
  { incident: 'INC-2026-1124-0001', title: 'API down', severity: 'P1', commander: 'ana', drill: false },
  { actor: 'ana', at: at(0) },
);
const times = { respondWithinMs: 15 * 60000, escalateAfterMs: 30 * 60000, escalateTo: 'lead', updateEveryMs: 20 * 60000 };

function kinds(events: IncidentEvent[], minute: number) {
  return incidentClocks(events, times, at(minute)).map((c) => [c.kind, Math.round(c.remainingMs / 60000), c.to]);
}

describe('severity clocks', () => {
  it('counts respond, update and escalate from the start, soonest first', () => {
    assert.deepEqual(kinds([started], 5), [
      ['respond', 10, undefined],
      ['update', 15, undefined],
      ['escalate', 25, 'lead'],
    ]);
  });

  it('stops the respond clock once anything was done, and goes negative when overdue', () => {
    const note = createEvent('note.added', { text: 'looking' }, { actor: 'ana', at: at(3) });
    assert.deepEqual(kinds([started, note], 40), [
      ['update', -20, undefined],
      ['escalate', -10, 'lead'],
    ]);
  });

  it('counts the next update from the last message sent', () => {
    const sent = createEvent('notify.sent', { template: 'update', channel: 'clipboard', ok: true }, { actor: 'ana', at: at(18) });
    const note = createEvent('note.added', { text: 'x' }, { actor: 'ana', at: at(1) });
    assert.deepEqual(
      kinds([started, note, sent], 20).find((c) => c[0] === 'update'),
      ['update', 18, undefined],
    );
  });

  it('stops escalation once mitigated and everything once resolved', () => {
    const mitigated = createEvent('status.changed', { from: 'investigating', to: 'mitigated' }, { actor: 'ana', at: at(10) });
    assert.deepEqual(
      kinds([started, mitigated], 12).map((c) => c[0]),
      ['update'],
    );
    const resolved = createEvent('incident.resolved', {}, { actor: 'ana', at: at(11) });
    assert.deepEqual(kinds([started, mitigated, resolved], 12), []);
  });

  it('formats what is left for the status bar', () => {
    assert.equal(formatRemaining(12 * 60000), '12 min');
    assert.equal(formatRemaining(65 * 60000), '1 h 05 min');
    assert.equal(formatRemaining(-5 * 60000), '5 min overdue');
  });
});
