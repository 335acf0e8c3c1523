// Publishes the core's problems as diagnostics, debounced while typing.
import * as vscode from 'vscode';
import type { Problem } from '../../playbook/problems';
import type { PlaybookService } from '../../playbook/service';
import { asDocument, isPlaybook, settings, toRange } from './documents';

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(doc, p), p.message, SEVERITY[p.severity]);
  diagnostic.source = 'playbook';
  diagnostic.code = p.code;
  return diagnostic;
}

export function registerDiagnostics(service: PlaybookService): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('playbook');
  const timers = new Map<string, NodeJS.Timeout>();

  const publish = (doc: vscode.TextDocument) => {
    timers.delete(doc.uri.toString());
    if (doc.isClosed || !isPlaybook(doc)) return;
    const analysis = service.analyze(asDocument(doc));
    collection.set(
      doc.uri,
      analysis.problems.map((p) => toDiagnostic(doc, p)),
    );
  };
  const schedule = (doc: vscode.TextDocument) => {
    if (!isPlaybook(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => publish(doc), settings().debounceMs),
    );
  };
  const forget = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    collection.delete(doc.uri);
    service.forget(key);
  };

  vscode.workspace.textDocuments.forEach(publish);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(publish),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument(forget),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
