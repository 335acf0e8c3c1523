// Code lenses: ▶ Run and Dry run above each step with its last result, ▶ Run all / ▶ Run next above each
// scenario and phase; in an untrusted workspace, one lens that says why nothing runs.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { Analysis } from '../../playbook/analyze';
import type { ItemModel, StepModel } from '../../playbook/model';
import type { PlaybookService } from '../../playbook/service';
import { resultLabel } from '../../run/resultLabel';
import { asDocument, PLAYBOOK_SELECTOR } from '../playbook/documents';
import type { IncidentSession } from '../incident/incidentSession';

/**
 * Above this many steps, lenses are given only for the lines around what editors show, and again as they scroll:
 * VS Code lays out a zone for every lens line whenever the editor's layout changes (opening the side bar, say),
 * which stalls the window for seconds at 10,000 steps.
 */
export const WINDOWED_STEPS = 2000;
/** Lines given lenses beyond each side of the visible ranges. */
const MARGIN_LINES = 300;

interface LensWindow {
  fromLine: number;
  toLine: number;
  start: number;
  end: number;
}

export class StepLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** The window last given lenses, by document, for documents above WINDOWED_STEPS. */
  private readonly windows = new Map<string, LensWindow>();

  constructor(
    private readonly service: PlaybookService,
    private readonly session: IncidentSession,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.windows.clear();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const analysis = this.service.analyze(asDocument(doc));
    if (!vscode.workspace.isTrusted) return untrustedLenses(doc, analysis);
    const window = analysis.model.steps.length > WINDOWED_STEPS ? lensWindow(doc) : undefined;
    if (window) this.windows.set(doc.uri.toString(), window);
    else this.windows.delete(doc.uri.toString());
    const shown = (item: ItemModel) => !window || (item.idSpan.start >= window.start && item.idSpan.start < window.end);
    const lenses: vscode.CodeLens[] = [];
    for (const scenario of analysis.model.scenarios) {
      if (shown(scenario)) lenses.push(...this.groupLenses(doc, scenario, [scenario.id]));
      for (const phase of scenario.phases) if (shown(phase)) lenses.push(...this.groupLenses(doc, phase, [scenario.id, phase.id]));
    }
    for (const step of analysis.model.steps) if (shown(step)) lenses.push(...this.stepLenses(doc, step));
    return lenses;
  }

  /** Asks for lenses again when an editor scrolls near the edge of the window it was given. */
  visibleRangesChanged(editor: vscode.TextEditor): void {
    const window = this.windows.get(editor.document.uri.toString());
    const ranges = editor.visibleRanges;
    if (!window || ranges.length === 0) return;
    const first = ranges[0].start.line;
    const last = ranges[ranges.length - 1].end.line;
    const slack = MARGIN_LINES / 3;
    const nearTop = window.fromLine > 0 && first < window.fromLine + slack;
    const nearBottom = window.toLine < editor.document.lineCount - 1 && last > window.toLine - slack;
    if (nearTop || nearBottom) this.changed.fire();
  }

  private groupLenses(doc: vscode.TextDocument, item: ItemModel, ids: (string | undefined)[]): vscode.CodeLens[] {
    if (ids.some((id) => id === undefined)) return [];
    const range = lineRange(doc, item.idSpan.start);
    return [
      new vscode.CodeLens(range, {
        title: '▶ Run all',
        tooltip: 'Run every step in order; stops at the first failure unless a step continues on failure',
        command: Commands.runAll,
        arguments: [doc.uri, ...ids],
      }),
      new vscode.CodeLens(range, {
        title: '▶ Run next',
        tooltip: 'Run the first step that has not passed yet',
        command: Commands.runNext,
        arguments: [doc.uri, ...ids],
      }),
    ];
  }

  private stepLenses(doc: vscode.TextDocument, step: StepModel): vscode.CodeLens[] {
    if (step.id === undefined || step.kind === undefined) return [];
    const range = lineRange(doc, step.idSpan.start);
    const lenses: vscode.CodeLens[] = [];
    if (step.kind === 'run' || step.kind === 'http') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '▶ Run',
          tooltip: `Run step ${step.id} and record the result`,
          command: Commands.runStep,
          arguments: [doc.uri, step.id],
        }),
        new vscode.CodeLens(range, {
          title: 'Dry run',
          tooltip: 'Show the expanded command without running it',
          command: Commands.dryRunStep,
          arguments: [doc.uri, step.id],
        }),
      );
    } else if (step.kind === 'notify') {
      const posts = /^\s*webhook\s*:/m.test(doc.getText(new vscode.Range(doc.positionAt(step.span.start), doc.positionAt(step.span.end))));
      lenses.push(
        new vscode.CodeLens(
          range,
          posts
            ? {
                title: '✉ Post message',
                tooltip: 'Fill the template with the incident’s data and post it to the webhook',
                command: Commands.notifyStep,
                arguments: [doc.uri, step.id],
              }
            : {
                title: '✉ Prepare message',
                tooltip: 'Fill the template with the incident’s data, open it and copy it',
                command: Commands.notifyStep,
                arguments: [doc.uri, step.id],
              },
        ),
      );
    } else if (step.kind === 'manual') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '☐ Mark done',
          tooltip: 'Tick this step off and record it',
          command: Commands.tickStep,
          arguments: [doc.uri, step.id],
        }),
      );
    }
    const latest = this.session.latest(step.id);
    if (latest?.type === 'run') {
      lenses.push(new vscode.CodeLens(range, { title: resultLabel({ ...latest, end: latest.at }), command: '' }));
    } else if (latest?.type === 'ticked') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: `✓ done · ${new Date(latest.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
          command: '',
        }),
      );
    }
    return lenses;
  }
}

/** The lines the editors showing `doc` show, with a margin; the top of the document when none shows it. */
function lensWindow(doc: vscode.TextDocument): LensWindow {
  const ranges = vscode.window.visibleTextEditors.filter((e) => e.document === doc).flatMap((e) => e.visibleRanges);
  const first = ranges.length > 0 ? Math.min(...ranges.map((r) => r.start.line)) : 0;
  const last = ranges.length > 0 ? Math.max(...ranges.map((r) => r.end.line)) : 0;
  const fromLine = Math.max(0, first - MARGIN_LINES);
  const toLine = Math.min(doc.lineCount - 1, last + MARGIN_LINES);
  return { fromLine, toLine, start: doc.offsetAt(new vscode.Position(fromLine, 0)), end: doc.offsetAt(new vscode.Position(toLine + 1, 0)) };
}

function lineRange(doc: vscode.TextDocument, offset: number): vscode.Range {
  const line = doc.positionAt(offset).line;
  return new vscode.Range(line, 0, line, 0);
}

/** One lens per scenario, so the reason is visible where people look for the Run buttons. */
function untrustedLenses(doc: vscode.TextDocument, analysis: Analysis): vscode.CodeLens[] {
  return analysis.model.scenarios.map(
    (scenario) =>
      new vscode.CodeLens(lineRange(doc, scenario.idSpan.start), {
        title: '$(shield) Steps run only in a trusted workspace: manage trust',
        tooltip: 'Workspace Trust: this folder is in Restricted Mode, so no command runs. Editing and validation still work.',
        command: 'workbench.trust.manage',
      }),
  );
}

export function registerCodeLenses(service: PlaybookService, session: IncidentSession): vscode.Disposable & { provider: StepLensProvider } {
  const provider = new StepLensProvider(service, session);
  const disposable = vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider(PLAYBOOK_SELECTOR, provider),
    session.onDidChange(() => provider.refresh()),
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => provider.visibleRangesChanged(e.textEditor)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
  );
  return Object.assign(disposable, { provider });
}
