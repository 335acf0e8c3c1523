// Adapts VS Code documents to the core's DocumentLike and converts offsets to ranges.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../commands';
import type { DocumentLike } from '../../playbook/service';
import type { Span } from '../../playbook/problems';

export function asDocument(doc: vscode.TextDocument): DocumentLike {
  return { uri: doc.uri.toString(), version: doc.version, getText: () => doc.getText() };
}

export function toRange(doc: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

export function isPlaybook(doc: vscode.TextDocument): boolean {
  return doc.languageId === LANGUAGE_ID;
}

export const PLAYBOOK_SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];

/** Reads the extension's settings afresh each time, so changes apply without a reload. */
export function settings() {
  const config = vscode.workspace.getConfiguration('playbook');
  return {
    debounceMs: config.get<number>('validation.debounceMs', 150),
    maxFileSizeMb: config.get<number>('validation.maxFileSizeMb', 16),
  };
}
