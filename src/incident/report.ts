// The post-incident report: the real timeline from the log, actions and their results, what failed, and the
// playbook's review checklist, as Markdown with the judgement sections left to fill.
import type { IncidentEvent, StepRun } from './events';
import { formatDuration } from '../playbook/duration';
import type { Playbook } from '../playbook/types';
import { checklistKey, type IncidentState } from './state';
import { utc } from './templates';

/** The checklist id under which the playbook's `post_incident.checklist` items are ticked. */
export const POST_INCIDENT_CHECKLIST = 'post_incident';

/** An item of a playbook checklist: which checklist, and its text (which names it in `checklist.ticked`). */
export interface ChecklistItemRef {
  checklist: string;
  item: string;
}

/** What the report takes from the playbook, when it is known. */
export interface ReportPlaybook {
  title?: string;
  checklist?: ChecklistItemRef[];
  actionItems?: { title: string; owner?: string; due?: string }[];
}

/** The playbook's title, `after` checklists and post-incident checklist (in `checklistsOf` order) and action items. */
export function fromPlaybook(playbook: Playbook | undefined): ReportPlaybook {
  const after = checklistsOf(playbook)
    .filter((c) => c.when === 'after')
    .flatMap((c) => c.items.map((item) => ({ checklist: c.id, item })));
  return { title: playbook?.title, checklist: after, actionItems: playbook?.post_incident?.action_items };
}

/** A checklist of the playbook, as the tree shows it for ticking. */
export interface PlaybookChecklist {
  id: string;
  title: string;
  when?: 'before' | 'during' | 'after';
  items: string[];
}

/** The playbook's checklists in order, then its post-incident checklist (under `POST_INCIDENT_CHECKLIST`). */
export function checklistsOf(playbook: Playbook | undefined): PlaybookChecklist[] {
  const lists: PlaybookChecklist[] = (playbook?.checklists ?? []).map((c) => ({
    id: c.id,
    title: c.title ?? c.id,
    when: c.when,
    items: c.items.map(checklistItemText),
  }));
  const post = playbook?.post_incident?.checklist ?? [];
  if (post.length > 0) lists.push({ id: POST_INCIDENT_CHECKLIST, title: 'Post-incident review', when: 'after', items: post });
  return lists;
}

/** The text of a checklist item, written as a string or as `{ text, role }`. */
export function checklistItemText(item: string | { text: string }): string {
  return typeof item === 'string' ? item : item.text;
}

export function renderReport(state: IncidentState, events: readonly IncidentEvent[], playbook: ReportPlaybook = {}): string {
  return [
    `# Post-incident report: ${state.id ?? 'incident'}${state.title ? ` — ${oneLine(state.title)}` : ''}`,
    '',
    summaryTable(state, playbook),
    section('Summary', ['_What happened, in two or three sentences._']),
    section('Impact', ['_Who was affected, how, and for how long._']),
    section('Timeline (UTC)', timeline(events)),
    section('Actions taken and their results', actions(events)),
    section('What failed', failures(events)),
    section('Root cause', ['_To fill in the review._']),
    section('Contributing factors', ['_To fill in the review._']),
    section('Action items', actionItems(playbook)),
    section('Post-incident checklist', checklist(state, playbook)),
  ].join('\n');
}

function section(title: string, lines: string[]): string {
  return [`## ${title}`, '', ...lines, ''].join('\n');
}

function summaryTable(state: IncidentState, playbook: ReportPlaybook): string {
  const rows: [string, string][] = [
    ['Incident', `${state.id ?? '?'}${state.drill ? ' (drill)' : ''}`],
    ['Severity', state.severity || '?'],
    ['Status', state.status],
    ['Commander', state.commander || '?'],
    ['Started', state.startedAt ? utc(new Date(state.startedAt)) : '?'],
    ['Resolved', state.resolvedAt ? utc(new Date(state.resolvedAt)) : 'not yet'],
    ['Duration', state.startedAt ? duration(state.startedAt, state.resolvedAt ?? state.lastEventAt ?? state.startedAt) : '?'],
    ['Playbook', playbook.title ?? state.playbook ?? '?'],
  ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''].join('\n');
}

function timeline(events: readonly IncidentEvent[]): string[] {
  const lines = events.map((e) => `- ${utc(new Date(e.at)).slice(11, 16)} ${describe(e)}`);
  return lines.length > 0 ? lines : ['- nothing recorded'];
}

function describe(e: IncidentEvent): string {
  switch (e.kind) {
    case 'incident.started':
      return `${e.drill ? 'Drill' : 'Incident'} started by ${e.actor}: ${oneLine(e.title)} (severity ${e.severity})`;
    case 'step.run':
      return `\`${e.step}\` ${e.verdict}${result(e)}${e.attempt ? ` (attempt ${e.attempt})` : ''} — ${e.actor}`;
    case 'step.ticked':
      return `\`${e.step}\` done${e.comment ? `: ${oneLine(e.comment)}` : ''} — ${e.actor}`;
    case 'checklist.ticked':
      return `Checklist \`${e.checklist}\`: ${e.checked ? 'ticked' : 'unticked'} “${oneLine(e.item)}” — ${e.actor}`;
    case 'note.added':
      return `Note (${e.actor}): ${oneLine(e.text)}`;
    case 'status.changed':
      return `Status ${e.from} → ${e.to} (${e.actor})`;
    case 'severity.changed':
      return `Severity ${e.from} → ${e.to} (${e.actor})`;
    case 'role.assigned':
      return `${e.person} is ${e.role}`;
    case 'notify.sent':
      return `Message \`${e.template}\` ${e.ok ? 'sent' : 'failed'} (${e.channel})${e.error ? `: ${oneLine(e.error)}` : ''}`;
    case 'incident.resolved':
      return `Resolved by ${e.actor}${e.summary ? `: ${oneLine(e.summary)}` : ''}`;
    case 'incident.reopened':
      return `Reopened by ${e.actor}${e.reason ? `: ${oneLine(e.reason)}` : ''}`;
  }
}

function result(e: StepRun): string {
  const code = e.httpStatus !== undefined ? `HTTP ${e.httpStatus}` : e.exitCode === null ? 'exit unknown' : `exit ${e.exitCode}`;
  return e.verdict === 'skipped' ? '' : `, ${code}, ${formatDuration(e.durationMs)}`;
}

function actions(events: readonly IncidentEvent[]): string[] {
  const runs = events.filter((e): e is StepRun => e.kind === 'step.run');
  if (runs.length === 0) return ['- no steps were run'];
  const byStep = new Map<string, StepRun[]>();
  for (const run of runs) byStep.set(run.step, [...(byStep.get(run.step) ?? []), run]);
  const rows = [...byStep].map(([step, list]) => {
    const last = list[list.length - 1];
    return `| \`${step}\` | ${list.length} | ${last.verdict}${result(last)} | ${cell(last.command)} |`;
  });
  return ['| Step | Runs | Last result | Command |', '|---|---|---|---|', ...rows];
}

function failures(events: readonly IncidentEvent[]): string[] {
  const failed = events.filter((e): e is StepRun => e.kind === 'step.run' && e.verdict !== 'passed' && e.verdict !== 'skipped');
  if (failed.length === 0) return ['Nothing that was run failed.'];
  return failed.flatMap((e) => {
    const output = [e.output.head, e.output.omittedBytes > 0 ? `… ${e.output.omittedBytes} bytes omitted …` : '', e.output.tail]
      .filter(Boolean)
      .join('\n')
      .trimEnd();
    const tail = output.split('\n').slice(-15).join('\n');
    return [
      `### \`${e.step}\` ${e.verdict} at ${utc(new Date(e.at)).slice(11, 16)}${result(e)}`,
      '',
      fence(e.command, 'sh'),
      '',
      ...(tail ? [fence(tail, 'text'), ''] : []),
    ];
  });
}

function actionItems(playbook: ReportPlaybook): string[] {
  const items = playbook.actionItems ?? [];
  const rows = items.map((i) => `| ${cell(i.title)} | ${cell(i.owner ?? '')} | ${cell(i.due ?? '')} | open |`);
  return ['| Action | Owner | Due | Status |', '|---|---|---|---|', ...rows, '| _add more_ | | | |'];
}

function checklist(state: IncidentState, playbook: ReportPlaybook): string[] {
  const items = playbook.checklist ?? [];
  const box = (i: ChecklistItemRef) => (state.checklists.has(checklistKey(i.checklist, i.item)) ? '[x]' : '[ ]');
  return items.length > 0 ? items.map((i) => `- ${box(i)} ${oneLine(i.item)}`) : ['- [ ] Hold the review', '- [ ] Share this report'];
}

/** A fenced block whose fence is longer than any backtick run inside, so output cannot close it. */
function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${lang}\n${text}\n${marks}`;
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function duration(from: string, to: string): string {
  return formatDuration(Date.parse(to) - Date.parse(from), 'minutes');
}
