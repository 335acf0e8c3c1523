// The incident lifecycle commands (start, status, severity, roles, note, resolve, reopen, switch, report); each one
// that changes the incident is an event in its log.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { INCIDENT_STATUSES, type IncidentStatus as IncidentStatusName } from '../../incident/events';
import {
  reopenableIncidents,
  roleChoices,
  severityChoices,
  suggestedPerson,
  switchableIncidents,
  type Choice,
} from '../../incident/lifecycle';
import { fromPlaybook, renderReport } from '../../incident/report';
import { emptyModel } from '../../playbook/model';
import type { PlaybookService } from '../../playbook/service';
import { asDocument, isPlaybook } from '../playbook/documents';
import { workspaceIncidents, type IncidentSession } from './incidentSession';
import type { IncidentStatus } from './incidentStatus';

/** Lifecycle commands; each is an event in the incident's log. */
export function registerIncidentCommands(session: IncidentSession, status: IncidentStatus, service: PlaybookService): vscode.Disposable {
  const active = () => {
    if (session.current) return session.incident;
    void vscode.window.showInformationMessage('No incident is active: run a step or use “Playbook: Start Incident”.');
    return undefined;
  };
  return vscode.Disposable.from(
    status,
    session.onDidChange(() => void status.refresh()),
    vscode.commands.registerCommand(Commands.startIncident, async () => {
      const doc = vscode.window.activeTextEditor?.document;
      const playbook = doc && isPlaybook(doc) ? doc : undefined;
      const model = playbook ? service.analyze(asDocument(playbook)).model : emptyModel();
      // The scenario around the cursor names the incident, as the scenario of a step run from it would.
      const offset = playbook && vscode.window.activeTextEditor ? playbook.offsetAt(vscode.window.activeTextEditor.selection.active) : -1;
      const scenarioId = model.scenarios.find((s) => s.span.start <= offset && offset <= s.span.end)?.id;
      await session.ensureActive({ path: playbook ? vscode.workspace.asRelativePath(playbook.uri) : '', model, scenarioId });
    }),
    vscode.commands.registerCommand(Commands.changeStatus, async (given?: IncidentStatusName) => {
      const state = active();
      if (!state) return;
      const choices = INCIDENT_STATUSES.filter((s) => s !== state.status);
      const to =
        typeof given === 'string'
          ? choices.find((s) => s === given)
          : ((await vscode.window.showQuickPick(choices, {
              title: `${state.id}: status is ${state.status}`,
              placeHolder: 'New status',
            })) as IncidentStatusName | undefined);
      // Resolving is its own step (a summary, then the incident stops being the active one).
      if (to === 'resolved') await vscode.commands.executeCommand(Commands.resolveIncident);
      else if (to) await session.record('status.changed', { from: state.status, to });
    }),
    vscode.commands.registerCommand(Commands.addNote, async (text?: string) => {
      if (!active()) return;
      const note =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({ title: 'Add a note to the incident log', ignoreFocusOut: true });
      if (note?.trim()) await session.record('note.added', { text: note.trim() });
    }),
    vscode.commands.registerCommand(Commands.exportReport, async () => {
      const state = active();
      if (!state || !status.snapshotEvents) return undefined;
      const text = renderReport(state, status.snapshotEvents, fromPlaybook(status.playbook));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }));
      return text;
    }),
    vscode.commands.registerCommand(Commands.changeSeverity, async (given?: string) => {
      const state = active();
      if (!state) return;
      const to =
        typeof given === 'string'
          ? given
          : await pickOrType(severityChoices(status.playbook?.severities, state.severity), {
              title: `${state.id}: severity is ${state.severity}`,
              placeHolder: 'New severity, from the playbook’s severity table',
            });
      if (to?.trim() && to.trim() !== state.severity) await session.record('severity.changed', { from: state.severity, to: to.trim() });
    }),
    vscode.commands.registerCommand(Commands.assignRole, async (givenRole?: string, givenPerson?: string) => {
      const state = active();
      if (!state) return;
      const roles = status.playbook?.roles;
      const role =
        typeof givenRole === 'string'
          ? givenRole
          : await pickOrType(roleChoices(roles, state), {
              title: `${state.id}: assign a role`,
              placeHolder: 'Role, from the playbook (or type another)',
            });
      if (!role?.trim()) return;
      const person =
        typeof givenPerson === 'string'
          ? givenPerson
          : await vscode.window.showInputBox({
              title: `${state.id}: who is ${role.trim()}?`,
              value: suggestedPerson(roles, state, role.trim(), session.operator),
              prompt: 'Leave empty to unassign the role',
              ignoreFocusOut: true,
            });
      if (person !== undefined && person.trim() !== (state.roles.get(role.trim()) ?? ''))
        await session.record('role.assigned', { role: role.trim(), person: person.trim() });
    }),
    vscode.commands.registerCommand(Commands.switchIncident, async (givenId?: string) => {
      const id = await chooseIncident(
        switchableIncidents(await workspaceIncidents(), session.current?.id),
        givenId,
        'Switch to an open incident',
        'No other open incident in this workspace.',
      );
      if (id && (await session.activate(id))) vscode.window.setStatusBarMessage(`$(flame) Recording to ${id}`, 5000);
    }),
    vscode.commands.registerCommand(Commands.reopenIncident, async (givenId?: string, givenReason?: string) => {
      const id = await chooseIncident(
        reopenableIncidents(await workspaceIncidents()),
        givenId,
        'Reopen a resolved incident',
        'No resolved incident in this workspace.',
      );
      if (!id) return;
      const reason =
        typeof givenReason === 'string'
          ? givenReason
          : await vscode.window.showInputBox({ title: `Reopen ${id}`, prompt: 'Why? (optional)', ignoreFocusOut: true });
      if (reason === undefined || !(await session.activate(id))) return;
      await session.record('incident.reopened', { reason: reason.trim() || undefined });
    }),
    vscode.commands.registerCommand(Commands.resolveIncident, async (given?: string) => {
      const state = active();
      if (!state) return;
      const summary =
        typeof given === 'string'
          ? given
          : await vscode.window.showInputBox({
              title: `Resolve ${state.id}`,
              prompt: 'A one-line summary (optional)',
              ignoreFocusOut: true,
            });
      if (summary === undefined) return;
      await session.record('incident.resolved', { summary: summary.trim() || undefined });
      await session.forget();
    }),
  );
}

/** The given incident when it is one of the choices (a resolved one cannot be switched to, an open one not reopened), else a pick. */
async function chooseIncident(choices: Choice[], given: unknown, title: string, none: string): Promise<string | undefined> {
  if (given === undefined) return pickIncident(choices, title, none);
  const id = choices.find((c) => c.id === given)?.id;
  if (!id) void vscode.window.showWarningMessage(`${String(given)} is not one of these: ${title.toLowerCase()}.`);
  return id;
}

async function pickIncident(choices: Choice[], title: string, none: string): Promise<string | undefined> {
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(none);
    return undefined;
  }
  return (await vscode.window.showQuickPick(choices, { title, matchOnDescription: true }))?.id;
}

/** A pick list that also takes a typed value not in the list (a severity or role the playbook does not name). */
function pickOrType(choices: Choice[], options: { title: string; placeHolder: string }): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
    Object.assign(pick, options, { ignoreFocusOut: true });
    const listed = choices.map((c) => ({ label: c.label, description: c.description, id: c.id }));
    pick.items = listed;
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      pick.items =
        typed && !choices.some((c) => c.id === typed || c.label === typed)
          ? [...listed, { label: typed, description: 'not in the playbook', id: typed }]
          : listed;
    });
    let result: string | undefined;
    pick.onDidAccept(() => {
      result = pick.selectedItems[0]?.id ?? (pick.value.trim() || undefined);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}
