// Completion items for a cursor position: schema keys and values, ids, variables, placeholders, condition terms.
import type { Analysis } from './analyze';
import { STEP_FIELDS } from './condition';
import { cursorContext, type CursorContext } from './cursor';
import { INCIDENT_PLACEHOLDERS } from './references';
import { SchemaNavigator, typesOf, type SchemaNode } from './schemaNav';

export type CompletionKind = 'property' | 'value' | 'reference' | 'variable' | 'placeholder' | 'keyword';

/** A completion in plain terms; `insertText` uses VS Code snippet syntax when `snippet` is true. */
export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText: string;
  snippet: boolean;
  /** Text offsets replaced by the completion. */
  start: number;
  end: number;
  sortText?: string;
}

const REFERENCE_KEYS: Record<string, 'severities' | 'roles' | 'templates' | 'variables'> = {
  severity: 'severities',
  role: 'roles',
  to: 'roles',
  escalate_to: 'roles',
  owner: 'roles',
  template: 'templates',
  notify: 'templates',
  webhook: 'variables',
};

export function complete(text: string, offset: number, analysis: Analysis | undefined, schema: SchemaNavigator): Completion[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const linePrefix = text.slice(lineStart, offset);
  const inline = inlineReference(linePrefix, offset, analysis);
  if (inline) return inline;
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  return ctx.position === 'key' ? keyCompletions(ctx, schema, offset) : valueCompletions(ctx, schema, analysis, offset);
}

/** `${VAR` and `{{field` complete wherever they are typed, including inside block scalars. */
function inlineReference(linePrefix: string, offset: number, analysis: Analysis | undefined): Completion[] | undefined {
  const variable = /\$\{([A-Za-z0-9_]*)$/.exec(linePrefix);
  if (variable) {
    const start = offset - variable[1].length;
    return (analysis?.model.variables ?? []).map((v) => ({
      label: v.name,
      kind: 'variable',
      detail: v.secret ? 'secret variable' : v.defaultValue !== undefined ? `default: ${v.defaultValue}` : 'variable',
      documentation: v.description,
      insertText: `${v.name}}`,
      snippet: false,
      start,
      end: offset,
    }));
  }
  const placeholder = /\{\{\s*([A-Za-z0-9_.]*)$/.exec(linePrefix);
  if (placeholder) {
    const start = offset - placeholder[1].length;
    const names: [string, string][] = [
      ...Object.entries(INCIDENT_PLACEHOLDERS),
      ...(analysis?.model.variables ?? []).map((v): [string, string] => [`vars.${v.name}`, v.description ?? 'variable']),
    ];
    return names.map(([name, doc]) => ({
      label: name,
      kind: 'placeholder',
      documentation: doc,
      insertText: `${name}}}`,
      snippet: false,
      start,
      end: offset,
    }));
  }
  return undefined;
}

function keyCompletions(ctx: CursorContext, schema: SchemaNavigator, offset: number): Completion[] {
  const node = schema.at(ctx.path);
  const properties = schema.properties(node);
  const required = new Set(node?.required ?? []);
  return Object.entries(properties)
    .filter(([key]) => !ctx.siblings.has(key))
    .map(([key, raw]) => {
      const prop = schema.resolve(raw);
      return {
        label: key,
        kind: 'property' as const,
        detail: typeLabel(prop),
        documentation: schema.description(prop),
        insertText: keyInsert(key, prop, ctx),
        snippet: true,
        start: ctx.prefixStart,
        end: offset,
        sortText: `${required.has(key) ? '0' : '1'}${key}`,
      };
    });
}

function keyInsert(key: string, prop: SchemaNode | undefined, ctx: CursorContext): string {
  const types = typesOf(prop);
  // VS Code re-indents continuation lines of an inserted snippet to the current line's indentation.
  const indent = ctx.linePrefix.trimStart().startsWith('-')
    ? ' '.repeat(ctx.linePrefix.length - ctx.prefix.length - (ctx.linePrefix.length - ctx.linePrefix.trimStart().length))
    : '';
  if (types.length === 1 && types[0] === 'object' && !prop?.additionalProperties) return `${key}:\n${indent}  $0`;
  if (types.length === 1 && types[0] === 'array') return `${key}:\n${indent}  - $0`;
  if (key === 'run' || key === 'body' || key === 'report_template') return `${key}: |\n${indent}  $0`;
  if (prop?.enum && prop.enum.length > 0) return `${key}: \${1|${prop.enum.map(String).join(',')}|}`;
  if (prop?.const !== undefined) return `${key}: ${String(prop.const)}`;
  return `${key}: $0`;
}

function typeLabel(prop: SchemaNode | undefined): string | undefined {
  const types = typesOf(prop);
  if (prop?.pattern && prop.description?.startsWith('A duration')) return 'duration';
  return types.length > 0 ? types.join(' | ') : undefined;
}

function valueCompletions(ctx: CursorContext, schema: SchemaNavigator, analysis: Analysis | undefined, offset: number): Completion[] {
  const key = ctx.key ?? '';
  const start = ctx.prefixStart;
  if (key === 'when') return conditionCompletions(ctx, analysis, offset);
  const refs = referenceCompletions(key, ctx, analysis, start, offset);
  if (refs) return refs;
  const prop = schema.at([...ctx.path, key]);
  const values: unknown[] =
    prop?.enum ?? (prop?.const !== undefined ? [prop.const] : typesOf(prop).includes('boolean') ? [true, false] : []);
  return values.map((v) => ({
    label: String(v),
    kind: 'value' as const,
    documentation: schema.description(prop),
    insertText: String(v),
    snippet: false,
    start,
    end: offset,
  }));
}

function referenceCompletions(
  key: string,
  ctx: CursorContext,
  analysis: Analysis | undefined,
  start: number,
  offset: number,
): Completion[] | undefined {
  const target = REFERENCE_KEYS[key];
  const model = analysis?.model;
  if (!target || !model) return undefined;
  // `notify:` on a step is an object, not a template reference; only escalations use it as an id.
  if (key === 'notify' && ctx.path[ctx.path.length - 2] !== 'escalation') return undefined;
  if (target === 'variables') {
    return model.variables.map((v) => ({
      label: v.name,
      kind: 'variable' as const,
      detail: v.secret ? 'secret variable' : 'variable',
      documentation: v.description,
      insertText: v.name,
      snippet: false,
      start,
      end: offset,
    }));
  }
  return model[target].map((item) => ({
    label: item.id,
    kind: 'reference' as const,
    detail: item.title,
    insertText: item.id,
    snippet: false,
    start,
    end: offset,
  }));
}

function conditionCompletions(ctx: CursorContext, analysis: Analysis | undefined, offset: number): Completion[] {
  const term = /[A-Za-z0-9_.\-[\]]*$/.exec(ctx.prefix)?.[0] ?? '';
  const start = offset - term.length;
  const make = (label: string, kind: CompletionKind, detail?: string): Completion => ({
    label,
    kind,
    detail,
    insertText: label,
    snippet: false,
    start,
    end: offset,
  });
  const model = analysis?.model;
  const stepField = /^steps\.([A-Za-z0-9_-]+)\.[A-Za-z_]*$/.exec(term);
  if (stepField) return STEP_FIELDS.map((f) => make(`steps.${stepField[1]}.${f}`, 'keyword'));
  if (term.startsWith('steps.')) {
    return (model?.steps ?? []).filter((s) => s.id !== undefined).map((s) => make(`steps.${s.id}.`, 'reference', s.title));
  }
  if (term.startsWith('vars.')) return (model?.variables ?? []).map((v) => make(`vars.${v.name}`, 'variable', v.description));
  return ['steps.', 'vars.', 'severity', 'incident.status', 'and', 'or', 'not', 'contains', 'matches'].map((w) => make(w, 'keyword'));
}
