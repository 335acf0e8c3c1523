// Evaluates a parsed `when:` condition against the results recorded so far, as docs/format.md "Conditions" defines.
import { parseCondition, type Comparator, type ConditionNode } from '../playbook/condition';
import { asText, compileRegExp, deepEqual, getPath, toNumber, type Lookup } from './values';

/** The last recorded result of a step, as a condition reads it. */
export interface StepFacts {
  verdict: 'passed' | 'failed' | 'skipped' | 'unknown';
  exitCode?: number;
  status?: number;
  durationMs?: number;
  output?: string;
  /** The parsed JSON response body; absent when there was none or it was not JSON. */
  json?: unknown;
}

/** Everything a condition may read. Steps that have not run in this incident are simply absent. */
export interface ConditionContext {
  steps: Readonly<Record<string, StepFacts | undefined>>;
  vars: Readonly<Record<string, string | undefined>>;
  severity?: string;
  incident?: { status?: string };
}

/** Whether the condition holds, and notes on anything that went wrong (an invalid regex, an unparsable condition). */
export interface Evaluation {
  value: boolean;
  notes: string[];
}

/** Parses and evaluates `when:` text; a condition that does not parse is false with a note. */
export function evaluateWhen(text: string, context: ConditionContext): Evaluation {
  const parsed = parseCondition(text);
  if (!parsed.ok) return { value: false, notes: [`the condition does not parse: ${parsed.error.message}`] };
  return evaluateCondition(parsed.ast, context);
}

/** Evaluates a condition AST. Never throws on user input. */
export function evaluateCondition(node: ConditionNode, context: ConditionContext): Evaluation {
  const notes: string[] = [];
  const value = truth(node, context, notes);
  return { value, notes };
}

function truth(node: ConditionNode, context: ConditionContext, notes: string[]): boolean {
  switch (node.type) {
    case 'and':
      return truth(node.left, context, notes) && truth(node.right, context, notes);
    case 'or':
      return truth(node.left, context, notes) || truth(node.right, context, notes);
    case 'not':
      return !truth(node.operand, context, notes);
    case 'compare':
      return compare(node.op, operand(node.left, context, notes), operand(node.right, context, notes), notes);
    default: {
      // A bare operand holds only when it is the boolean true (`steps.x.passed`, or a JSON field that is `true`).
      const found = operand(node, context, notes);
      return found.found && found.value === true;
    }
  }
}

function operand(node: ConditionNode, context: ConditionContext, notes: string[]): Lookup {
  if (node.type === 'literal') return { found: true, value: node.value };
  if (node.type === 'ref') return resolve(node.path, context);
  return { found: true, value: truth(node, context, notes) };
}

const ABSENT: Lookup = { found: false };

function present(value: unknown): Lookup {
  return value === undefined ? ABSENT : { found: true, value };
}

/** The value a reference names, or absent. */
export function resolve(path: readonly string[], context: ConditionContext): Lookup {
  const [root, ...rest] = path;
  if (root === 'severity' && rest.length === 0) return present(context.severity);
  if (root === 'incident' && rest.length === 1 && rest[0] === 'status') return present(context.incident?.status);
  if (root === 'vars' && rest.length === 1) return own(context.vars, rest[0]);
  if (root === 'steps' && rest.length >= 2) return stepField(own(context.steps, rest[0]), rest.slice(1));
  return ABSENT;
}

function own(map: Readonly<Record<string, unknown>>, key: string): Lookup {
  return Object.prototype.hasOwnProperty.call(map, key) ? present(map[key]) : ABSENT;
}

function stepField(step: Lookup, path: string[]): Lookup {
  const facts = step.found ? (step.value as StepFacts) : undefined;
  const [field, ...rest] = path;
  if (field === 'passed' || field === 'failed' || field === 'skipped') {
    return rest.length === 0 ? { found: true, value: facts?.verdict === field } : ABSENT;
  }
  if (!facts) return ABSENT;
  if (field === 'json') return facts.json === undefined ? ABSENT : getPath(facts.json, rest);
  if (rest.length > 0) return ABSENT;
  if (field === 'exit_code') return present(facts.exitCode);
  if (field === 'status') return present(facts.status);
  if (field === 'duration') return present(facts.durationMs === undefined ? undefined : facts.durationMs / 1000);
  if (field === 'output') return present(facts.output);
  return ABSENT;
}

/** A comparison with an absent side is false (so `!=` is false too, and `not` of it true). */
function compare(op: Comparator, left: Lookup, right: Lookup, notes: string[]): boolean {
  if (!left.found || !right.found) return false;
  const a = left.value;
  const b = right.value;
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'contains':
      return contains(a, b);
    case 'matches':
      return matches(a, b, notes);
    default:
      return ordered(op, a, b, notes);
  }
}

/**
 * Numbers and numeric strings compare as numbers (`vars.PORT == 5002`); a boolean equals the text `"true"`/`"false"`,
 * since variables are always text; everything else compares structurally.
 */
function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== undefined && y !== undefined) return x === y;
  }
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a;
  return deepEqual(a, b);
}

function ordered(op: Comparator, a: unknown, b: unknown, notes: string[]): boolean {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === undefined || y === undefined) {
    notes.push(`\`${op}\` compares numbers, but got ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    return false;
  }
  if (op === '>') return x > y;
  if (op === '>=') return x >= y;
  if (op === '<') return x < y;
  return x <= y;
}

/** Text contains text; a JSON array contains an element equal to the right side. */
function contains(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return a.some((item) => equal(item, b));
  if (typeof a === 'object' || a === null || typeof b === 'object') return false;
  return asText(a).includes(asText(b));
}

function matches(a: unknown, b: unknown, notes: string[]): boolean {
  if (typeof b !== 'string') {
    notes.push('`matches` needs a regular expression in a string on its right');
    return false;
  }
  const compiled = compileRegExp(b);
  if (!compiled.ok) {
    notes.push(compiled.error);
    return false;
  }
  if (typeof a === 'object') return false;
  return compiled.regex.test(asText(a));
}
