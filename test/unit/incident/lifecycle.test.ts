import * as assert from 'node:assert/strict';
import { reopenableIncidents, roleChoices, severityChoices, suggestedPerson, switchableIncidents } from '../../../src/incident/lifecycle';
import { foldIncident } from '../../../src/incident/state';
import type { IncidentSummary } from '../../../src/incident/store';
import { event, started } from './fixtures';

function summary(id: string, ...more: Parameters<typeof foldIncident>[0][]): IncidentSummary {
  const entries = [started(), ...more.flatMap((list) => [...list])];
  return { id, file: `/w/.incidents/${id}.jsonl`, state: foldIncident(entries), problems: [] };
}

const resolved = [event('incident.resolved', '30:00', {})];

describe('incident lifecycle choices', () => {
  const incidents = [
    summary('INC-2026-1123-0001', resolved),
    summary('INC-2026-1124-0001'),
    summary('INC-2026-1124-0002', [event('status.changed', '05:00', { from: 'investigating', to: 'mitigated' })]),
    summary('INC-2026-1124-0003', resolved),
  ];

  it('offers the open incidents other than the active one, newest first', () => {
    const choices = switchableIncidents(incidents, 'INC-2026-1124-0001');
    assert.deepEqual(
      choices.map((c) => c.id),
      ['INC-2026-1124-0002'],
    );
    assert.equal(choices[0].description, 'API health check failing · P1 · mitigated');
  });

  it('offers every open incident when none is active', () => {
    assert.deepEqual(
      switchableIncidents(incidents).map((c) => c.id),
      ['INC-2026-1124-0002', 'INC-2026-1124-0001'],
    );
  });

  it('offers the resolved incidents for reopening, newest first, with when they were resolved', () => {
    const choices = reopenableIncidents(incidents);
    assert.deepEqual(
      choices.map((c) => c.id),
      ['INC-2026-1124-0003', 'INC-2026-1123-0001'],
    );
    assert.match(choices[0].description ?? '', /resolved 2026-11-24 14:30 UTC$/);
  });

  it('offers commander first, then the playbook’s roles and roles assigned outside it, with their holders', () => {
    const state = foldIncident([started(), event('role.assigned', '01:00', { role: 'scribe', person: 'carol' })]);
    const choices = roleChoices([{ id: 'comms', name: 'Communications lead' }, { id: 'commander' }], state);
    assert.deepEqual(choices, [
      { id: 'commander', label: 'commander', description: 'now alice' },
      { id: 'comms', label: 'Communications lead', description: 'unassigned' },
      { id: 'scribe', label: 'scribe', description: 'now carol' },
    ]);
  });

  it('suggests the current holder, then the playbook’s primary, then the operator', () => {
    const state = foldIncident([started()]);
    const roles = [{ id: 'comms', primary: 'dana' }, { id: 'scribe' }];
    assert.equal(suggestedPerson(roles, state, 'commander', 'me'), 'alice');
    assert.equal(suggestedPerson(roles, state, 'comms', 'me'), 'dana');
    assert.equal(suggestedPerson(roles, state, 'scribe', 'me'), 'me');
  });

  it('offers the severities other than the current one', () => {
    const choices = severityChoices([{ id: 'P1', name: 'Major' }, { id: 'P2', description: 'Minor' }, { id: 'P0' }], 'P1');
    assert.deepEqual(choices, [
      { id: 'P2', label: 'P2', description: 'Minor' },
      { id: 'P0', label: 'P0', description: undefined },
    ]);
  });
});
