import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, type IncidentEvent } from '../../../src/incident/events';
import { checklistsOf, fromPlaybook, POST_INCIDENT_CHECKLIST, renderReport } from '../../../src/incident/report';
import type { Playbook } from '../../../src/playbook/types';
import { foldIncident } from '../../../src/incident/state';

const golden = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'report', 'incident.md');
const at = (minutes: number) => ({ actor: 'ana', at: new Date(Date.parse('2026-11-24T14:00:00Z') + minutes * 60000), id: `e${minutes}` });

function events(): IncidentEvent[] {
  const run = (minute: number, step: string, verdict: 'passed' | 'failed', exitCode: number, command: string, head: string) =>
    createEvent(
      'step.run',
      {
        step,
        stepKind: 'shell',
        command,
        start: at(minute).at.toISOString(),
        end: at(minute).at.toISOString(),
        durationMs: 1200,
        exitCode,
        verdict,
        output: { head, tail: '', omittedBytes: 0 },
        confirmations: [],
      },
      at(minute),
    );
  return [
    createEvent(
      'incident.started',
      {
        incident: 'INC-2026-1124-0001',
        title: 'Checkout | API down',
        severity: 'P1',
        commander: 'ana',
        drill: false,
        playbook: 'api.playbook.yaml',
      },
      at(0),
    ),
    run(
      2,
      'check-health',
      'failed',
      7,
      'curl -fsS http://127.0.0.1:5002/health | jq .status',
      'curl: (7) Failed to connect\n```\n<script>alert(1)</script>',
    ),
    createEvent('note.added', { text: 'Pods restarting' }, at(5)),
    run(8, 'restart', 'passed', 0, 'docker compose restart api', 'restarted'),
    createEvent('status.changed', { from: 'investigating', to: 'mitigated' }, at(10)),
    createEvent('incident.resolved', { summary: 'Restarted the API' }, at(42)),
    createEvent('checklist.ticked', { checklist: POST_INCIDENT_CHECKLIST, item: 'Hold the review within 48h', checked: true }, at(43)),
    createEvent('checklist.ticked', { checklist: 'wrap-up', item: 'Close the status page', checked: true }, at(44)),
    createEvent('checklist.ticked', { checklist: 'wrap-up', item: 'Close the status page', checked: false }, at(45)),
  ];
}

describe('post-incident report', () => {
  it('matches the golden report (set UPDATE_GOLDEN=1 to rewrite it)', () => {
    const list = events();
    const text = renderReport(foldIncident(list), list, {
      title: 'Checkout API',
      checklist: [
        { checklist: POST_INCIDENT_CHECKLIST, item: 'Hold the review within 48h' },
        { checklist: 'wrap-up', item: 'Close the status page' },
      ],
      actionItems: [{ title: 'Alert on pod restarts', owner: 'sre', due: '2026-12-01' }],
    });
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, 'utf8'));
  });

  it('takes the `after` checklists, then the post-incident checklist, from the playbook', () => {
    const playbook = {
      version: 1,
      title: 'API',
      scenarios: [],
      post_incident: { checklist: ['Hold the review'] },
      checklists: [
        { id: 'during', when: 'during', items: ['Page the owner'] },
        { id: 'wrap-up', when: 'after', items: ['Close the status page', { text: 'Thank the responders', role: 'commander' }] },
      ],
    } satisfies Playbook;
    assert.deepEqual(fromPlaybook(playbook).checklist, [
      { checklist: 'wrap-up', item: 'Close the status page' },
      { checklist: 'wrap-up', item: 'Thank the responders' },
      { checklist: POST_INCIDENT_CHECKLIST, item: 'Hold the review' },
    ]);
  });

  it('lists the playbook’s checklists for ticking, the post-incident one last', () => {
    const playbook = {
      version: 1,
      title: 'API',
      scenarios: [],
      post_incident: { checklist: ['Hold the review'] },
      checklists: [
        {
          id: 'first',
          title: 'First five minutes',
          when: 'during',
          items: ['Open a channel', { text: 'Page the owner', role: 'commander' }],
        },
      ],
    } satisfies Playbook;
    assert.deepEqual(checklistsOf(playbook), [
      { id: 'first', title: 'First five minutes', when: 'during', items: ['Open a channel', 'Page the owner'] },
      { id: POST_INCIDENT_CHECKLIST, title: 'Post-incident review', when: 'after', items: ['Hold the review'] },
    ]);
    assert.deepEqual(checklistsOf(undefined), []);
  });

  it('keeps command output inside a fence it cannot close', () => {
    const list = events();
    const text = renderReport(foldIncident(list), list);
    assert.match(text, /````text\ncurl: \(7\) Failed to connect\n```\n<script>alert\(1\)<\/script>\n````/);
  });

  it('escapes pipes inside table cells', () => {
    const list = events();
    assert.match(renderReport(foldIncident(list), list), /\| curl -fsS http:\/\/127\.0\.0\.1:5002\/health \\\| jq \.status \|/);
  });
});
