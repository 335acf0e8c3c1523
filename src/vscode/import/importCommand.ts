// "Playbook: Import from Markdown": converts a Markdown playbook into a playbook beside it, opens it on its first
// runnable step, shows what came across and offers to run that step.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { describeDefaults } from '../../incident/defaults';
import { describeImport, playbookNameFor } from '../../import/summary';
import type { PlaybookModel, StepModel } from '../../playbook/model';
import type { PlaybookService } from '../../playbook/service';
import { asDocument } from '../playbook/documents';
import { playbookPath, type IncidentSession, type IncidentTarget } from '../incident/incidentSession';
import type { RunController } from '../run/runController';

/** What the import's offer to run needs: the language service, the incident and the runner. */
interface ImportDeps {
  service: PlaybookService;
  session: IncidentSession;
  runs: RunController;
}

/**
 * Imports `source` (or the Markdown file being edited, or one the person picks), opens the playbook beside the
 * Markdown on its first runnable step and offers to run that step; returns the new playbook's uri.
 */
async function importFromMarkdown(deps: ImportDeps, source?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = source instanceof vscode.Uri ? source : (activeMarkdown() ?? (await pick()));
  if (!uri) return undefined;
  const markdown = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const target = uri.with({ path: playbookNameFor(uri.path) });
  if (await exists(target)) {
    const answer = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(target)} exists. Replace it?`,
      { modal: true },
      'Replace',
    );
    if (answer !== 'Replace') return undefined;
  }
  // The importer (and markdown-it) loads on the first import, not with the extension.
  const { importMarkdown } = await import('../../import/markdown');
  const result = importMarkdown(markdown, { sourceName: uri.path.split('/').pop() });
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  const doc = await vscode.workspace.openTextDocument(target);
  const model = deps.service.analyze(asDocument(doc)).model;
  const first = firstRunnableStep(model);
  await showBeside(uri, doc, first?.span.start ?? 0);
  void offerRun(deps, doc, model, first, `Imported: ${describeImport(result.summary, result.warnings)}.`, result.warnings);
  return target;
}

/** The first `run` or `http` step in document order: where a responder starts. */
function firstRunnableStep(model: PlaybookModel): StepModel | undefined {
  return model.steps.find((step) => step.id !== undefined && (step.kind === 'run' || step.kind === 'http'));
}

/** Opens the playbook in the group beside the Markdown's, the cursor at `offset` (a step's line) in the middle of the view. */
async function showBeside(markdown: vscode.Uri, doc: vscode.TextDocument, offset: number): Promise<vscode.TextEditor> {
  // Beside the Markdown, wherever it is: make its editor the active one first (opening it when it is not).
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === markdown.toString());
  await vscode.window.showTextDocument(shown?.document ?? (await vscode.workspace.openTextDocument(markdown)), {
    viewColumn: shown?.viewColumn,
    preview: true,
  });
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
  const position = doc.positionAt(offset);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  return editor;
}

/**
 * The import's summary, offering to run the first runnable step right away: in the active incident, or in a new one
 * with the defaults the message spells out (one click at 3 a.m. instead of one more question).
 */
async function offerRun(
  deps: ImportDeps,
  doc: vscode.TextDocument,
  model: PlaybookModel,
  step: StepModel | undefined,
  summary: string,
  warnings: string[],
): Promise<void> {
  const target: IncidentTarget = { path: playbookPath(doc.uri), model, scenarioId: step?.scenarioId };
  const offer = step && vscode.workspace.isTrusted ? await runOffer(deps.session, target, step) : undefined;
  const actions = [offer ? RUN_FIRST : undefined, warnings.length > 0 ? SHOW_WARNINGS : undefined].filter(
    (a): a is string => a !== undefined,
  );
  const choice = await vscode.window.showInformationMessage(offer ? `${summary} ${offer.text}` : summary, ...actions);
  if (choice === SHOW_WARNINGS) void vscode.window.showInformationMessage(warnings.join('\n'), { modal: true });
  if (choice !== RUN_FIRST || !offer) return;
  if (!deps.session.current) await deps.session.startIncident({ ...offer.incident, drill: false, playbook: target.path });
  await deps.runs.runStep(doc.uri, offer.stepId);
}

/** What the offer to run says and does; undefined when there is no title to start an incident with. */
async function runOffer(
  session: IncidentSession,
  target: IncidentTarget,
  step: StepModel,
): Promise<{ text: string; stepId: string; incident: { title: string; severity: string; commander: string } } | undefined> {
  const defaults = await session.defaultsFor(target);
  if (step.id === undefined || defaults.title === undefined) return undefined;
  const name = `“${step.title ?? step.id}”`;
  const active = session.current;
  const text = active
    ? `${RUN_FIRST} records ${name} in ${active.id}.`
    : `${RUN_FIRST} starts incident ${describeDefaults(defaults)} and runs ${name}.`;
  return { text, stepId: step.id, incident: { ...defaults, title: defaults.title } };
}

const RUN_FIRST = '▶ Run First Step';
const SHOW_WARNINGS = 'Show Warnings';

/** The Markdown file in the active editor: the one a person most likely means. */
function activeMarkdown(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'markdown' && doc.uri.scheme === 'file' ? doc.uri : undefined;
}

async function pick(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { Markdown: ['md', 'markdown', 'txt'] },
    title: 'Import a Markdown playbook',
  });
  return picked?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export function registerImport(deps: ImportDeps): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.importMarkdown, (source?: vscode.Uri) => importFromMarkdown(deps, source));
}
