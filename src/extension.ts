// Activation: wires the playbook language, the tree and the commands together; nothing else.
import type * as vscode from 'vscode';
import { configuredEffects, ShellIntegrationTerminal } from './vscode/run/shellIntegrationRunner';
import { IncidentStatus } from './vscode/incident/incidentStatus';
import { IncidentLogs } from './vscode/incident/incidentLogs';
import { registerIncidentPanel, type IncidentPanel } from './vscode/panel/incidentPanel';
import { registerIncidentCommands } from './vscode/incident/incidentCommands';
import { registerImport } from './vscode/import/importCommand';
import { PlaybookService } from './playbook/service';
import { registerDiagnostics } from './vscode/playbook/diagnostics';
import { registerLanguageFeatures } from './vscode/playbook/language';
import { registerNewPlaybook } from './vscode/playbook/newPlaybook';
import { registerStepTree, type StepTreeProvider } from './vscode/playbook/tree';
import { settings } from './vscode/playbook/documents';
import { registerCodeLenses } from './vscode/run/codeLens';
import { IncidentSession } from './vscode/incident/incidentSession';
import { registerRunCommands } from './vscode/run/runCommands';
import { RunController } from './vscode/run/runController';
import { RunTerminal } from './vscode/run/runTerminal';
import { VariableValues } from './vscode/run/variablePrompts';
import { registerForgetSecrets } from './vscode/run/forgetSecrets';
import { registerIncidentSync, type IncidentSync } from './vscode/incident/incidentSync';

/** What activate returns: the integration tests read the tree through it. */
export interface PlaybookApi {
  service: PlaybookService;
  tree: StepTreeProvider;
  runs: RunController;
  session: IncidentSession;
  status: IncidentStatus;
  panel: IncidentPanel;
  values: VariableValues;
  sync: IncidentSync;
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
    registerDiagnostics(service),
    registerLanguageFeatures(service),
    tree,
    registerNewPlaybook(),
    session,
    terminal,
    shellTerminal,
    session.onDidStartIncident(() => values.clear()),
    registerCodeLenses(service, session),
    registerRunCommands(runs, session),
    registerImport({ service, session, runs }),
    values,
    registerForgetSecrets(values, service),
  );
  const logs = new IncidentLogs();
  const status = new IncidentStatus(session, service, logs);
  const panel = registerIncidentPanel(context.extensionUri, session, logs, service);
  context.subscriptions.push(
    registerIncidentCommands(session, status, service),
    panel,
    logs,
    logs.onDidUpdate((u) => session.adopt(u.file, u.log.state)),
  );
  const sync = registerIncidentSync(session, logs);
  context.subscriptions.push(sync.disposable);
  void session.restore();
  return { service, tree: tree.provider, runs, session, status, panel: panel.panel, values, sync: sync.sync };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
