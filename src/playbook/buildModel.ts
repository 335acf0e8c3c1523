// Builds the structural model (scenarios, phases, steps, named sections) from a parsed YAML document.
import { isMap, isPair, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import {
  emptyModel,
  STEP_KINDS,
  type ItemModel,
  type NamedModel,
  type NodePath,
  type PhaseModel,
  type PlaybookModel,
  type ScenarioModel,
  type StepKind,
  type StepModel,
  type VariableModel,
} from './model';
import { findPair, headSpan, keyName, scalarText, spanOf } from './yamlNodes';

export function buildModel(doc: Document): PlaybookModel {
  const root = doc.contents;
  if (!isMap(root)) return emptyModel();
  return modelOf(root, (model) => mapItems(root, 'scenarios', ['scenarios'], (node, path) => buildScenario(node, path, model)));
}

/**
 * The model of a root mapping whose scenarios come from `scenarios`, which must push their steps to `model.steps`
 * in order (incremental analysis places cached scenarios there instead of building them again).
 */
export function modelOf(root: YAMLMap, scenarios: (model: PlaybookModel) => ScenarioModel[]): PlaybookModel {
  const model = emptyModel();
  model.title = scalarText(root, 'title');
  const titlePair = findPair(root, 'title');
  model.titleSpan = titlePair ? spanOf(titlePair.value as Node) : undefined;
  for (const pair of root.items) {
    const key = keyName(pair);
    if (key)
      model.sections.push({
        key,
        keySpan: spanOf(pair.key as Node),
        span: { start: spanOf(pair.key as Node).start, end: spanOf(pair.value as Node, spanOf(pair.key as Node)).end },
      });
  }
  model.scenarios = scenarios(model);
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

/**
 * What every item has. Models are written out as whole literals rather than spread from this: adding keys after a
 * spread makes V8 grow each object key by key, which made building a large playbook's steps several times slower.
 */
function itemBase(node: YAMLMap, path: NodePath): ItemModel {
  const idPair = findPair(node, 'id');
  const idValue = idPair ? spanOf(idPair.value as Node) : undefined;
  const idSpan = idValue && idValue.end > idValue.start ? idValue : headSpan(node);
  return { id: scalarText(node, 'id'), title: scalarText(node, 'title'), span: spanOf(node), idSpan, path, node };
}

/** One scenario item on its own: its model and its steps, ordered from 0. */
export function scenarioModel(node: YAMLMap, index: number): { scenario: ScenarioModel; steps: StepModel[] } {
  const model = emptyModel();
  return { scenario: buildScenario(node, ['scenarios', index], model), steps: model.steps };
}

function buildScenario(node: YAMLMap, path: NodePath, model: PlaybookModel): ScenarioModel {
  const { id, title, span, idSpan } = itemBase(node, path);
  const scenario: ScenarioModel = { id, title, span, idSpan, path, node, phases: [], steps: [] };
  // Phases and direct steps keep document order, so global step order follows the text.
  for (const pair of node.items) {
    const key = keyName(pair);
    if (key === 'phases') {
      scenario.phases = mapItems(node, 'phases', [...path, 'phases'], (phaseNode, phasePath) =>
        buildPhase(phaseNode, phasePath, scenario, model),
      );
    } else if (key === 'steps') {
      scenario.steps = mapItems(node, 'steps', [...path, 'steps'], (stepNode, stepPath) =>
        buildStep(stepNode, stepPath, model, scenario.id),
      );
    }
  }
  return scenario;
}

function buildPhase(node: YAMLMap, path: NodePath, scenario: ScenarioModel, model: PlaybookModel): PhaseModel {
  const { id, title, span, idSpan } = itemBase(node, path);
  const phase: PhaseModel = { id, title, span, idSpan, path, node, steps: [] };
  phase.steps = mapItems(node, 'steps', [...path, 'steps'], (stepNode, stepPath) =>
    buildStep(stepNode, stepPath, model, scenario.id, phase.id),
  );
  return phase;
}

function buildStep(node: YAMLMap, path: NodePath, model: PlaybookModel, scenarioId?: string, phaseId?: string): StepModel {
  const kindKeys: StepKind[] = [];
  for (const pair of node.items) {
    const key = keyName(pair);
    if (key && (STEP_KINDS as readonly string[]).includes(key)) kindKeys.push(key as StepKind);
  }
  const { id, title, span, idSpan } = itemBase(node, path);
  const step: StepModel = {
    id,
    title,
    span,
    idSpan,
    path,
    node,
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
