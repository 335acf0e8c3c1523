// `playbook report <incident.jsonl> [--playbook FILE]`: the post-incident report as Markdown on stdout.
import { readFileSync } from 'node:fs';
import type { IncidentEvent } from '../incident/events';
import { fromPlaybook, renderReport, type ReportPlaybook } from '../incident/report';
import { foldIncident } from '../incident/state';
import { readIncidentLog } from '../incident/store';
import { PlaybookAnalyzer } from '../playbook/analyze';
import type { Playbook } from '../playbook/types';

export async function reportCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--playbook');
  const playbookIndex = args.indexOf('--playbook');
  const playbookFile = playbookIndex === -1 ? undefined : args[playbookIndex + 1];
  if (files.length !== 1 || (playbookIndex !== -1 && !playbookFile) || args.some((a) => a.startsWith('--') && a !== '--playbook')) {
    err('Usage: playbook report <incident.jsonl> [--playbook FILE]');
    return 2;
  }
  const log = await readIncidentLog(files[0]);
  if (log.problems.some((p) => p.code === 'UNREADABLE_FILE')) {
    err(`playbook report: cannot read ${files[0]}`);
    return 2;
  }
  for (const p of log.problems) err(`${files[0]}:${p.line ?? '?'}: warning ${p.code}: ${p.message}`);
  const events = log.events.filter((e): e is IncidentEvent => e.kind !== 'unknown');
  out(renderReport(foldIncident(events), events, playbookFile ? reportPlaybook(playbookFile) : {}));
  return 0;
}

/** The playbook's title, post-incident checklist and action items, for the report. */
export function reportPlaybook(file: string): ReportPlaybook {
  try {
    const playbook = new PlaybookAnalyzer().analyze(readFileSync(file, 'utf8')).value as Playbook | undefined;
    return fromPlaybook(playbook);
  } catch {
    return {};
  }
}
