// Completion, hover, outline and folding for playbook documents, answered by the core.
import * as vscode from 'vscode';
import type { Completion, CompletionKind } from '../../playbook/completion';
import type { PlaybookService } from '../../playbook/service';
import type { PlaybookSymbol } from '../../playbook/symbols';
import { asDocument, PLAYBOOK_SELECTOR, toRange } from './documents';

const COMPLETION_KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  reference: vscode.CompletionItemKind.Reference,
  variable: vscode.CompletionItemKind.Variable,
  placeholder: vscode.CompletionItemKind.Field,
  keyword: vscode.CompletionItemKind.Keyword,
};

function toCompletionItem(doc: vscode.TextDocument, c: Completion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
  item.detail = c.detail;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
  item.range = toRange(doc, c);
  item.sortText = c.sortText;
  return item;
}

const SYMBOL_KIND: Record<PlaybookSymbol['kind'], vscode.SymbolKind> = {
  'playbook-section': vscode.SymbolKind.Module,
  scenario: vscode.SymbolKind.Namespace,
  phase: vscode.SymbolKind.Class,
  step: vscode.SymbolKind.Function,
  entry: vscode.SymbolKind.Constant,
};

function toSymbol(doc: vscode.TextDocument, s: PlaybookSymbol): vscode.DocumentSymbol {
  const range = toRange(doc, s.span);
  const selection = toRange(doc, s.selection);
  const symbol = new vscode.DocumentSymbol(
    s.name || '(unnamed)',
    s.detail ?? '',
    SYMBOL_KIND[s.kind],
    range,
    range.contains(selection) ? selection : range,
  );
  symbol.children = s.children.map((c) => toSymbol(doc, c));
  return symbol;
}

export function registerLanguageFeatures(service: PlaybookService): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(
      PLAYBOOK_SELECTOR,
      {
        provideCompletionItems: (doc, position) =>
          service.complete(asDocument(doc), doc.offsetAt(position)).map((c) => toCompletionItem(doc, c)),
      },
      ':',
      ' ',
      '.',
      '{',
      '$',
    ),
    vscode.languages.registerHoverProvider(PLAYBOOK_SELECTOR, {
      provideHover: (doc, position) => {
        const h = service.hover(asDocument(doc), doc.offsetAt(position));
        return h && new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(doc, h));
      },
    }),
    vscode.languages.registerDocumentSymbolProvider(
      PLAYBOOK_SELECTOR,
      {
        provideDocumentSymbols: (doc) => service.symbols(asDocument(doc)).map((s) => toSymbol(doc, s)),
      },
      { label: 'Playbook' },
    ),
    vscode.languages.registerFoldingRangeProvider(PLAYBOOK_SELECTOR, {
      provideFoldingRanges: (doc) =>
        service
          .folding(asDocument(doc))
          .map((span) => new vscode.FoldingRange(doc.positionAt(span.start).line, doc.positionAt(Math.max(span.start, span.end - 1)).line))
          .filter((r) => r.end > r.start),
    }),
  );
}
