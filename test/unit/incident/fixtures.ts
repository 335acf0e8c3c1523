// Event builders for incident tests: fixed ids and times so assertions can be exact.
import { createEvent, type EventBody, type EventKind, type IncidentEvent } from '../../../src/incident/events';

/** `2026-11-24T14:MM:SSZ` as a Date, for short readable times in tests. */
export function at(minuteSecond: string): Date {
  return new Date(`2026-11-24T14:${minuteSecond}Z`);
}

let counter = 0;

/** An event of `kind` at `time` (mm:ss) by `alice`, with a readable id unless one is given. */
export function event<K extends EventKind>(kind: K, time: string, body: EventBody<K>, id?: string): Extract<IncidentEvent, { kind: K }> {
  return createEvent(kind, body, { actor: 'alice', at: at(time), id: id ?? `e${String(++counter).padStart(4, '0')}` });
}

export function started(time = '00:00', id = 'start'): IncidentEvent {
  return event(
    'incident.started',
    time,
    {
      incident: 'INC-2026-1124-0001',
      title: 'API health check failing',
      severity: 'P1',
      commander: 'alice',
      playbook: 'playbooks/api.playbook.yaml',
      drill: false,
    },
    id,
  );
}

export function run(step: string, time: string, verdict: 'passed' | 'failed' | 'timed-out', id?: string): IncidentEvent {
  return event(
    'step.run',
    time,
    {
      step,
      stepKind: 'shell',
      command: 'curl -s http://localhost:5002/health',
      start: at(time).toISOString(),
      end: at(time).toISOString(),
      durationMs: 320,
      exitCode: verdict === 'passed' ? 0 : verdict === 'failed' ? 7 : null,
      verdict,
      output: { head: 'ok', tail: '', omittedBytes: 0 },
      confirmations: [],
    },
    id,
  );
}

export function note(time: string, text: string, id?: string): IncidentEvent {
  return event('note.added', time, { text }, id);
}

/** The log text of some events, one line each. */
export function lines(...events: object[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}
