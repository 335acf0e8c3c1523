// Problems found in a playbook: a code, a severity, a message for people, and the text offsets they cover.

/** Every diagnostic the core can report; tests check codes and ranges, not wording. */
export type ProblemCode =
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'TABS'
  | 'NOT_A_PLAYBOOK'
  | 'TOO_LARGE'
  | 'UNKNOWN_KEY'
  | 'MISSING_KEY'
  | 'WRONG_TYPE'
  | 'INVALID_VALUE'
  | 'DUPLICATE_ID'
  | 'STEP_KIND_MISSING'
  | 'STEP_KIND_CONFLICT'
  | 'UNDEFINED_VARIABLE'
  | 'UNDEFINED_SEVERITY'
  | 'UNDEFINED_ROLE'
  | 'UNDEFINED_TEMPLATE'
  | 'UNDEFINED_STEP'
  | 'FORWARD_STEP_REFERENCE'
  | 'INVALID_CONDITION'
  | 'EMPTY_COMMAND'
  | 'DESTRUCTIVE_WITHOUT_CONFIRM'
  | 'UNKNOWN_PLACEHOLDER'
  | 'EMPTY_SCENARIO'
  | 'SECRET_DEFAULT'
  | 'STEP_WITHOUT_TITLE';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** A problem at [start, end) in the document text. */
export interface Problem {
  code: ProblemCode;
  severity: ProblemSeverity;
  message: string;
  start: number;
  end: number;
}

/** A half-open range of text offsets. */
export interface Span {
  start: number;
  end: number;
}

export function problem(code: ProblemCode, severity: ProblemSeverity, message: string, span: Span): Problem {
  return { code, severity, message, start: span.start, end: Math.max(span.end, span.start) };
}

/** Orders problems by position, then code, so output is stable. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
}
