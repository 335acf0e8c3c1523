// Activation: wires the playbook language, the tree and the commands together; nothing else.
import type * as vscode from 'vscode';
import { configuredEffects, ShellIntegrationTerminal } from './vscode/shellIntegrationRunner';
import { IncidentStatus } from './vscode/incidentStatus';
import { IncidentLogs } from './vscode/incidentLogs';
import { registerIncidentPanel, type IncidentPanel } from './vscode/incidentPanel';
import { registerIncidentCommands } from './vscode/incidentCommands';
import { registerImport } from './vscode/importCommand';
import { PlaybookService } from './playbook/service';
import { registerDiagnostics } from './vscode/diagnostics';
import { registerLanguageFeatures } from './vscode/language';
import { registerNewPlaybook } from './vscode/newPlaybook';
import { registerStepTree, type StepTreeProvider } from './vscode/tree';
import { settings } from './vscode/documents';
import { registerCodeLenses } from './vscode/codeLens';
import { IncidentSession } from './vscode/incidentSession';
import { registerRunCommands } from './vscode/runCommands';
import { RunController } from './vscode/runController';
import { RunTerminal } from './vscode/runTerminal';
import { VariableValues } from './vscode/variablePrompts';

/** What activate returns: the integration tests read the tree through it. */
export interface PlaybookApi {
  service: PlaybookService;
  tree: StepTreeProvider;
  runs: RunController;
  session: IncidentSession;
  status: IncidentStatus;
  panel: IncidentPanel;
}

export function activate(context: vscode.ExtensionContext): PlaybookApi {
  const service = new PlaybookService({ maxBytes: settings().maxFileSizeMb * 1024 * 1024 });
  const session = new IncidentSession(context.workspaceState);
  const terminal = new RunTerminal();
  const shellTerminal = new ShellIntegrationTerminal();
  const values = new VariableValues(context.secrets);
  const runs = new RunController(service, session, values, terminal, configuredEffects(shellTerminal));
  const tree = registerStepTree(service, session);
  context.subscriptions.push(
    registerDiagnostics(service), registerLanguageFeatures(service), tree, registerNewPlaybook(),
    session, terminal, shellTerminal, session.onDidStartIncident(() => values.clear()),
    registerCodeLenses(service, session), registerRunCommands(runs, session), registerImport({ service, session, runs }),
  );
  const logs = new IncidentLogs();
  const status = new IncidentStatus(session, service, logs);
  const panel = registerIncidentPanel(context.extensionUri, session, logs, service);
  context.subscriptions.push(
    registerIncidentCommands(session, status, service), panel, logs,
    logs.onDidUpdate((u) => session.adopt(u.file, u.log.state)),
  );
  void session.restore();
  return { service, tree: tree.provider, runs, session, status, panel: panel.panel };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
