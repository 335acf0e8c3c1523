// Turns playbook text into a YAML document, a plain value for schema checks, and the structural model.
import { parseDocument, isMap, isSeq, isPair, visit, type Document, type Node, type YAMLMap, type YAMLError } from 'yaml';
import { problem, type Problem, type Span } from './problems';
import {
  emptyModel, STEP_KINDS, type NamedModel, type NodePath, type PhaseModel, type PlaybookModel, type ScenarioModel,
  type StepKind, type StepModel, type VariableModel,
} from './model';
import { findPair, headSpan, keyName, scalarText, spanOf } from './yamlNodes';

/** Files larger than this are not validated: a clear message beats a frozen editor. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface ParseOptions {
  maxBytes?: number;
}

/** Something that may parse the text faster from an earlier version (see ChunkCache); undefined means "parse it whole". */
export interface IncrementalParser {
  parse(text: string): Document | undefined;
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

export function parsePlaybook(text: string, options: ParseOptions = {}, incremental?: IncrementalParser): ParsedPlaybook {
  const refusal = refuse(text, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (refusal) return { text, model: emptyModel(), problems: [refusal] };
  const doc = incrementalParse(incremental, text) ?? safeParse(text);
  if (!doc) {
    const end = Math.min(text.length, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
    return { text, model: emptyModel(), problems: [problem('YAML_SYNTAX', 'error', 'the YAML is nested too deeply to read', { start: 0, end })] };
  }
  const problems = yamlProblems(doc);
  const { value, problem: valueProblem } = plainValue(doc);
  if (valueProblem) problems.push(valueProblem);
  return { text, doc, value, model: buildModel(doc), problems };
}

function refuse(text: string, maxBytes: number): Problem | undefined {
  if (text.length > maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return problem('TOO_LARGE', 'warning', `this file is ${mb(text.length)}; playbooks over ${mb(maxBytes)} are not validated (setting \`playbook.validation.maxFileSize\`)`, { start: 0, end: 0 });
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    return problem('NOT_A_PLAYBOOK', 'error', 'this file contains binary data (a NUL byte), not YAML text', { start: nul, end: nul + 1 });
  }
  return undefined;
}

function incrementalParse(incremental: IncrementalParser | undefined, text: string): Document | undefined {
  try {
    return incremental?.parse(text);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function safeParse(text: string): Document | undefined {
  try {
    return parseDocument(text, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
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
    return { value: doc.toJS({ maxAliasCount: 100 }) };
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

function buildModel(doc: Document): PlaybookModel {
  const model = emptyModel();
  const root = doc.contents;
  if (!isMap(root)) return model;
  model.title = scalarText(root, 'title');
  const titlePair = findPair(root, 'title');
  model.titleSpan = titlePair ? spanOf(titlePair.value as Node) : undefined;
  for (const pair of root.items) {
    const key = keyName(pair);
    if (key) model.sections.push({ key, keySpan: spanOf(pair.key as Node), span: { start: spanOf(pair.key as Node).start, end: spanOf(pair.value as Node, spanOf(pair.key as Node)).end } });
  }
  model.scenarios = mapItems(root, 'scenarios', ['scenarios'], (node, path) => buildScenario(node, path, model));
  model.variables = buildVariables(root);
  model.severities = namedItems(root, 'severities');
  model.roles = namedItems(root, 'roles');
  model.templates = namedItems(root, 'templates');
  model.checklists = namedItems(root, 'checklists');
  return model;
}

/** Applies `build` to every mapping in the sequence under `key`. */
function mapItems<T>(parent: YAMLMap, key: string, path: NodePath, build: (node: YAMLMap, path: NodePath) => T): T[] {
  const seq = findPair(parent, key)?.value;
  if (!isSeq(seq)) return [];
  const out: T[] = [];
  seq.items.forEach((item, index) => {
    if (isMap(item)) out.push(build(item, [...path, index]));
  });
  return out;
}

function itemBase(node: YAMLMap, path: NodePath) {
  const idPair = findPair(node, 'id');
  const idSpan = idPair && spanOf(idPair.value as Node).end > spanOf(idPair.value as Node).start ? spanOf(idPair.value as Node) : headSpan(node);
  return { id: scalarText(node, 'id'), title: scalarText(node, 'title'), span: spanOf(node), idSpan, path, node };
}

function buildScenario(node: YAMLMap, path: NodePath, model: PlaybookModel): ScenarioModel {
  const scenario: ScenarioModel = { ...itemBase(node, path), phases: [], steps: [] };
  // Phases and direct steps keep document order, so global step order follows the text.
  for (const pair of node.items) {
    const key = keyName(pair);
    if (key === 'phases') {
      scenario.phases = mapItems(node, 'phases', [...path, 'phases'], (phaseNode, phasePath) => buildPhase(phaseNode, phasePath, scenario, model));
    } else if (key === 'steps') {
      scenario.steps = mapItems(node, 'steps', [...path, 'steps'], (stepNode, stepPath) => buildStep(stepNode, stepPath, model, scenario.id));
    }
  }
  return scenario;
}

function buildPhase(node: YAMLMap, path: NodePath, scenario: ScenarioModel, model: PlaybookModel): PhaseModel {
  const phase: PhaseModel = { ...itemBase(node, path), steps: [] };
  phase.steps = mapItems(node, 'steps', [...path, 'steps'], (stepNode, stepPath) => buildStep(stepNode, stepPath, model, scenario.id, phase.id));
  return phase;
}

function buildStep(node: YAMLMap, path: NodePath, model: PlaybookModel, scenarioId?: string, phaseId?: string): StepModel {
  const kindKeys: StepKind[] = [];
  for (const pair of node.items) {
    const key = keyName(pair);
    if (key && (STEP_KINDS as readonly string[]).includes(key)) kindKeys.push(key as StepKind);
  }
  const step: StepModel = {
    ...itemBase(node, path),
    kind: kindKeys.length === 1 ? kindKeys[0] : undefined,
    kindKeys,
    scenarioId,
    phaseId,
    order: model.steps.length,
  };
  model.steps.push(step);
  return step;
}

function buildVariables(root: YAMLMap): VariableModel[] {
  const map = findPair(root, 'variables')?.value;
  if (!isMap(map)) return [];
  const out: VariableModel[] = [];
  for (const pair of map.items) {
    const name = isPair(pair) ? keyName(pair) : undefined;
    if (!name) continue;
    const node = isMap(pair.value) ? pair.value : undefined;
    out.push({
      name,
      keySpan: spanOf(pair.key as Node),
      secret: node ? scalarText(node, 'secret') === 'true' : false,
      description: node ? scalarText(node, 'description') : undefined,
      defaultValue: node ? scalarText(node, 'default') : undefined,
      node,
    });
  }
  return out;
}

function namedItems(root: YAMLMap, key: string): NamedModel[] {
  const out: NamedModel[] = [];
  for (const item of mapItems(root, key, [key], itemBase)) {
    if (item.id === undefined) continue;
    const title = item.title ?? scalarText(item.node, 'name');
    out.push({ id: item.id, title, idSpan: item.idSpan, span: item.span, node: item.node });
  }
  return out;
}
