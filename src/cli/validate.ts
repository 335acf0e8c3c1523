// `playbook validate`: the editor's diagnostics for files on disk, as text or JSON, for CI.
import { readFileSync } from 'node:fs';
import { PlaybookAnalyzer } from '../playbook/analyze';
import { LineIndex } from '../playbook/lineIndex';
import type { Problem } from '../playbook/problems';

export interface FileDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Problem['severity'];
  code: string;
  message: string;
}

export interface ValidateOutcome {
  diagnostics: FileDiagnostic[];
  /** Files that could not be read, with the reason. */
  unreadable: { file: string; reason: string }[];
}

export function validateFiles(files: string[], analyzer = new PlaybookAnalyzer()): ValidateOutcome {
  const outcome: ValidateOutcome = { diagnostics: [], unreadable: [] };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      outcome.unreadable.push({ file, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
      continue;
    }
    outcome.diagnostics.push(...diagnosticsFor(file, text, analyzer));
  }
  return outcome;
}

export function diagnosticsFor(file: string, text: string, analyzer: PlaybookAnalyzer): FileDiagnostic[] {
  const lines = new LineIndex(text);
  return analyzer.analyze(text).problems.map((p) => {
    const start = lines.positionAt(p.start);
    const end = lines.positionAt(p.end);
    return {
      file,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      severity: p.severity,
      code: p.code,
      message: p.message,
    };
  });
}

export function formatText(outcome: ValidateOutcome, fileCount: number): string {
  const lines = outcome.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  for (const u of outcome.unreadable) lines.push(`${u.file}: error UNREADABLE: cannot read the file (${u.reason})`);
  const count = (s: Problem['severity']) => outcome.diagnostics.filter((d) => d.severity === s).length;
  lines.push(
    `${fileCount} file(s): ${count('error') + outcome.unreadable.length} error(s), ${count('warning')} warning(s), ${count('info')} info`,
  );
  return lines.join('\n');
}

export function hasErrors(outcome: ValidateOutcome): boolean {
  return outcome.unreadable.length > 0 || outcome.diagnostics.some((d) => d.severity === 'error');
}
