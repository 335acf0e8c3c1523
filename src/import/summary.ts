// One line a person reads after an import: what came across and what was kept as notes.
import type { ImportSummary } from './markdown';

export function describeImport(summary: ImportSummary, warnings: readonly string[]): string {
  const steps = summary.steps.run + summary.steps.http + summary.steps.manual + summary.steps.notify;
  const parts = [
    `${summary.scenarios} scenario(s)`,
    `${summary.phases} phase(s)`,
    `${steps} step(s) (${summary.steps.run} run, ${summary.steps.manual} manual, ${summary.steps.notify} notify, ${summary.steps.http} http)`,
    `${summary.variables} variable(s)`,
    `${summary.severities} severities`,
    `${summary.roles} role(s)`,
    `${summary.templates} template(s)`,
    `${summary.checklists} checklist(s)`,
    `${summary.notes} kept as notes`,
  ];
  return `${parts.join(', ')}${warnings.length > 0 ? `; ${warnings.length} warning(s)` : ''}`;
}

/** `runbook.md` → `runbook.playbook.yaml`, beside it. */
export function playbookNameFor(markdownPath: string): string {
  return markdownPath.replace(/\.(md|markdown|txt)$/i, '') + '.playbook.yaml';
}
