// The Playbooks tree: playbooks in the workspace → scenarios → phases → steps, following edits as you type.
import * as vscode from 'vscode';
import { Commands, ViewIds } from '../../commands';
import { checklistsOf, POST_INCIDENT_CHECKLIST, type PlaybookChecklist } from '../../incident/report';
import { checklistKey } from '../../incident/state';
import type { Analysis } from '../../playbook/analyze';
import type { PhaseModel, ScenarioModel, StepKind, StepModel } from '../../playbook/model';
import type { PlaybookService } from '../../playbook/service';
import type { Playbook } from '../../playbook/types';
import { asDocument, isPlaybook } from './documents';
import { playbookPath, type IncidentSession } from '../incident/incidentSession';

const PLAYBOOK_GLOB = '**/*.playbook.{yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.vscode-test}/**';

const STEP_ICONS: Record<StepKind, string> = { run: 'terminal', http: 'globe', manual: 'checklist', notify: 'megaphone' };

type Node =
  | { kind: 'playbook'; uri: vscode.Uri }
  | { kind: 'scenario'; uri: vscode.Uri; scenario: ScenarioModel }
  | { kind: 'phase'; uri: vscode.Uri; scenario: ScenarioModel; phase: PhaseModel }
  | { kind: 'step'; uri: vscode.Uri; step: StepModel }
  | { kind: 'checklists'; uri: vscode.Uri }
  | { kind: 'checklist'; uri: vscode.Uri; checklist: PlaybookChecklist; offset: number }
  | { kind: 'checklistItem'; uri: vscode.Uri; checklist: string; item: string; offset: number };

/** A checklist item of the tree, as its checkbox and the toggle command pass it. */
export type ChecklistItemNode = Extract<Node, { kind: 'checklistItem' }>;

export class StepTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private files: vscode.Uri[] | undefined;
  private readonly fileVersions = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: PlaybookService,
    private readonly session?: IncidentSession,
  ) {}

  refresh(): void {
    this.files = undefined;
    this.changed.fire(undefined);
  }

  /** Re-reads after typing pauses briefly, so the tree follows edits without churning on every key. */
  scheduleRefresh(delayMs = 120): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.changed.fire(undefined), delayMs);
  }

  fileChanged(uri: vscode.Uri): void {
    this.fileVersions.delete(uri.toString());
    this.scheduleRefresh();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return (await this.playbookFiles()).map((uri) => ({ kind: 'playbook', uri }));
    if (node.kind === 'playbook') {
      const analysis = await this.analysisOf(node.uri);
      const scenarios: Node[] = (analysis?.model.scenarios ?? []).map((scenario) => ({ kind: 'scenario', uri: node.uri, scenario }));
      return checklistsOf(analysis?.value as Playbook | undefined).length > 0
        ? [...scenarios, { kind: 'checklists', uri: node.uri }]
        : scenarios;
    }
    if (node.kind === 'checklists') return this.checklistNodes(node.uri);
    if (node.kind === 'checklist')
      return node.checklist.items.map((item) => ({
        kind: 'checklistItem',
        uri: node.uri,
        checklist: node.checklist.id,
        item,
        offset: node.offset,
      }));
    if (node.kind === 'scenario') {
      const phases: Node[] = node.scenario.phases.map((phase) => ({ kind: 'phase', uri: node.uri, scenario: node.scenario, phase }));
      const steps: Node[] = node.scenario.steps.map((step) => ({ kind: 'step', uri: node.uri, step }));
      return [...phases, ...steps];
    }
    if (node.kind === 'phase') return node.phase.steps.map((step) => ({ kind: 'step', uri: node.uri, step }));
    return [];
  }

  async getTreeItem(node: Node): Promise<vscode.TreeItem> {
    switch (node.kind) {
      case 'playbook':
        return this.playbookItem(node.uri);
      case 'scenario':
        return this.item(
          node.uri,
          `scenario:${node.scenario.id ?? node.scenario.span.start}`,
          node.scenario.title ?? node.scenario.id ?? 'Scenario',
          node.scenario.id,
          'flame',
          node.scenario.idSpan.start,
          'scenario',
          vscode.TreeItemCollapsibleState.Collapsed,
        );
      case 'phase':
        return this.item(
          node.uri,
          `phase:${node.scenario.id}/${node.phase.id ?? node.phase.span.start}`,
          node.phase.title ?? node.phase.id ?? 'Phase',
          node.phase.id,
          'milestone',
          node.phase.idSpan.start,
          'phase',
          vscode.TreeItemCollapsibleState.Expanded,
        );
      case 'step':
        return this.stepItem(node.uri, node.step);
      case 'checklists': {
        const item = new vscode.TreeItem('Checklists', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.uri.toString()}#checklists`;
        item.iconPath = new vscode.ThemeIcon('checklist');
        item.contextValue = 'checklists';
        return item;
      }
      case 'checklist':
        return this.item(
          node.uri,
          `checklist:${node.checklist.id}`,
          node.checklist.title,
          node.checklist.when,
          'tasklist',
          node.offset,
          'checklist',
          vscode.TreeItemCollapsibleState.Expanded,
        );
      case 'checklistItem':
        return this.checklistItem(node);
    }
  }

  private async checklistNodes(uri: vscode.Uri): Promise<Node[]> {
    const analysis = await this.analysisOf(uri);
    const model = analysis?.model;
    return checklistsOf(analysis?.value as Playbook | undefined).map((checklist) => {
      const named = model?.checklists.find((c) => c.id === checklist.id)?.idSpan.start;
      const section = model?.sections.find((s) => s.key === 'post_incident')?.keySpan.start;
      return { kind: 'checklist', uri, checklist, offset: (checklist.id === POST_INCIDENT_CHECKLIST ? section : named) ?? 0 };
    });
  }

  private checklistItem(node: ChecklistItemNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.item, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri.toString()}#checklist:${node.checklist}:${node.item}`;
    item.contextValue = 'checklistItem';
    const tick = this.session?.current ? this.session.incident.checklists.get(checklistKeyOf(node)) : undefined;
    item.checkboxState = tick
      ? { state: vscode.TreeItemCheckboxState.Checked, tooltip: 'Untick' }
      : { state: vscode.TreeItemCheckboxState.Unchecked, tooltip: 'Tick: recorded in the incident log' };
    item.description = tick
      ? `${tick.actor} · ${new Date(tick.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
      : undefined;
    item.tooltip = tick ? `Ticked by ${tick.actor} at ${new Date(tick.at).toLocaleString()}` : 'Not ticked in the active incident';
    item.command = { command: Commands.revealStep, title: 'Reveal', arguments: [node.uri, node.offset] };
    return item;
  }

  private async playbookItem(uri: vscode.Uri): Promise<vscode.TreeItem> {
    const analysis = await this.analysisOf(uri);
    const item = new vscode.TreeItem(
      analysis?.model.title ?? uri.path.split('/').pop() ?? 'Playbook',
      vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = `playbook:${uri.toString()}`;
    item.resourceUri = uri;
    item.description = vscode.workspace.asRelativePath(uri);
    item.iconPath = new vscode.ThemeIcon('book');
    item.contextValue = 'playbook';
    const errors = analysis?.problems.filter((p) => p.severity === 'error').length ?? 0;
    item.tooltip = errors > 0 ? `${errors} error(s): see the Problems panel` : vscode.workspace.asRelativePath(uri);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    return item;
  }

  private item(
    uri: vscode.Uri,
    id: string,
    label: string,
    description: string | undefined,
    icon: string,
    offset: number,
    context: string,
    state: vscode.TreeItemCollapsibleState,
  ): vscode.TreeItem {
    const item = new vscode.TreeItem(label, state);
    item.id = `${uri.toString()}#${id}`;
    item.description = description;
    item.iconPath = new vscode.ThemeIcon(icon);
    item.contextValue = context;
    item.command = { command: Commands.revealStep, title: 'Reveal', arguments: [uri, offset] };
    return item;
  }

  private stepItem(uri: vscode.Uri, step: StepModel): vscode.TreeItem {
    const icon = step.kind ? STEP_ICONS[step.kind] : 'warning';
    const item = this.item(
      uri,
      `step:${step.id ?? step.span.start}`,
      step.title ?? step.id ?? 'Step',
      step.id,
      icon,
      step.idSpan.start,
      `step.${step.kind ?? 'invalid'}`,
      vscode.TreeItemCollapsibleState.None,
    );
    const latest = step.id === undefined ? undefined : this.session?.latest(step.id);
    if (latest) item.iconPath = resultIcon(latest.type === 'ticked' ? 'passed' : latest.verdict);
    item.tooltip = new vscode.MarkdownString(
      `**${step.title ?? step.id ?? 'Step'}**  \n\`${step.id ?? '(no id)'}\` · ${step.kind ?? 'no kind'}`,
    );
    return item;
  }

  private async playbookFiles(): Promise<vscode.Uri[]> {
    this.files ??= (await vscode.workspace.findFiles(PLAYBOOK_GLOB, EXCLUDE_GLOB, 500)).sort((a, b) => a.path.localeCompare(b.path));
    const open = vscode.workspace.textDocuments.filter((d) => isPlaybook(d) && d.uri.scheme === 'untitled').map((d) => d.uri);
    return [...this.files, ...open];
  }

  /** The open document's text when it is open (so the tree follows unsaved edits), else the file on disk. */
  private async analysisOf(uri: vscode.Uri): Promise<Analysis | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.service.analyze({ uri: uri.toString(), version: open.version, getText: () => open.getText() });
    try {
      const key = uri.toString();
      const version = this.fileVersions.get(key) ?? -(await vscode.workspace.fs.stat(uri)).mtime;
      this.fileVersions.set(key, version);
      const cached = this.service.cached(key, version);
      if (cached) return cached;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return this.service.analyze({ uri: key, version, getText: () => text });
    } catch {
      return undefined;
    }
  }
}

/** The last result as the step's icon: the kind icon until the step has run. */
function resultIcon(verdict: string): vscode.ThemeIcon {
  if (verdict === 'passed') return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  if (verdict === 'skipped') return new vscode.ThemeIcon('debug-step-over');
  if (verdict === 'unknown') return new vscode.ThemeIcon('question', new vscode.ThemeColor('testing.iconQueued'));
  return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
}

export async function revealStep(uri: vscode.Uri, offset: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const position = doc.positionAt(offset);
  const editor = await vscode.window.showTextDocument(doc, { preserveFocus: false });
  const word = doc.getWordRangeAtPosition(position, /[A-Za-z0-9_-]+/) ?? new vscode.Range(position, position);
  editor.selection = new vscode.Selection(word.start, word.end);
  editor.revealRange(word, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function checklistKeyOf(node: ChecklistItemNode): string {
  return checklistKey(node.checklist, node.item);
}

/**
 * Ticks or unticks a checklist item in the active incident (asking to start one when none is active), or
 * leaves it as it was when the person declines; returns whether the item is now ticked.
 */
async function toggleChecklistItem(
  service: PlaybookService,
  session: IncidentSession,
  node: ChecklistItemNode,
  checked?: boolean,
): Promise<boolean> {
  const want = checked ?? !(session.current !== undefined && session.isTicked(node.checklist, node.item));
  const doc = await vscode.workspace.openTextDocument(node.uri);
  const active = await session.ensureActive({ path: playbookPath(node.uri), model: service.analyze(asDocument(doc)).model });
  if (active && want !== session.isTicked(node.checklist, node.item)) {
    await session.record('checklist.ticked', { checklist: node.checklist, item: node.item, checked: want });
  }
  return session.isTicked(node.checklist, node.item);
}

export function registerStepTree(service: PlaybookService, session?: IncidentSession): vscode.Disposable & { provider: StepTreeProvider } {
  const provider = new StepTreeProvider(service, session);
  const view = vscode.window.createTreeView(ViewIds.steps, {
    treeDataProvider: provider,
    showCollapseAll: true,
    manageCheckboxStateManually: true,
  });
  const toggle = async (node: ChecklistItemNode, checked?: boolean) => {
    if (!session) return false;
    const ticked = await toggleChecklistItem(service, session, node, checked);
    provider.scheduleRefresh(0);
    return ticked;
  };
  const watcher = vscode.workspace.createFileSystemWatcher(PLAYBOOK_GLOB);
  const disposable = vscode.Disposable.from(
    provider,
    view,
    watcher,
    watcher.onDidCreate(() => provider.refresh()),
    watcher.onDidDelete(() => provider.refresh()),
    watcher.onDidChange((uri) => provider.fileChanged(uri)),
    ...(session ? [session.onDidChange(() => provider.scheduleRefresh())] : []),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isPlaybook(e.document)) provider.scheduleRefresh();
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isPlaybook(d) && d.uri.scheme === 'untitled') provider.refresh();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (isPlaybook(d)) provider.fileChanged(d.uri);
    }),
    vscode.commands.registerCommand(Commands.revealStep, (uri: vscode.Uri | string, offset: number) =>
      revealStep(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri, offset),
    ),
    vscode.commands.registerCommand(Commands.refreshTree, () => provider.refresh()),
    vscode.commands.registerCommand(Commands.toggleChecklistItem, (node: ChecklistItemNode, checked?: boolean) => toggle(node, checked)),
    view.onDidChangeCheckboxState(async (e) => {
      for (const [node, state] of e.items)
        if (node.kind === 'checklistItem') await toggle(node, state === vscode.TreeItemCheckboxState.Checked);
    }),
  );
  return Object.assign(disposable, { provider });
}
