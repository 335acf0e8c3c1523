// The outline: top-level sections, scenarios, phases and steps, with their spans.
import type { PlaybookModel, ScenarioModel, StepModel } from './model';
import type { Span } from './problems';

export type SymbolKind = 'playbook-section' | 'scenario' | 'phase' | 'step' | 'entry';

export interface PlaybookSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** For steps: run, http, manual or notify. */
  stepKind?: string;
  span: Span;
  selection: Span;
  children: PlaybookSymbol[];
}

/** Symbols by scenario model: incremental analysis keeps the models of the scenarios an edit did not move. */
export type SymbolCache = WeakMap<ScenarioModel, PlaybookSymbol>;

/** The outline; pass a SymbolCache kept between versions to reuse the symbols of unchanged scenarios. */
export function documentSymbols(model: PlaybookModel, cache: SymbolCache = new WeakMap()): PlaybookSymbol[] {
  return model.sections.map((section) => {
    const symbol: PlaybookSymbol = {
      name: section.key,
      kind: 'playbook-section',
      span: section.span,
      selection: section.keySpan,
      children: [],
    };
    if (section.key === 'scenarios') symbol.children = scenarioSymbols(model, cache);
    if (section.key === 'severities') symbol.children = model.severities.map((s) => entry(s.id, s.title, s.span, s.idSpan));
    if (section.key === 'roles') symbol.children = model.roles.map((s) => entry(s.id, s.title, s.span, s.idSpan));
    if (section.key === 'templates') symbol.children = model.templates.map((s) => entry(s.id, s.title, s.span, s.idSpan));
    if (section.key === 'checklists') symbol.children = model.checklists.map((s) => entry(s.id, s.title, s.span, s.idSpan));
    if (section.key === 'variables')
      symbol.children = model.variables.map((v) => entry(v.name, v.secret ? 'secret' : v.defaultValue, v.keySpan, v.keySpan));
    return symbol;
  });
}

function entry(name: string, detail: string | undefined, span: Span, selection: Span): PlaybookSymbol {
  return { name, detail, kind: 'entry', span, selection, children: [] };
}

function scenarioSymbols(model: PlaybookModel, cache: SymbolCache): PlaybookSymbol[] {
  return model.scenarios.map((scenario) => {
    let symbol = cache.get(scenario);
    if (!symbol) cache.set(scenario, (symbol = scenarioSymbol(scenario)));
    return symbol;
  });
}

function scenarioSymbol(scenario: ScenarioModel): PlaybookSymbol {
  return {
    name: scenario.title ?? scenario.id ?? 'scenario',
    detail: scenario.id,
    kind: 'scenario',
    span: scenario.span,
    selection: scenario.idSpan,
    children: [
      ...scenario.phases.map((phase): PlaybookSymbol => ({
        name: phase.title ?? phase.id ?? 'phase',
        detail: phase.id,
        kind: 'phase',
        span: phase.span,
        selection: phase.idSpan,
        children: phase.steps.map(stepSymbol),
      })),
      ...scenario.steps.map(stepSymbol),
    ].sort((a, b) => a.span.start - b.span.start),
  };
}

function stepSymbol(step: StepModel): PlaybookSymbol {
  return {
    name: step.title ?? step.id ?? 'step',
    detail: step.id,
    kind: 'step',
    stepKind: step.kind,
    span: step.span,
    selection: step.idSpan,
    children: [],
  };
}

/** Folding regions: every scenario, phase and step, plus multi-line top-level sections. */
export function foldingSpans(model: PlaybookModel): Span[] {
  const spans: Span[] = model.sections.map((s) => s.span);
  for (const scenario of model.scenarios) {
    spans.push(scenario.span);
    for (const phase of scenario.phases) spans.push(phase.span);
  }
  for (const step of model.steps) spans.push(step.span);
  return spans;
}
