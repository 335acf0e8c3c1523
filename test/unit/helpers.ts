// Test helpers: joined lines, and fixture text with ⟦range⟧ and ¦cursor markers.
import { PlaybookAnalyzer, type Analysis } from '../../src/playbook/analyze';
import type { Problem, ProblemCode } from '../../src/playbook/problems';

export function joinLines(...lines: string[]): string {
  return lines.join('\n');
}

export interface Marked {
  text: string;
  ranges: { start: number; end: number }[];
  cursor: number;
}

/** Strips `⟦…⟧` range markers and one `¦` cursor marker, recording their offsets in the clean text. */
export function marked(source: string): Marked {
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  let text = '';
  let cursor = -1;
  for (const ch of source) {
    if (ch === '⟦') open.push(text.length);
    else if (ch === '⟧') ranges.push({ start: open.pop() as number, end: text.length });
    else if (ch === '¦') cursor = text.length;
    else text += ch;
  }
  return { text, ranges, cursor };
}

const analyzer = new PlaybookAnalyzer();

export function analyze(text: string): Analysis {
  return analyzer.analyze(text);
}

export function problemsWith(text: string, code: ProblemCode): Problem[] {
  return analyze(text).problems.filter((p) => p.code === code);
}

/** The text a problem covers, to assert ranges readably. */
export function covered(text: string, p: { start: number; end: number }): string {
  return text.slice(p.start, p.end);
}

/** A valid playbook around the given step lines (indented as steps of one scenario). */
export function withSteps(...stepLines: string[]): string {
  return joinLines(
    'version: 1',
    'title: Test',
    'variables:',
    '  BASE_URL:',
    '    default: http://localhost:5002',
    'severities:',
    '  - id: P1',
    'roles:',
    '  - id: commander',
    'templates:',
    '  - id: initial',
    '    body: "{{incident.id}}"',
    'scenarios:',
    '  - id: crash',
    '    title: Crash',
    '    steps:',
    ...stepLines.map((l) => `      ${l}`),
  );
}
