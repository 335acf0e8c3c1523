// Code lenses: ▶ Run and Dry run above each step with its last result, ▶ Run all / ▶ Run next above each
// scenario and phase; in an untrusted workspace, one lens that says why nothing runs.
import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { Analysis } from '../playbook/analyze';
import type { ItemModel, StepModel } from '../playbook/model';
import type { PlaybookService } from '../playbook/service';
import { resultLabel } from '../run/resultLabel';
import { asDocument, PLAYBOOK_SELECTOR } from './documents';
import type { IncidentSession } from './incidentSession';

export class StepLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly service: PlaybookService, private readonly session: IncidentSession) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const analysis = this.service.analyze(asDocument(doc));
    if (!vscode.workspace.isTrusted) return untrustedLenses(doc, analysis);
    const lenses: vscode.CodeLens[] = [];
    for (const scenario of analysis.model.scenarios) {
      lenses.push(...this.groupLenses(doc, scenario, [scenario.id]));
      for (const phase of scenario.phases) lenses.push(...this.groupLenses(doc, phase, [scenario.id, phase.id]));
    }
    for (const step of analysis.model.steps) lenses.push(...this.stepLenses(doc, step));
    return lenses;
  }

  private groupLenses(doc: vscode.TextDocument, item: ItemModel, ids: (string | undefined)[]): vscode.CodeLens[] {
    if (ids.some((id) => id === undefined)) return [];
    const range = lineRange(doc, item.idSpan.start);
    return [
      new vscode.CodeLens(range, { title: '▶ Run all', tooltip: 'Run every step in order; stops at the first failure unless a step continues on failure', command: Commands.runAll, arguments: [doc.uri, ...ids] }),
      new vscode.CodeLens(range, { title: '▶ Run next', tooltip: 'Run the first step that has not passed yet', command: Commands.runNext, arguments: [doc.uri, ...ids] }),
    ];
  }

  private stepLenses(doc: vscode.TextDocument, step: StepModel): vscode.CodeLens[] {
    if (step.id === undefined || step.kind === undefined) return [];
    const range = lineRange(doc, step.idSpan.start);
    const lenses: vscode.CodeLens[] = [];
    if (step.kind === 'run' || step.kind === 'http') {
      lenses.push(
        new vscode.CodeLens(range, { title: '▶ Run', tooltip: `Run step ${step.id} and record the result`, command: Commands.runStep, arguments: [doc.uri, step.id] }),
        new vscode.CodeLens(range, { title: 'Dry run', tooltip: 'Show the expanded command without running it', command: Commands.dryRunStep, arguments: [doc.uri, step.id] }),
      );
    } else if (step.kind === 'notify') {
      const posts = /^\s*webhook\s*:/m.test(doc.getText(new vscode.Range(doc.positionAt(step.span.start), doc.positionAt(step.span.end))));
      lenses.push(new vscode.CodeLens(range, posts
        ? { title: '✉ Post message', tooltip: 'Fill the template with the incident’s data and post it to the webhook', command: Commands.notifyStep, arguments: [doc.uri, step.id] }
        : { title: '✉ Prepare message', tooltip: 'Fill the template with the incident’s data, open it and copy it', command: Commands.notifyStep, arguments: [doc.uri, step.id] }));
    } else if (step.kind === 'manual') {
      lenses.push(new vscode.CodeLens(range, { title: '☐ Mark done', tooltip: 'Tick this step off and record it', command: Commands.tickStep, arguments: [doc.uri, step.id] }));
    }
    const latest = this.session.latest(step.id);
    if (latest?.type === 'run') {
      lenses.push(new vscode.CodeLens(range, { title: resultLabel({ ...latest, end: latest.at }), command: '' }));
    } else if (latest?.type === 'ticked') {
      lenses.push(new vscode.CodeLens(range, { title: `✓ done · ${new Date(latest.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`, command: '' }));
    }
    return lenses;
  }
}

function lineRange(doc: vscode.TextDocument, offset: number): vscode.Range {
  const line = doc.positionAt(offset).line;
  return new vscode.Range(line, 0, line, 0);
}

/** One lens per scenario, so the reason is visible where people look for the Run buttons. */
function untrustedLenses(doc: vscode.TextDocument, analysis: Analysis): vscode.CodeLens[] {
  return analysis.model.scenarios.map((scenario) => new vscode.CodeLens(lineRange(doc, scenario.idSpan.start), {
    title: '$(shield) Steps run only in a trusted workspace: manage trust',
    tooltip: 'Workspace Trust: this folder is in Restricted Mode, so no command runs. Editing and validation still work.',
    command: 'workbench.trust.manage',
  }));
}

export function registerCodeLenses(service: PlaybookService, session: IncidentSession): vscode.Disposable & { provider: StepLensProvider } {
  const provider = new StepLensProvider(service, session);
  const disposable = vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(PLAYBOOK_SELECTOR, provider),
    session.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
  );
  return Object.assign(disposable, { provider });
}
