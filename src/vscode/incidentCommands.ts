// The incident lifecycle commands (start, status, severity, roles, note, resolve, reopen, switch, report); each one
// that changes the incident is an event in its log.
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { INCIDENT_STATUSES, type IncidentStatus as IncidentStatusName } from '../incident/events';
import { fromPlaybook, renderReport } from '../incident/report';
import type { PlaybookService } from '../playbook/service';
import { asDocument, isPlaybook } from './documents';
import type { IncidentSession } from './incidentSession';
import type { IncidentStatus } from './incidentStatus';

/** Lifecycle commands; each is an event in the incident's log. */
export function registerIncidentCommands(session: IncidentSession, status: IncidentStatus, service: PlaybookService): vscode.Disposable {
  const active = () => {
    if (session.current && status.state) return status.state;
    void vscode.window.showInformationMessage('No incident is active: run a step or use “Playbook: Start Incident”.');
    return undefined;
  };
  return vscode.Disposable.from(
    status,
    session.onDidChange(() => void status.refresh()),
    vscode.commands.registerCommand(Commands.startIncident, async () => {
      const editor = vscode.window.activeTextEditor;
      const severities = editor && isPlaybook(editor.document) ? service.analyze(asDocument(editor.document)).model.severities : [];
      await session.ensureActive({ path: editor && isPlaybook(editor.document) ? vscode.workspace.asRelativePath(editor.document.uri) : '', severities });
    }),
    vscode.commands.registerCommand(Commands.changeStatus, async () => {
      const state = active();
      if (!state) return;
      const to = (await vscode.window.showQuickPick(INCIDENT_STATUSES.filter((s) => s !== state.status), { title: `${state.id}: status is ${state.status}`, placeHolder: 'New status' })) as IncidentStatusName | undefined;
      if (to) await session.record('status.changed', { from: state.status, to });
    }),
    vscode.commands.registerCommand(Commands.addNote, async (text?: string) => {
      if (!active()) return;
      const note = typeof text === 'string' ? text : await vscode.window.showInputBox({ title: 'Add a note to the incident log', ignoreFocusOut: true });
      if (note?.trim()) await session.record('note.added', { text: note.trim() });
    }),
    vscode.commands.registerCommand(Commands.exportReport, async () => {
      const state = active();
      if (!state || !status.snapshotEvents) return undefined;
      const text = renderReport(state, status.snapshotEvents, fromPlaybook(status.playbook));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }));
      return text;
    }),
    vscode.commands.registerCommand(Commands.resolveIncident, async () => {
      const state = active();
      if (!state) return;
      const summary = await vscode.window.showInputBox({ title: `Resolve ${state.id}`, prompt: 'A one-line summary (optional)', ignoreFocusOut: true });
      if (summary === undefined) return;
      await session.record('incident.resolved', { summary: summary.trim() || undefined });
      await session.forget();
    }),
  );
}
