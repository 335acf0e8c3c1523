// Fills a communication template's `{{placeholders}}` from the incident, the playbook and the sender's answers.
import type { IncidentEvent, StepRun } from './events';
import type { IncidentState } from './state';

/** What a template can be filled from. */
export interface TemplateContext {
  state: IncidentState;
  /** The incident's events, for `{{incident.actions}}`. */
  events: readonly IncidentEvent[];
  playbookTitle?: string;
  /** Severity id → update cadence in milliseconds, for `{{incident.next_update}}`. */
  updateEveryMs?: number;
  /** Values of playbook variables (`{{vars.NAME}}`); secrets must not be passed in. */
  vars?: Readonly<Record<string, string>>;
  /** Values of the template's own fields. */
  fields?: Readonly<Record<string, string>>;
  now: Date;
}

export interface Rendered {
  text: string;
  /** Placeholders with no value, left in the text as they were. */
  unfilled: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export function renderTemplate(body: string, ctx: TemplateContext): Rendered {
  const unfilled: string[] = [];
  const text = body.replace(PLACEHOLDER, (whole, name: string) => {
    const value = valueOf(name, ctx);
    if (value !== undefined) return value;
    if (!unfilled.includes(name)) unfilled.push(name);
    return whole;
  });
  return { text, unfilled };
}

/** The names a template's body asks for that are neither incident facts nor variables: its fields. */
export function fieldNames(body: string): string[] {
  const names: string[] = [];
  for (const m of body.matchAll(PLACEHOLDER)) {
    const name = m[1];
    if (!name.startsWith('incident.') && !name.startsWith('vars.') && name !== 'now' && name !== 'playbook.title' && !names.includes(name))
      names.push(name);
  }
  return names;
}

function valueOf(name: string, ctx: TemplateContext): string | undefined {
  const { state } = ctx;
  switch (name) {
    case 'incident.id':
      return state.id;
    case 'incident.title':
      return state.title || undefined;
    case 'incident.severity':
      return state.severity || undefined;
    case 'incident.status':
      return state.status;
    case 'incident.commander':
      return state.commander || undefined;
    case 'incident.started':
      return state.startedAt ? utc(new Date(state.startedAt)) : undefined;
    case 'incident.duration':
      return state.startedAt ? elapsed(new Date(state.startedAt), ctx.now) : undefined;
    case 'incident.actions':
      return actions(ctx.events);
    case 'incident.next_update':
      return ctx.updateEveryMs ? utc(new Date(ctx.now.getTime() + ctx.updateEveryMs)) : undefined;
    case 'playbook.title':
      return ctx.playbookTitle;
    case 'now':
      return utc(ctx.now);
    default:
      if (name.startsWith('vars.')) return ctx.vars?.[name.slice(5)];
      return ctx.fields?.[name];
  }
}

/** `2026-11-24 14:03 UTC`: unambiguous for readers in any time zone. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function elapsed(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}

/** One line per step run or tick so far: `- 14:03 check-health: passed`. */
function actions(events: readonly IncidentEvent[]): string {
  const lines = events
    .filter((e): e is StepRun | Extract<IncidentEvent, { kind: 'step.ticked' }> => e.kind === 'step.run' || e.kind === 'step.ticked')
    .map((e) => `- ${utc(new Date(e.at)).slice(11, 16)} ${e.step}: ${e.kind === 'step.run' ? e.verdict : 'done'}`);
  return lines.length > 0 ? lines.join('\n') : '- none yet';
}
