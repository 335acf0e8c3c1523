// Turns playbook text into a YAML document, a plain value for schema checks, and the structural model.
import { visit, type Document, type Node, type YAMLError } from 'yaml';
import { problem, type Problem, type Span } from './problems';
import { emptyModel, type PlaybookModel } from './model';
import { buildModel } from './buildModel';
import { parseYaml, plainOf } from './fastYaml';
import { headSpan, spanOf } from './yamlNodes';

/** Files larger than this are not validated: a clear message beats a frozen editor. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface ParseOptions {
  maxBytes?: number;
}

export interface ParsedPlaybook {
  text: string;
  doc?: Document;
  /** The document as plain data, when it could be built. */
  value?: unknown;
  model: PlaybookModel;
  /** Syntax and file-level problems; schema and semantic checks come later. */
  problems: Problem[];
}

export function parsePlaybook(text: string, options: ParseOptions = {}): ParsedPlaybook {
  const refused = refusal(text, options);
  if (refused) return { text, model: emptyModel(), problems: [refused] };
  const doc = safeParse(text);
  if (!doc) {
    const end = Math.min(text.length, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
    return {
      text,
      model: emptyModel(),
      problems: [problem('YAML_SYNTAX', 'error', 'the YAML is nested too deeply to read', { start: 0, end })],
    };
  }
  const problems = yamlProblems(doc);
  const { value, problem: valueProblem } = plainValue(doc);
  if (valueProblem) problems.push(valueProblem);
  return { text, doc, value, model: buildModel(doc), problems };
}

/** Why `text` is not parsed at all (too large, binary), if it is not. */
function refusal(text: string, options: ParseOptions): Problem | undefined {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (text.length > maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return problem(
      'TOO_LARGE',
      'warning',
      `this file is ${mb(text.length)}; playbooks over ${mb(maxBytes)} are not validated (setting \`playbook.validation.maxFileSize\`)`,
      { start: 0, end: 0 },
    );
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    return problem('NOT_A_PLAYBOOK', 'error', 'this file contains binary data (a NUL byte), not YAML text', { start: nul, end: nul + 1 });
  }
  return undefined;
}

function safeParse(text: string): Document | undefined {
  try {
    return parseYaml(text);
  } catch (error) {
    // Pathologically deep nesting overflows the parser's stack; report it instead of crashing.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function yamlProblems(doc: Document): Problem[] {
  const toProblem = (e: YAMLError, severity: 'error' | 'warning'): Problem => {
    const code = e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : e.code === 'TAB_AS_INDENT' ? 'TABS' : 'YAML_SYNTAX';
    const span = { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) };
    return problem(code, severity, humanYamlMessage(e), span);
  };
  return [...doc.errors.map((e) => toProblem(e, 'error')), ...doc.warnings.map((e) => toProblem(e, 'warning'))];
}

function humanYamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (e.code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML; use spaces';
  if (e.code === 'DUPLICATE_KEY') return `${first}; the second one would silently replace the first`;
  return first;
}

function plainValue(doc: Document): { value?: unknown; problem?: Problem } {
  try {
    return { value: plainOf(doc, { maxAliasCount: 100 }) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { problem: problem('YAML_SYNTAX', 'error', `cannot read the document: ${error.message}`, firstAliasSpan(doc)) };
  }
}

function firstAliasSpan(doc: Document): Span {
  let span: Span | undefined;
  visit(doc, {
    Alias(_key, node) {
      span = spanOf(node);
      return visit.BREAK;
    },
  });
  return span ?? headSpan(doc.contents as Node);
}
