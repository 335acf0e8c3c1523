// Hover text: the schema's description for keys, and what an id, variable or placeholder refers to.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Analysis } from './analyze';
import type { Span } from './problems';
import { findPlaceholders, findVariableRefs, INCIDENT_PLACEHOLDERS } from './references';
import type { SchemaNavigator } from './schemaNav';
import { keyName, spanOf } from './yamlNodes';

export interface Hover {
  markdown: string;
  start: number;
  end: number;
}

interface Hit {
  path: (string | number)[];
  /** The scalar under the cursor. */
  node: Node;
  onKey: boolean;
}

/** The deepest scalar at `offset`, with the path of keys and indexes leading to it. */
export function scalarAt(doc: Document, offset: number): Hit | undefined {
  const path: (string | number)[] = [];
  let node = doc.contents as Node | null;
  while (node) {
    if (isMap(node)) {
      const pair = node.items.find((p) => contains(p.key as Node, offset) || contains(p.value as Node, offset));
      if (!pair) return undefined;
      const key = keyName(pair as Pair) ?? '';
      if (contains(pair.key as Node, offset)) return { path: [...path, key], node: pair.key as Node, onKey: true };
      path.push(key);
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item as Node, offset));
      if (index === -1) return undefined;
      path.push(index);
      node = node.items[index] as Node;
    } else {
      return isScalar(node) ? { path, node, onKey: false } : undefined;
    }
  }
  return undefined;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const range = node?.range;
  return !!range && range[0] <= offset && offset <= range[1];
}

export function hover(analysis: Analysis, offset: number, schema: SchemaNavigator): Hover | undefined {
  if (!analysis.doc) return undefined;
  const hit = scalarAt(analysis.doc, offset);
  if (!hit) return undefined;
  const span = spanOf(hit.node);
  if (hit.onKey) return keyHover(hit, span, schema);
  return inlineHover(analysis, hit, offset) ?? referenceHover(analysis, hit, span) ?? undefined;
}

function keyHover(hit: Hit, span: Span, schema: SchemaNavigator): Hover | undefined {
  const node = schema.at(hit.path);
  const text = schema.description(node);
  if (!text) return undefined;
  const key = String(hit.path[hit.path.length - 1]);
  return { markdown: `**${key}**\n\n${text}`, ...span };
}

/** `${VAR}` or `{{placeholder}}` under the cursor. */
function inlineHover(analysis: Analysis, hit: Hit, offset: number): Hover | undefined {
  const span = spanOf(hit.node);
  const source = analysis.text.slice(span.start, span.end);
  const at = offset - span.start;
  const variable = findVariableRefs(source).find((r) => r.start <= at && at <= r.end);
  if (variable) {
    const v = analysis.model.variables.find((x) => x.name === variable.name);
    const body = !v
      ? 'Not declared in `variables`.'
      : [
          v.description,
          v.secret
            ? 'Secret: kept in secret storage, redacted from the log.'
            : v.defaultValue !== undefined
              ? `Default: \`${v.defaultValue}\``
              : 'No default: you are asked for a value.',
        ]
          .filter(Boolean)
          .join('\n\n');
    return { markdown: `**\${${variable.name}}**\n\n${body}`, start: span.start + variable.start, end: span.start + variable.end };
  }
  const placeholder = findPlaceholders(source).find((r) => r.start <= at && at <= r.end);
  if (placeholder) {
    const doc =
      INCIDENT_PLACEHOLDERS[placeholder.name] ??
      (placeholder.name.startsWith('vars.') ? `Value of variable \`${placeholder.name.slice(5)}\`` : 'A field filled in before sending.');
    return { markdown: `**{{${placeholder.name}}}**\n\n${doc}`, start: span.start + placeholder.start, end: span.start + placeholder.end };
  }
  return undefined;
}

const REFERENCE_LISTS: Record<string, 'severities' | 'roles' | 'templates'> = {
  severity: 'severities',
  role: 'roles',
  to: 'roles',
  escalate_to: 'roles',
  template: 'templates',
};

function referenceHover(analysis: Analysis, hit: Hit, span: Span): Hover | undefined {
  const key = String(hit.path[hit.path.length - 1]);
  const list =
    REFERENCE_LISTS[key] ??
    (typeof hit.path[hit.path.length - 1] === 'number' && hit.path[hit.path.length - 2] === 'severities' && hit.path.length > 2
      ? 'severities'
      : undefined);
  if (!list || !isScalar(hit.node)) return undefined;
  const id = String(hit.node.value);
  const target = analysis.model[list].find((t) => t.id === id);
  if (!target) return undefined;
  const details = summarise(target.node.toJSON() as Record<string, unknown>);
  return { markdown: `**${id}**${target.title ? ` — ${target.title}` : ''}\n\n${details}`, ...span };
}

function summarise(value: Record<string, unknown>): string {
  return Object.entries(value)
    .filter(([k, v]) => k !== 'id' && k !== 'name' && k !== 'title' && (typeof v === 'string' || typeof v === 'number'))
    .slice(0, 8)
    .map(([k, v]) => `- ${k.replace(/_/g, ' ')}: ${String(v).split('\n')[0]}`)
    .join('\n');
}
