import * as assert from 'node:assert/strict';
import { createEvent } from '../../../src/incident/events';
import { foldIncident } from '../../../src/incident/state';
import { fieldNames, renderTemplate, type TemplateContext } from '../../../src/incident/templates';

const started = createEvent(
  'incident.started',
  { incident: 'INC-2026-1124-0001', title: 'API down', severity: 'P1', commander: 'ana', drill: false },
  { actor: 'ana', at: new Date('2026-11-24T14:00:00Z') },
);
const run = createEvent(
  'step.run',
  {
    step: 'check-health',
    stepKind: 'http',
    command: 'GET http://x/health',
    start: '2026-11-24T14:03:00Z',
    end: '2026-11-24T14:03:01Z',
    durationMs: 1000,
    exitCode: null,
    httpStatus: 503,
    verdict: 'failed',
    output: { head: '', tail: '', omittedBytes: 0 },
    confirmations: [],
  },
  { actor: 'ana', at: new Date('2026-11-24T14:03:01Z') },
);

function context(extra: Partial<TemplateContext> = {}): TemplateContext {
  const events = [started, run];
  return {
    state: foldIncident(events),
    events,
    now: new Date('2026-11-24T14:45:00Z'),
    playbookTitle: 'Orders',
    updateEveryMs: 30 * 60000,
    ...extra,
  };
}

describe('template rendering', () => {
  it('fills incident facts, times in UTC, duration and actions so far', () => {
    const body =
      '[{{incident.severity}}] {{incident.title}} ({{incident.id}}) is {{incident.status}} since {{incident.started}} ({{incident.duration}}).\nNext update {{incident.next_update}}.\n{{incident.actions}}';
    assert.equal(
      renderTemplate(body, context()).text,
      [
        '[P1] API down (INC-2026-1124-0001) is investigating since 2026-11-24 14:00 UTC (45 min).',
        'Next update 2026-11-24 15:15 UTC.',
        '- 14:03 check-health: failed',
      ].join('\n'),
    );
  });

  it('fills variables and fields, and leaves unknown placeholders visible', () => {
    const rendered = renderTemplate(
      '{{ vars.REGION }} {{impact}} {{eta}}',
      context({ vars: { REGION: 'eu-west' }, fields: { impact: 'checkout fails' } }),
    );
    assert.equal(rendered.text, 'eu-west checkout fails {{eta}}');
    assert.deepEqual(rendered.unfilled, ['eta']);
  });

  it('lists the fields a template asks for', () => {
    assert.deepEqual(fieldNames('{{incident.id}} {{impact}} {{vars.X}} {{now}} {{impact}} {{eta}}'), ['impact', 'eta']);
  });
});
