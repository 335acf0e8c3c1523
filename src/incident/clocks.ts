// The severity clocks of an incident: time left to respond, until escalation, and until the next status update.
import { formatDuration } from '../playbook/duration';
import type { IncidentEvent } from './events';

/** The parts of a severity row the clocks need, with durations already in milliseconds. */
export interface SeverityTimes {
  respondWithinMs?: number;
  escalateAfterMs?: number;
  escalateTo?: string;
  updateEveryMs?: number;
}

export type ClockKind = 'respond' | 'escalate' | 'update';

export interface IncidentClock {
  kind: ClockKind;
  dueAt: Date;
  /** Negative when overdue. */
  remainingMs: number;
  /** For escalation: who to escalate to. */
  to?: string;
}

/**
 * The clocks still running at `now`: responding stops once anything was done (a run, a tick, a note), escalation once
 * the incident is mitigated or later, and updates stop when it is resolved. Updates count from the last message sent.
 */
export function incidentClocks(events: readonly IncidentEvent[], times: SeverityTimes, now: Date): IncidentClock[] {
  const started = events.find((e) => e.kind === 'incident.started');
  if (!started) return [];
  const start = Date.parse(started.at);
  const status = currentStatus(events);
  const clocks: IncidentClock[] = [];
  const add = (kind: ClockKind, due: number, to?: string) =>
    clocks.push({ kind, dueAt: new Date(due), remainingMs: due - now.getTime(), to });
  const acted = events.some(
    (e) => e.kind === 'step.run' || e.kind === 'step.ticked' || e.kind === 'note.added' || e.kind === 'status.changed',
  );
  if (times.respondWithinMs !== undefined && !acted) add('respond', start + times.respondWithinMs);
  const calm = status === 'mitigated' || status === 'monitoring' || status === 'resolved';
  if (times.escalateAfterMs !== undefined && !calm) add('escalate', start + times.escalateAfterMs, times.escalateTo);
  if (times.updateEveryMs !== undefined && status !== 'resolved') {
    const lastUpdate = Math.max(start, ...events.filter((e) => e.kind === 'notify.sent' && e.ok).map((e) => Date.parse(e.at)));
    add('update', lastUpdate + times.updateEveryMs);
  }
  return clocks.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

function currentStatus(events: readonly IncidentEvent[]): string {
  let status = 'investigating';
  for (const e of events) {
    if (e.kind === 'status.changed') status = e.to;
    else if (e.kind === 'incident.resolved') status = 'resolved';
    else if (e.kind === 'incident.reopened') status = 'investigating';
  }
  return status;
}

/** `12 min`, `1 h 05 min`, or `5 min overdue`. */
export function formatRemaining(ms: number): string {
  const text = formatDuration(Math.abs(ms), 'minutes');
  return ms < 0 ? `${text} overdue` : text;
}
