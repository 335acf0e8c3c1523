// Analysis from parsed pieces (see incremental.ts): what each scenario item gives (its plain value, model, schema
// errors and semantic problems) is computed once per parsed item, with offsets counted in the item's own text, and
// kept; each version then only places the items at their offsets and re-runs the checks that span scenarios.
// The result is exactly what analysing the whole text from scratch gives.
import type { ErrorObject } from 'ajv';
import { Document, isMap, Pair, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { Analysis } from './analyze';
import { modelOf, scenarioModel } from './buildModel';
import type { CommandMemo } from './commandMemo';
import { ChunkCache, shift, type Piece, type Pieces } from './incremental';
import { plainOf } from './fastYaml';
import { lineBreaks, PieceLineIndex } from './lineIndex';
import type { PlaybookModel, ScenarioModel, StepModel } from './model';
import { sortProblems, type Problem, type Span } from './problems';
import { schemaProblem, type SchemaValidator } from './schemaValidation';
import { checkPlaybookWide, checkScenarioItem, findDuplicateIds, semanticScope, type SemanticScope } from './semantic';
import { locateFrom, type Locator } from './yamlNodes';

/** What analysis keeps of a piece; offsets count from the piece's start. */
export interface PieceFacts {
  value: unknown;
  /** lineBreaks of the piece's text. */
  breaks: number[];
  item?: ItemFacts;
}

interface Placed {
  base: number;
  index: number;
  baseOrder: number;
  scenario?: ScenarioModel;
  steps: StepModel[];
}

interface ItemFacts {
  node: Node;
  value: unknown;
  span: Span;
  /** Where the node's trailing comments and line break end (its range[2]), and its sequence's (see scenariosSeq). */
  after: number;
  seqAfter: number;
  built?: { scenario: ScenarioModel; steps: StepModel[] };
  schemaErrors: ErrorObject[];
  schemaProblems?: { index: number; problems: Problem[] };
  semantic?: { context: number; baseOrder: number; steps: number; readsSteps: boolean; problems: Problem[] };
  placed?: Placed;
}

/** The checkers one analyzer shares between documents. */
export interface Checkers {
  validator: SchemaValidator;
  memo: CommandMemo;
}

/** Incremental analysis of one document: its pieces and what the last version's cross-scenario checks saw. */
export class PieceAnalyzer {
  private readonly chunks = new ChunkCache();
  private context = 0;
  private lastEnds: [Piece, Piece | undefined] | undefined;
  private rootErrors: ErrorObject[] = [];
  private stepIds: (string | undefined)[] = [];
  private stepsVersion = 0;
  private scope: SemanticScope | undefined;
  /** Duplicate ids of the last version, with what they were found for: its context and its scenario and phase ids. */
  private duplicates: { context: number; groupIds: (string | undefined)[]; found: [number, number][][] } | undefined;

  /** The analysis of `text`, or undefined when it must be analysed whole (see ChunkCache). */
  analyze(text: string, checkers: Checkers): Analysis | undefined {
    const pieces = this.chunks.parse(text);
    if (!pieces) return undefined;
    const { head, tail, items, layout } = pieces;
    if (!this.lastEnds || this.lastEnds[0] !== head || this.lastEnds[1] !== tail) {
      this.context++;
      this.lastEnds = [head, tail];
      this.rootErrors = checkers.validator.errors(shallowValue(pieces, []));
    }
    const facts = items.map((piece) => itemFacts(piece, checkers.validator));
    const root = rootMap(pieces, scenariosSeq(pieces, facts));
    const model = modelOf(root, (m) => placeAll(pieces, facts, m));
    const sameSteps = this.noteStepIds(model.steps);
    const scope = semanticScope(model, checkers.memo, sameSteps ? this.scope?.stepsById : undefined);
    this.scope = scope;
    const lines = pieceLines(pieces);
    const problems = [
      ...this.rootErrors.map((e) => schemaProblem((path) => locateFrom(root, path), e)),
      ...checkPlaybookWide(scope, text, root, (offset) => lines.positionAt(offset).line + 1, this.duplicateIds(model, sameSteps)),
    ];
    items.forEach((piece, i) => problems.push(...itemProblems(piece, facts[i], i, layout.bounds[i], this.semanticKey(facts[i]), scope)));
    let doc: Document | undefined;
    return {
      text,
      get doc() {
        return (doc ??= materialize(pieces, facts));
      },
      value: shallowValue(
        pieces,
        facts.map((f) => f.value),
      ),
      model,
      problems: sortProblems(problems),
      lines,
    };
  }

  /** Duplicate ids, found again only when an id may have changed (see findDuplicateIds). */
  private duplicateIds(model: PlaybookModel, sameSteps: boolean): [number, number][][] {
    const groupIds = model.scenarios.flatMap((s) => [s.id, ...s.phases.map((p) => p.id), '\u0000']);
    const last = this.duplicates;
    const same =
      sameSteps &&
      last &&
      last.context === this.context &&
      last.groupIds.length === groupIds.length &&
      groupIds.every((id, i) => id === last.groupIds[i]);
    if (same) return last.found;
    this.duplicates = { context: this.context, groupIds, found: findDuplicateIds(model) };
    return this.duplicates.found;
  }

  /** Whether the steps have the ids of the last version's steps, in the same order. */
  private noteStepIds(steps: StepModel[]): boolean {
    const same = steps.length === this.stepIds.length && steps.every((s, i) => s.id === this.stepIds[i]);
    if (same) return true;
    this.stepIds = steps.map((s) => s.id);
    this.stepsVersion++;
    return false;
  }

  private semanticKey(facts: ItemFacts): { context: number; baseOrder: number; steps: number } {
    return { context: this.context, baseOrder: facts.placed?.baseOrder ?? 0, steps: this.stepsVersion };
  }
}

/**
 * The scenarios sequence of these items, its range at the items' offsets (their nodes may count from elsewhere), as
 * the whole parse gives it: it ends where its last item's line break and comments end (a plain scalar item's range[1]
 * stops before its line break), and its comments after the last item count as the last piece's sequence's do.
 */
function scenariosSeq(pieces: Pieces, facts: ItemFacts[]): YAMLSeq {
  const { bounds } = pieces.layout;
  const seq = new YAMLSeq();
  seq.items = facts.map((f) => f.node);
  const last = facts[facts.length - 1];
  const base = bounds[facts.length - 1];
  seq.range = [bounds[0] + facts[0].span.start, base + last.after, base + last.seqAfter];
  return seq;
}

/** Facts of a piece, computed when first asked and kept with it. */
function factsOf(piece: Piece): PieceFacts {
  if (!piece.facts) {
    piece.facts = { value: plainOf(piece.doc), breaks: lineBreaks(piece.text) };
  }
  return piece.facts;
}

function itemFacts(piece: Piece, validator: SchemaValidator): ItemFacts {
  const facts = factsOf(piece);
  if (!facts.item) {
    shift(piece, 0);
    const node = (piece.doc.contents as YAMLSeq).items[0] as Node;
    const value = (facts.value as unknown[])[0];
    facts.item = {
      node,
      value,
      span: { start: node.range?.[0] ?? 0, end: node.range?.[1] ?? 0 },
      after: node.range?.[2] ?? 0,
      seqAfter: (piece.doc.contents as YAMLSeq).range?.[2] ?? 0,
      built: isMap(node) ? scenarioModel(node, 0) : undefined,
      schemaErrors: validator.scenarioErrors(value),
    };
  }
  return facts.item;
}

/** The root mapping of the whole text: the head's keys, `scenarios` with `seq`, the tail's keys. */
function rootMap(pieces: Pieces, seq: YAMLSeq): YAMLMap {
  const head = pieces.head.doc.contents as YAMLMap;
  const root = new YAMLMap();
  const last = head.items[head.items.length - 1];
  root.items = [...head.items.slice(0, -1), new Pair(last.key, seq), ...((pieces.tail?.doc.contents as YAMLMap | undefined)?.items ?? [])];
  const end = root.items[root.items.length - 1];
  const endNode = (end.value ?? end.key) as Node;
  root.range = [head.range?.[0] ?? 0, endNode.range?.[1] ?? pieces.text.length, endNode.range?.[2] ?? pieces.text.length];
  return root;
}

/** The plain value of the whole text with these values as its scenarios. */
function shallowValue(pieces: Pieces, scenarios: unknown[]): Record<string, unknown> {
  const head = factsOf(pieces.head).value as Record<string, unknown>;
  const tail = pieces.tail ? (factsOf(pieces.tail).value as Record<string, unknown>) : {};
  return { ...head, scenarios, ...tail };
}

/** Places every item's scenario at its offset, index and step order, pushing its steps to `model.steps`. */
function placeAll(pieces: Pieces, facts: ItemFacts[], model: PlaybookModel): ScenarioModel[] {
  const scenarios: ScenarioModel[] = [];
  facts.forEach((item, index) => {
    const placed = place(item, pieces.layout.bounds[index], index, model.steps.length);
    if (placed.scenario) scenarios.push(placed.scenario);
    for (const step of placed.steps) model.steps.push(step);
  });
  return scenarios;
}

function place(item: ItemFacts, base: number, index: number, baseOrder: number): Placed {
  const last = item.placed;
  if (last && last.base === base && last.index === index && last.baseOrder === baseOrder) return last;
  if (!item.built) return (item.placed = { base, index, baseOrder, steps: [] });
  const moved = new Map<StepModel, StepModel>();
  const move = <T extends { span: Span; idSpan: Span; path: (string | number)[] }>(m: T): T => ({
    ...m,
    span: at(m.span, base),
    idSpan: at(m.idSpan, base),
    path: ['scenarios', index, ...m.path.slice(2)],
  });
  const steps = item.built.steps.map((s) => {
    const step = { ...move(s), order: baseOrder + s.order };
    moved.set(s, step);
    return step;
  });
  const stepsOf = (list: StepModel[]) => list.map((s) => moved.get(s) ?? s);
  const { scenario } = item.built;
  const placed = {
    ...move(scenario),
    steps: stepsOf(scenario.steps),
    phases: scenario.phases.map((p) => ({ ...move(p), steps: stepsOf(p.steps) })),
  };
  return (item.placed = { base, index, baseOrder, scenario: placed, steps });
}

function at(span: Span, base: number): Span {
  return { start: span.start + base, end: span.end + base };
}

/** An item's schema and semantic problems at its offset, recomputed only when what they depend on changed. */
function itemProblems(
  piece: Piece,
  item: ItemFacts,
  index: number,
  base: number,
  key: { context: number; baseOrder: number; steps: number },
  scope: SemanticScope,
): Problem[] {
  const problems: Problem[] = [];
  if (item.schemaErrors.length > 0) {
    if (item.schemaProblems?.index !== index) {
      shift(piece, 0);
      const locate: Locator = (path) => (path.length >= 2 ? locateFrom(item.node, path.slice(2)) : { node: null, parent: null });
      const prefix = `/scenarios/${index}`;
      item.schemaProblems = {
        index,
        problems: item.schemaErrors.map((e) => schemaProblem(locate, { ...e, instancePath: prefix + e.instancePath })),
      };
    }
    problems.push(...item.schemaProblems.problems);
  }
  const last = item.semantic;
  const fresh = last && last.context === key.context && last.baseOrder === key.baseOrder && (!last.readsSteps || last.steps === key.steps);
  if (!fresh && item.built) {
    shift(piece, 0);
    // Local ranges, but the step order of the whole playbook: messages and condition checks use it.
    const steps = item.built.steps.map((s) => ({ ...s, order: key.baseOrder + s.order }));
    item.semantic = { ...key, ...checkScenarioItem(scope, piece.text, item.built.scenario, steps) };
  }
  problems.push(...(item.semantic?.problems ?? []));
  return problems.map((p) => ({ ...p, start: p.start + base, end: p.end + base }));
}

function pieceLines(pieces: Pieces): PieceLineIndex {
  const all = [pieces.head, ...pieces.items, ...(pieces.tail ? [pieces.tail] : [])];
  const starts = [0, ...pieces.layout.bounds.slice(0, -1), ...(pieces.tail ? [pieces.layout.bounds[pieces.layout.bounds.length - 1]] : [])];
  return new PieceLineIndex(
    pieces.text.length,
    starts,
    all.map((p) => factsOf(p).breaks),
  );
}

/** The whole document, every item moved to its offset: built only when asked (hover), valid until the next edit. */
function materialize(pieces: Pieces, facts: ItemFacts[]): Document {
  pieces.items.forEach((piece, i) => shift(piece, pieces.layout.bounds[i]));
  const doc = new Document(null, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  doc.contents = rootMap(pieces, scenariosSeq(pieces, facts));
  doc.range = [0, pieces.text.length, pieces.text.length];
  return doc;
}
