// Registers the run commands used by code lenses, the tree and the palette.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { RunController } from './runController';
import type { IncidentSession } from '../incident/incidentSession';

/** Tree items pass themselves; lenses pass (uri, ids...). Both end up as a uri and ids. */
type StepArgs = [vscode.Uri | { uri: vscode.Uri; step?: { id?: string } }, string?];

function stepTarget(args: StepArgs): { uri: vscode.Uri; stepId: string } | undefined {
  const [first, second] = args;
  if (first instanceof vscode.Uri && second) return { uri: first, stepId: second };
  if (first && !(first instanceof vscode.Uri) && first.step?.id) return { uri: first.uri, stepId: first.step.id };
  return undefined;
}

type GroupArgs = [vscode.Uri | { uri: vscode.Uri; scenario?: { id?: string }; phase?: { id?: string } }, string?, string?];

function groupTarget(args: GroupArgs): { uri: vscode.Uri; scenarioId: string; phaseId?: string } | undefined {
  const [first, scenarioId, phaseId] = args;
  if (first instanceof vscode.Uri && scenarioId) return { uri: first, scenarioId, phaseId };
  if (first && !(first instanceof vscode.Uri) && first.scenario?.id)
    return { uri: first.uri, scenarioId: first.scenario.id, phaseId: first.phase?.id };
  return undefined;
}

export function registerRunCommands(controller: RunController, session: IncidentSession): vscode.Disposable {
  const onStep =
    (action: (uri: vscode.Uri, stepId: string) => Promise<unknown>) =>
    (...args: StepArgs) => {
      const target = stepTarget(args);
      return target ? action(target.uri, target.stepId) : undefined;
    };
  const onGroup =
    (action: (uri: vscode.Uri, scenarioId: string, phaseId?: string) => Promise<unknown>) =>
    (...args: GroupArgs) => {
      const target = groupTarget(args);
      return target ? action(target.uri, target.scenarioId, target.phaseId) : undefined;
    };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(
      Commands.runStep,
      onStep((uri, id) => controller.runStep(uri, id)),
    ),
    vscode.commands.registerCommand(
      Commands.dryRunStep,
      onStep((uri, id) => controller.dryRun(uri, id)),
    ),
    vscode.commands.registerCommand(
      Commands.tickStep,
      onStep((uri, id) => controller.tick(uri, id)),
    ),
    vscode.commands.registerCommand(
      Commands.notifyStep,
      onStep((uri, id) => controller.notify(uri, id)),
    ),
    vscode.commands.registerCommand(
      Commands.runAll,
      onGroup((uri, s, p) => controller.runAll(uri, s, p)),
    ),
    vscode.commands.registerCommand(
      Commands.runNext,
      onGroup((uri, s, p) => controller.runNext(uri, s, p)),
    ),
    vscode.commands.registerCommand(Commands.endIncident, async () => {
      await session.forget();
      vscode.window.setStatusBarMessage('No active incident: the next run asks to start one', 5000);
    }),
  );
}
