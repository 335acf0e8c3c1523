// Validates the plain document against the JSON Schema with Ajv, and places each error on its own key or value.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isSeq, type Node } from 'yaml';
import schemaJson from '../../schemas/playbook.schema.json';
import { validatePlaybook, validateScenario } from './generated/validatePlaybook';
import { problem, type Problem, type Span } from './problems';
import { describePath } from './describe';
import { didYouMean } from './suggest';
import { findPair, headSpan, spanOf, type Locator } from './yamlNodes';

export const playbookSchema = schemaJson as unknown as Record<string, unknown>;

const DURATION_PATTERN = (playbookSchema.definitions as Record<string, { pattern?: string }>).duration.pattern;
const ID_PATTERN = (playbookSchema.definitions as Record<string, { pattern?: string }>).id.pattern;

/** Validates with the schema compiled at build time (scripts/generate-validator.mjs), so nothing compiles at run time. */
export class SchemaValidator {
  private readonly validateFn = validatePlaybook as unknown as ValidateFunction;
  private readonly validateScenarioFn = validateScenario as unknown as ValidateFunction;

  /** Problems of the whole plain document; `locate` finds the nodes they are placed on. */
  validate(locate: Locator, value: unknown): Problem[] {
    return this.errors(value).map((e) => schemaProblem(locate, e));
  }

  /** Schema errors of the whole plain document, the noise of failed `oneOf` branches left out. */
  errors(value: unknown): ErrorObject[] {
    if (value === undefined || value === null || this.validateFn(value)) return [];
    return relevantErrors(this.validateFn.errors ?? []);
  }

  /** Schema errors of one scenario item; their paths count from the item. */
  scenarioErrors(value: unknown): ErrorObject[] {
    return this.validateScenarioFn(value) ? [] : relevantErrors(this.validateScenarioFn.errors ?? []);
  }
}

/**
 * Ajv reports every failed branch of a `oneOf`. Keep the branch whose type matches the data
 * (its errors are the useful ones); when no branch's type matches, keep only the `oneOf` summary.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    const branches = (oneOf.schema as Record<string, unknown>[]) ?? [];
    const matching = branches.findIndex((b) => typeMatches(b.type, oneOf.data));
    const prefix = `${oneOf.schemaPath}/`;
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      if (branch !== matching) drop.add(e);
    }
    if (matching !== -1) drop.add(oneOf);
  }
  return errors.filter((e) => !drop.has(e) && e.keyword !== 'if');
}

function typeMatches(type: unknown, data: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = jsonType(data);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

function jsonType(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'array';
  if (typeof data === 'number') return Number.isInteger(data) ? 'integer' : 'number';
  return typeof data;
}

function pathOf(e: ErrorObject): string[] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Places a schema error found by SchemaValidator on its key or value, with a message for people. */
export function schemaProblem(doc: Locator, e: ErrorObject): Problem {
  const path = pathOf(e);
  const where = describePath(doc, path);
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownKey(doc, path, where, e);
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return problem('MISSING_KEY', 'error', `${capitalise(where)} is missing the required key \`${missing}\``, mapHead(doc, path));
    }
    case 'propertyNames':
      return problem(
        'INVALID_VALUE',
        'error',
        `\`${(e.params as { propertyName: string }).propertyName}\` is not a valid variable name: use letters, digits and \`_\`, not starting with a digit`,
        keySpanOf(doc, path, (e.params as { propertyName: string }).propertyName),
      );
    default:
      return valueProblem(doc, path, where, e);
  }
}

function unknownKey(doc: Locator, path: string[], where: string, e: ErrorObject): Problem {
  const key = (e.params as { additionalProperty: string }).additionalProperty;
  const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown>) ?? {});
  const message = `unknown key \`${key}\` in ${where}${didYouMean(key, allowed)}`;
  return problem('UNKNOWN_KEY', 'error', message, keySpanOf(doc, path, key));
}

function keySpanOf(doc: Locator, path: string[], key: string): Span {
  const node = doc(path).node;
  const pair = isMap(node) ? findPair(node, key) : undefined;
  return pair ? spanOf(pair.key as Node) : mapHead(doc, path);
}

function mapHead(doc: Locator, path: string[]): Span {
  const node = doc(path).node;
  return node ? headSpan(node) : valueSpanAt(doc, path);
}

/** The value's span, or its key's when the value is empty (`run:` with nothing after it). */
function valueSpanAt(doc: Locator, path: string[]): Span {
  const located = doc(path);
  const value = spanOf(located.node, { start: 0, end: 0 });
  if (value.end > value.start && !(isMap(located.node) || isSeq(located.node))) return value;
  if (located.pair) return spanOf(located.pair.key as Node);
  if (located.node) return headSpan(located.node);
  return located.parent ? headSpan(located.parent) : { start: 0, end: 0 };
}

function valueProblem(doc: Locator, path: string[], where: string, e: ErrorObject): Problem {
  const span = valueSpanAt(doc, path);
  const shown = show(e.data);
  switch (e.keyword) {
    case 'type':
      return problem(
        'WRONG_TYPE',
        'error',
        `${capitalise(where)} must be ${typeWords(e.params as { type: string | string[] })}, not ${article(jsonType(e.data))}`,
        span,
      );
    case 'pattern':
      return problem('INVALID_VALUE', 'error', patternMessage(where, shown, (e.params as { pattern: string }).pattern), span);
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      return problem(
        'INVALID_VALUE',
        'error',
        `${shown} is not a valid value for ${where}; expected one of ${allowed.join(', ')}${didYouMean(String(e.data), allowed)}`,
        span,
      );
    }
    case 'const':
      return problem(
        'INVALID_VALUE',
        'error',
        `${capitalise(where)} must be ${String((e.params as { allowedValue: unknown }).allowedValue)}`,
        span,
      );
    case 'oneOf':
    case 'anyOf':
      return problem('WRONG_TYPE', 'error', `${capitalise(where)} must be ${branchWords(e.schema)}`, span);
    case 'minLength':
      return problem('INVALID_VALUE', 'error', `${capitalise(where)} must not be empty`, span);
    case 'minimum':
      return problem(
        'INVALID_VALUE',
        'error',
        `${capitalise(where)} must be at least ${String((e.params as { limit: number }).limit)}`,
        span,
      );
    default:
      return problem('INVALID_VALUE', 'error', `${capitalise(where)} ${e.message ?? 'is not valid'}`, span);
  }
}

function patternMessage(where: string, shown: string, pattern: string): string {
  if (pattern === DURATION_PATTERN) return `${shown} is not a duration for ${where}; write it like \`30s\`, \`15m\`, \`1h30m\` or \`2d\``;
  if (pattern === ID_PATTERN)
    return `${shown} is not a valid id for ${where}: use letters, digits, \`-\` and \`_\`, starting with a letter or digit`;
  return `${shown} does not have the form expected for ${where}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: '`true` or `false`',
  array: 'a list',
  object: 'a mapping of keys to values',
  null: 'empty',
};

function typeWords(params: { type: string | string[] }): string {
  const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
  return joinWords(types.map((t) => TYPE_WORDS[t] ?? t));
}

function branchWords(schema: unknown): string {
  const branches = Array.isArray(schema) ? (schema as { type?: string; items?: { type?: string } }[]) : [];
  const words = branches.map((b) =>
    b.type === 'array' && b.items?.type
      ? `a list of ${TYPE_WORDS[b.items.type]?.replace(/^an? /, '') ?? b.items.type}`
      : (TYPE_WORDS[b.type ?? ''] ?? 'a valid value'),
  );
  return joinWords(words);
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function article(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

function show(data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `\`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\``;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
