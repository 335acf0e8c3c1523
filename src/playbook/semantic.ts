// Checks no schema can express: unique ids, one kind per step, references, conditions, destructive commands.
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { CONDITION_ROOTS, parseCondition, STEP_FIELDS, type RefNode } from './condition';
import type { ItemModel, NamedModel, PlaybookModel, ScenarioModel, StepModel } from './model';
import { LineIndex } from './lineIndex';
import { problem, type Problem, type ProblemCode, type Span } from './problems';
import { CommandMemo } from './commandMemo';
import { findPlaceholders, findVariableRefs, INCIDENT_PLACEHOLDERS, STANDARD_ENV } from './references';
import { didYouMean } from './suggest';
import { findPair, scalarText, spanOf, valueSpan } from './yamlNodes';

/** What checks of one scenario need from the rest of the playbook. */
export interface SemanticScope {
  model: PlaybookModel;
  variables: Set<string>;
  /** First step with each id, so condition references resolve in constant time. */
  stepsById: Map<string, StepModel>;
  memo: CommandMemo;
}

interface Context extends SemanticScope {
  /** The text the node ranges count in. */
  text: string;
  problems: Problem[];
  /** Set when a condition looked a step up: the result then depends on every step's id and order. */
  readsSteps: boolean;
}

/**
 * The scope for `model`, whose steps are all the playbook's steps in order. `stepsById` may be passed when the
 * steps' ids are those of an earlier scope's model, in the same order (the lookups use only id and order).
 */
export function semanticScope(model: PlaybookModel, memo = new CommandMemo(), stepsById = firstStepsById(model.steps)): SemanticScope {
  return { model, variables: new Set(model.variables.map((v) => v.name)), stepsById, memo };
}

function firstStepsById(steps: StepModel[]): Map<string, StepModel> {
  const stepsById = new Map<string, StepModel>();
  for (const step of steps) if (step.id !== undefined && !stepsById.has(step.id)) stepsById.set(step.id, step);
  return stepsById;
}

export function checkSemantics(doc: Document, text: string, model: PlaybookModel, memo = new CommandMemo()): Problem[] {
  const scope = semanticScope(model, memo);
  let lines: LineIndex | undefined;
  const problems = checkPlaybookWide(scope, text, doc.contents, (offset) => (lines ??= new LineIndex(text)).positionAt(offset).line + 1);
  for (const scenario of model.scenarios) problems.push(...checkScenarioItem(scope, text, scenario, scenarioSteps(scenario)).problems);
  return problems;
}

/** A scenario's steps in document order: phases and direct steps keep the order of their keys. */
function scenarioSteps(scenario: ScenarioModel): StepModel[] {
  const steps = [...scenario.steps, ...scenario.phases.flatMap((p) => p.steps)];
  return steps.sort((a, b) => a.order - b.order);
}

/** Checks of one scenario and its `steps` (in order); `text` is what their node ranges count in. */
export function checkScenarioItem(
  scope: SemanticScope,
  text: string,
  scenario: ScenarioModel,
  steps: StepModel[],
): { problems: Problem[]; readsSteps: boolean } {
  const ctx: Context = { ...scope, text, problems: [], readsSteps: false };
  for (const step of steps) checkStep(ctx, step);
  checkScenario(ctx, scenario);
  return { problems: ctx.problems, readsSteps: ctx.readsSteps };
}

/**
 * Checks across scenarios (duplicate ids, found by findDuplicateIds unless given) and of every section but the
 * scenarios; `lineOf` gives 1-based lines.
 */
export function checkPlaybookWide(
  scope: SemanticScope,
  text: string,
  root: unknown,
  lineOf: (offset: number) => number,
  duplicates = findDuplicateIds(scope.model),
): Problem[] {
  const ctx: Context = { ...scope, text, problems: [], readsSteps: false };
  checkDuplicateIds(ctx, lineOf, duplicates);
  checkVariables(ctx);
  checkSeverities(ctx);
  checkTemplates(ctx);
  checkChecklists(ctx);
  if (isMap(root)) checkEscalations(ctx, root, 'the playbook');
  checkLinks(ctx, root);
  checkPostIncident(ctx, root);
  return ctx.problems;
}

function report(ctx: Context, code: ProblemCode, severity: Problem['severity'], message: string, span: Span): void {
  ctx.problems.push(problem(code, severity, message, span));
}

type Listed = ItemModel | NamedModel;

/** The lists whose ids must be unique, each with the noun its messages use. */
function idLists(model: PlaybookModel): [string, Listed[]][] {
  return [
    ['step', model.steps],
    ['scenario', model.scenarios],
    ...model.scenarios.map((scenario): [string, Listed[]] => [`phase in scenario \`${scenario.id ?? '?'}\``, scenario.phases]),
    ['severity', model.severities],
    ['role', model.roles],
    ['template', model.templates],
    ['checklist', model.checklists],
  ];
}

/**
 * Which items repeat an earlier id: for each list of idLists, pairs of [repeat, first] indexes. It depends on the
 * ids alone, so a caller whose ids did not change may pass the last answer to checkPlaybookWide again.
 */
export function findDuplicateIds(model: PlaybookModel): [number, number][][] {
  return idLists(model).map(([, items]) => {
    const first = new Map<string, number>();
    const pairs: [number, number][] = [];
    items.forEach((item, index) => {
      if (item.id === undefined) return;
      const earlier = first.get(item.id);
      if (earlier === undefined) first.set(item.id, index);
      else pairs.push([index, earlier]);
    });
    return pairs;
  });
}

function checkDuplicateIds(ctx: Context, lineOf: (offset: number) => number, duplicates: [number, number][][]): void {
  idLists(ctx.model).forEach(([noun, items], list) => {
    for (const [index, earlier] of duplicates[list] ?? []) {
      const item = items[index];
      report(
        ctx,
        'DUPLICATE_ID',
        'error',
        `duplicate ${noun} id \`${item.id}\` (first used on line ${lineOf(items[earlier].idSpan.start)})`,
        item.idSpan,
      );
    }
  });
}

function stepName(step: StepModel): string {
  return step.id !== undefined ? `step \`${step.id}\`` : `step #${step.order + 1}`;
}

function checkStep(ctx: Context, step: StepModel): void {
  const { node } = step;
  if (step.kindKeys.length === 0) {
    report(
      ctx,
      'STEP_KIND_MISSING',
      'error',
      `${stepName(step)} does nothing: give it one of \`run\`, \`http\`, \`manual\` or \`notify\``,
      step.idSpan,
    );
  } else if (step.kindKeys.length > 1) {
    const extra = findPair(node, step.kindKeys[1]);
    const span = extra ? spanOf(extra.key as Node) : step.idSpan;
    report(
      ctx,
      'STEP_KIND_CONFLICT',
      'error',
      `${stepName(step)} has both \`${step.kindKeys[0]}\` and \`${step.kindKeys[1]}\`; a step does exactly one thing, so split it into two steps`,
      span,
    );
  }
  if (step.title === undefined && step.kindKeys.length > 0) {
    report(
      ctx,
      'STEP_WITHOUT_TITLE',
      'info',
      `${stepName(step)} has no \`title\`; the tree and the incident log show a title`,
      step.idSpan,
    );
  }
  checkRun(ctx, step);
  checkStepStrings(ctx, step);
  checkStepReferences(ctx, step);
  checkWhen(ctx, step);
}

function checkRun(ctx: Context, step: StepModel): void {
  const pair = findPair(step.node, 'run');
  if (!pair) return;
  const value = pair.value;
  const command = isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
  if (command === undefined || command.trim() === '') {
    if (!isScalar(value) || value.value === null || typeof value.value === 'string') {
      report(ctx, 'EMPTY_COMMAND', 'error', `${stepName(step)} has an empty \`run\` command`, valueSpan(step.node, 'run') ?? step.idSpan);
    }
    return;
  }
  const source = sourceOf(ctx, value as Scalar);
  checkRunVariables(ctx, step, command, source);
  checkDestructive(ctx, step, source);
}

function sourceOf(ctx: Context, node: Node): { text: string; start: number } {
  const span = spanOf(node);
  return { text: ctx.text.slice(span.start, span.end), start: span.start };
}

function checkRunVariables(ctx: Context, step: StepModel, command: string, source: { text: string; start: number }): void {
  const assigned = ctx.memo.assigned(command);
  for (const ref of findVariableRefs(source.text)) {
    if (ctx.variables.has(ref.name) || assigned.has(ref.name) || STANDARD_ENV.has(ref.name)) continue;
    const span = { start: source.start + ref.start, end: source.start + ref.end };
    report(
      ctx,
      'UNDEFINED_VARIABLE',
      'warning',
      `\`\${${ref.name}}\` in ${stepName(step)} is not declared in \`variables\`${didYouMean(ref.name, ctx.variables)}; declare it, or write \`$${ref.name}\` to leave it to the shell`,
      span,
    );
  }
}

function checkDestructive(ctx: Context, step: StepModel, source: { text: string; start: number }): void {
  if (scalarText(step.node, 'confirm') === 'true' || scalarText(step.node, 'destructive') === 'true') return;
  const matches = ctx.memo.destructive(source.text);
  if (matches.length === 0) return;
  const first = matches[0];
  const span = { start: source.start + first.start, end: source.start + first.end };
  report(
    ctx,
    'DESTRUCTIVE_WITHOUT_CONFIRM',
    'warning',
    `\`${first.text}\` in ${stepName(step)} looks destructive (${first.label}); add \`confirm: true\` so it asks before running`,
    span,
  );
}

/** `${NAME}` outside shell commands is expanded by us, so an undeclared one is an error. */
function checkStepStrings(ctx: Context, step: StepModel): void {
  const places: Node[] = [];
  const http = findPair(step.node, 'http')?.value;
  if (isMap(http)) collectScalars(http, places);
  for (const key of ['cwd', 'env']) {
    const value = findPair(step.node, key)?.value;
    if (value) collectScalars(value as Node, places);
  }
  for (const node of places) checkExpandedString(ctx, node, stepName(step));
}

function collectScalars(node: Node, out: Node[]): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push(node);
  } else if (isMap(node)) {
    for (const pair of node.items) if (pair.value) collectScalars(pair.value as Node, out);
  } else if (isSeq(node)) {
    for (const item of node.items) collectScalars(item as Node, out);
  }
}

function checkExpandedString(ctx: Context, node: Node, owner: string): void {
  const source = sourceOf(ctx, node);
  for (const ref of findVariableRefs(source.text)) {
    if (ctx.variables.has(ref.name)) continue;
    const span = { start: source.start + ref.start, end: source.start + ref.end };
    report(
      ctx,
      'UNDEFINED_VARIABLE',
      'error',
      `\`\${${ref.name}}\` in ${owner} is not declared in \`variables\`${didYouMean(ref.name, ctx.variables)}`,
      span,
    );
  }
}

function checkStepReferences(ctx: Context, step: StepModel): void {
  checkRef(ctx, step.node, 'role', 'role', ctx.model.roles, stepName(step));
  const severities = findPair(step.node, 'severities')?.value;
  if (isSeq(severities))
    for (const item of severities.items) checkRefNode(ctx, item as Node, 'severity', ctx.model.severities, stepName(step));
  const notify = findPair(step.node, 'notify')?.value;
  if (isMap(notify)) {
    checkRef(ctx, notify, 'template', 'template', ctx.model.templates, stepName(step));
    const webhook = findPair(notify, 'webhook')?.value;
    if (isScalar(webhook) && typeof webhook.value === 'string' && !ctx.variables.has(webhook.value)) {
      report(
        ctx,
        'UNDEFINED_VARIABLE',
        'error',
        `webhook variable \`${webhook.value}\` in ${stepName(step)} is not declared in \`variables\`${didYouMean(webhook.value, ctx.variables)}`,
        spanOf(webhook),
      );
    }
  }
}

const UNDEFINED_CODE: Record<string, ProblemCode> = {
  severity: 'UNDEFINED_SEVERITY',
  role: 'UNDEFINED_ROLE',
  template: 'UNDEFINED_TEMPLATE',
};

function checkRef(ctx: Context, map: YAMLMap, key: string, noun: string, targets: NamedModel[], owner: string): void {
  const value = findPair(map, key)?.value;
  if (isSeq(value)) for (const item of value.items) checkRefNode(ctx, item as Node, noun, targets, owner);
  else if (value) checkRefNode(ctx, value as Node, noun, targets, owner);
}

function checkRefNode(ctx: Context, node: Node, noun: string, targets: NamedModel[], owner: string): void {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') return;
  const id = String(node.value);
  if (targets.some((t) => t.id === id)) return;
  const ids = targets.map((t) => t.id);
  const known =
    ids.length > 0
      ? `${didYouMean(id, ids) || `; known ${noun} ids: ${ids.slice(0, 8).join(', ')}`}`
      : `; the playbook defines no ${noun === 'severity' ? 'severities' : `${noun}s`}`;
  report(ctx, UNDEFINED_CODE[noun], 'error', `${owner} refers to ${noun} \`${id}\`, which is not defined${known}`, spanOf(node));
}

function checkWhen(ctx: Context, step: StepModel): void {
  const value = findPair(step.node, 'when')?.value;
  if (!isScalar(value) || typeof value.value !== 'string') return;
  checkCondition(ctx, value as Scalar<string>, stepName(step), step.order);
}

/** Conditions may only read steps that run earlier; `before` is that step order (Infinity: any step). */
function checkCondition(ctx: Context, node: Scalar<string>, owner: string, before: number): void {
  const base = conditionOffset(ctx, node);
  const result = parseCondition(node.value);
  if (!result.ok) {
    const span =
      base === undefined
        ? spanOf(node)
        : { start: base + result.error.start, end: base + Math.max(result.error.end, result.error.start + 1) };
    report(ctx, 'INVALID_CONDITION', 'error', `invalid condition in ${owner}: ${result.error.message}`, span);
    return;
  }
  for (const ref of result.refs)
    checkConditionRef(ctx, ref, base === undefined ? spanOf(node) : { start: base + ref.start, end: base + ref.end }, owner, before);
}

/** Offset of the condition's first character in the text, when the scalar is written on one plain or quoted line. */
function conditionOffset(ctx: Context, node: Scalar<string>): number | undefined {
  const span = spanOf(node);
  const raw = ctx.text.slice(span.start, span.end);
  if (raw === node.value) return span.start;
  if ((raw.startsWith('"') || raw.startsWith("'")) && raw.slice(1, -1) === node.value) return span.start + 1;
  return undefined;
}

function checkConditionRef(ctx: Context, ref: RefNode, span: Span, owner: string, before: number): void {
  const [root, name, field] = ref.path;
  if (!(CONDITION_ROOTS as readonly string[]).includes(root)) {
    report(
      ctx,
      'INVALID_CONDITION',
      'error',
      `\`${ref.path.join('.')}\` in ${owner} is not something a condition can read; start with ${CONDITION_ROOTS.map((r) => `\`${r}\``).join(', ')}${didYouMean(root, CONDITION_ROOTS)}`,
      span,
    );
  } else if (root === 'steps') {
    checkStepRef(ctx, ref, span, owner, before, name, field);
  } else if (root === 'vars' && name !== undefined && !ctx.variables.has(name)) {
    report(
      ctx,
      'UNDEFINED_VARIABLE',
      'error',
      `\`vars.${name}\` in ${owner} is not declared in \`variables\`${didYouMean(name, ctx.variables)}`,
      span,
    );
  }
}

function checkStepRef(
  ctx: Context,
  ref: RefNode,
  span: Span,
  owner: string,
  before: number,
  id: string | undefined,
  field: string | undefined,
): void {
  ctx.readsSteps = true;
  const target = id === undefined ? undefined : ctx.stepsById.get(id);
  if (!target) {
    const ids = [...ctx.stepsById.keys()];
    report(
      ctx,
      'UNDEFINED_STEP',
      'error',
      `${owner} refers to step \`${id ?? ''}\`, which is not defined${didYouMean(id ?? '', ids)}`,
      span,
    );
  } else if (target.order >= before) {
    report(
      ctx,
      'FORWARD_STEP_REFERENCE',
      'error',
      `${owner} reads the result of step \`${id}\`, which comes later (or is this step), so it has no result yet`,
      span,
    );
  } else if (
    field === undefined ||
    !(STEP_FIELDS as readonly string[]).includes(field) ||
    (field === 'json' ? ref.path.length < 4 : ref.path.length > 3)
  ) {
    report(
      ctx,
      'INVALID_CONDITION',
      'error',
      `\`${ref.path.join('.')}\` in ${owner}: after the step id write one of ${STEP_FIELDS.join(', ')} (\`json\` followed by a path)${didYouMean(field ?? '', STEP_FIELDS)}`,
      span,
    );
  }
}

function checkScenario(ctx: Context, scenario: ScenarioModel): void {
  const name = scenario.id !== undefined ? `scenario \`${scenario.id}\`` : 'this scenario';
  checkRef(ctx, scenario.node, 'severity', 'severity', ctx.model.severities, name);
  checkEscalations(ctx, scenario.node, name);
  checkLinks(ctx, scenario.node);
  const stepCount = scenario.steps.length + scenario.phases.reduce((n, p) => n + p.steps.length, 0);
  if (stepCount === 0) report(ctx, 'EMPTY_SCENARIO', 'warning', `${name} has no steps yet`, scenario.idSpan);
}

function checkEscalations(ctx: Context, owner: YAMLMap, ownerName: string): void {
  const list = findPair(owner, 'escalation')?.value;
  if (!isSeq(list)) return;
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const name = `an escalation of ${ownerName}`;
    checkRef(ctx, item, 'to', 'role', ctx.model.roles, name);
    checkRef(ctx, item, 'severity', 'severity', ctx.model.severities, name);
    checkRef(ctx, item, 'notify', 'template', ctx.model.templates, name);
    const when = findPair(item, 'when')?.value;
    // `when` may be prose ("error rate above 5%"); only text that reads like a condition is checked.
    if (isScalar(when) && typeof when.value === 'string' && /^\s*(?:not\s+|\(\s*)*(?:steps|vars|severity|incident)\b/.test(when.value)) {
      checkCondition(ctx, when as Scalar<string>, name, Infinity);
    }
  }
}

function checkVariables(ctx: Context): void {
  for (const variable of ctx.model.variables) {
    if (variable.secret && variable.node && findPair(variable.node, 'default')) {
      report(
        ctx,
        'SECRET_DEFAULT',
        'error',
        `secret variable \`${variable.name}\` has a \`default\`: a secret must never be written in the playbook; remove it and you will be prompted once, then it is kept in VS Code's secret storage`,
        valueSpan(variable.node, 'default') ?? variable.keySpan,
      );
    }
  }
}

function checkSeverities(ctx: Context): void {
  for (const severity of ctx.model.severities)
    checkRef(ctx, severity.node, 'escalate_to', 'role', ctx.model.roles, `severity \`${severity.id}\``);
}

function checkTemplates(ctx: Context): void {
  for (const template of ctx.model.templates) {
    const fields = new Set<string>();
    const list = findPair(template.node, 'fields')?.value;
    if (isSeq(list))
      for (const item of list.items)
        if (isMap(item)) {
          const n = scalarText(item, 'name');
          if (n) fields.add(n);
        }
    for (const key of ['body', 'subject']) {
      const value = findPair(template.node, key)?.value;
      if (isScalar(value) && typeof value.value === 'string') checkPlaceholders(ctx, value, `template \`${template.id}\``, fields);
    }
  }
}

function checkPlaceholders(ctx: Context, node: Node, owner: string, fields: Set<string> | 'any'): void {
  const source = sourceOf(ctx, node);
  const declared = fields === 'any' ? new Set<string>() : fields;
  const known = [...Object.keys(INCIDENT_PLACEHOLDERS), ...declared, ...[...ctx.variables].map((v) => `vars.${v}`)];
  for (const ref of findPlaceholders(source.text)) {
    if (INCIDENT_PLACEHOLDERS[ref.name] !== undefined || declared.has(ref.name)) continue;
    const span = { start: source.start + ref.start, end: source.start + ref.end };
    if (ref.name.startsWith('vars.')) {
      if (ctx.variables.has(ref.name.slice(5))) continue;
      report(
        ctx,
        'UNDEFINED_VARIABLE',
        'error',
        `\`{{${ref.name}}}\` in ${owner} is not declared in \`variables\`${didYouMean(ref.name.slice(5), ctx.variables)}`,
        span,
      );
      continue;
    }
    if (fields === 'any') continue;
    report(
      ctx,
      'UNKNOWN_PLACEHOLDER',
      'warning',
      `\`{{${ref.name}}}\` in ${owner} is neither an incident field nor one of the template's \`fields\`${didYouMean(ref.name, known)}; declare it under \`fields\``,
      span,
    );
  }
  for (const ref of findVariableRefs(source.text)) {
    if (ctx.variables.has(ref.name)) continue;
    report(
      ctx,
      'UNDEFINED_VARIABLE',
      'error',
      `\`\${${ref.name}}\` in ${owner} is not declared in \`variables\`${didYouMean(ref.name, ctx.variables)}`,
      { start: source.start + ref.start, end: source.start + ref.end },
    );
  }
}

function checkChecklists(ctx: Context): void {
  for (const checklist of ctx.model.checklists) {
    const items = findPair(checklist.node, 'items')?.value;
    if (!isSeq(items)) continue;
    for (const item of items.items) if (isMap(item)) checkRef(ctx, item, 'role', 'role', ctx.model.roles, `checklist \`${checklist.id}\``);
  }
}

function checkLinks(ctx: Context, owner: unknown): void {
  if (!isMap(owner)) return;
  const links = findPair(owner, 'links')?.value;
  if (!isSeq(links)) return;
  for (const link of links.items) {
    const url = isMap(link) ? findPair(link, 'url')?.value : undefined;
    if (isScalar(url) && typeof url.value === 'string') checkExpandedString(ctx, url, 'a link');
  }
}

function checkPostIncident(ctx: Context, root: unknown): void {
  if (!isMap(root)) return;
  const post = findPair(root, 'post_incident')?.value;
  const template = isMap(post) ? findPair(post, 'report_template')?.value : undefined;
  if (isScalar(template) && typeof template.value === 'string')
    checkPlaceholders(ctx, template, 'the post-incident report template', 'any');
}
