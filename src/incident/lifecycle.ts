// What the lifecycle commands offer: which incidents can be switched to or reopened, and which roles and
// severities to choose from. Pure, so the choices are tested without a window to pick in.
import type { Role, Severity } from '../playbook/types';
import { compareIncidentIds } from './ids';
import type { IncidentState } from './state';
import type { IncidentSummary } from './store';

/** One choice of a lifecycle pick list. */
export interface Choice {
  id: string;
  label: string;
  description?: string;
}

/** Incidents of the folder that are not resolved, newest first, except the one already active. */
export function switchableIncidents(incidents: readonly IncidentSummary[], activeId?: string): Choice[] {
  return newestFirst(incidents.filter((i) => i.state.status !== 'resolved' && i.id !== activeId)).map(incidentChoice);
}

/** Resolved incidents of the folder, newest first: the ones that can be reopened. */
export function reopenableIncidents(incidents: readonly IncidentSummary[]): Choice[] {
  return newestFirst(incidents.filter((i) => i.state.status === 'resolved')).map(incidentChoice);
}

function newestFirst(incidents: IncidentSummary[]): IncidentSummary[] {
  return [...incidents].sort((a, b) => compareIncidentIds(b.id, a.id));
}

function incidentChoice(incident: IncidentSummary): Choice {
  const { state } = incident;
  const when = state.resolvedAt ? `resolved ${state.resolvedAt.slice(0, 16).replace('T', ' ')} UTC` : state.status;
  return {
    id: incident.id,
    label: `${incident.id}${state.drill ? ' (drill)' : ''}`,
    description: [state.title, state.severity, when].filter(Boolean).join(' · '),
  };
}

/** The playbook's roles (commander first, always offered), each described with who holds it now. */
export function roleChoices(roles: readonly Role[] | undefined, state: IncidentState): Choice[] {
  const ids = ['commander', ...(roles ?? []).map((r) => r.id), ...state.roles.keys()];
  const names = new Map((roles ?? []).map((r) => [r.id, r.name]));
  return [...new Set(ids)].map((id) => {
    const holder = state.roles.get(id);
    return { id, label: names.get(id) ?? id, description: holder ? `now ${holder}` : 'unassigned' };
  });
}

/** Who a role is offered to first: its current holder, else the playbook's primary for it, else the operator. */
export function suggestedPerson(roles: readonly Role[] | undefined, state: IncidentState, role: string, operator: string): string {
  return state.roles.get(role) ?? roles?.find((r) => r.id === role)?.primary ?? operator;
}

/** The playbook's severities other than the current one, with their names. */
export function severityChoices(severities: readonly Severity[] | undefined, current: string): Choice[] {
  return (severities ?? []).filter((s) => s.id !== current).map((s) => ({ id: s.id, label: s.id, description: s.name ?? s.description }));
}
