// The playbook's structure as the editor needs it: scenarios, phases and steps with their source offsets.
import type { YAMLMap } from 'yaml';
import type { Span } from './problems';

export type StepKind = 'run' | 'http' | 'manual' | 'notify';

export const STEP_KINDS: readonly StepKind[] = ['run', 'http', 'manual', 'notify'];

/** A path into the document: keys and sequence indexes. */
export type NodePath = (string | number)[];

/** Anything with an id and a place in the text. */
export interface ItemModel {
  id?: string;
  title?: string;
  /** The whole item. */
  span: Span;
  /** The id's value, or the first key when there is no id. */
  idSpan: Span;
  path: NodePath;
  node: YAMLMap;
}

export interface StepModel extends ItemModel {
  /** The kind key present, or undefined when none or several are. */
  kind?: StepKind;
  /** Every kind key present, in source order. */
  kindKeys: StepKind[];
  scenarioId?: string;
  phaseId?: string;
  /** Position of the step in the whole playbook, from 0. */
  order: number;
}

export interface PhaseModel extends ItemModel {
  steps: StepModel[];
}

export interface ScenarioModel extends ItemModel {
  phases: PhaseModel[];
  /** Steps placed directly under the scenario. */
  steps: StepModel[];
}

export interface VariableModel {
  name: string;
  keySpan: Span;
  secret: boolean;
  description?: string;
  defaultValue?: string;
  node?: YAMLMap;
}

/** A severity, role, template or checklist: something referenced by id. */
export interface NamedModel {
  id: string;
  title?: string;
  idSpan: Span;
  span: Span;
  node: YAMLMap;
}

export interface PlaybookModel {
  title?: string;
  titleSpan?: Span;
  scenarios: ScenarioModel[];
  /** Every step, in document order. */
  steps: StepModel[];
  variables: VariableModel[];
  severities: NamedModel[];
  roles: NamedModel[];
  templates: NamedModel[];
  checklists: NamedModel[];
  /** Top-level keys with their spans, for the outline. */
  sections: { key: string; keySpan: Span; span: Span }[];
}

export function emptyModel(): PlaybookModel {
  return { scenarios: [], steps: [], variables: [], severities: [], roles: [], templates: [], checklists: [], sections: [] };
}
