// Caches one analysis per document version and answers language questions from it.
import { PlaybookAnalyzer, type Analysis } from './analyze';
import { PieceAnalyzer } from './pieces';
import { complete, type Completion } from './completion';
import { hover, type Hover } from './hover';
import type { ParseOptions } from './parse';
import { SchemaNavigator, type SchemaNode } from './schemaNav';
import { playbookSchema } from './schemaValidation';
import { documentSymbols, foldingSpans, type PlaybookSymbol, type SymbolCache } from './symbols';
import type { Span } from './problems';

/** The minimal document the core needs; VS Code's TextDocument fits it through a small adapter. */
export interface DocumentLike {
  uri: string;
  version: number;
  getText(): string;
}

export class PlaybookService {
  private readonly analyzer: PlaybookAnalyzer;
  private readonly cache = new Map<string, { version: number; analysis: Analysis }>();
  private readonly pieces = new Map<string, PieceAnalyzer>();
  private readonly symbolCache: SymbolCache = new WeakMap();
  readonly schema = new SchemaNavigator(playbookSchema as SchemaNode);

  constructor(options: ParseOptions = {}) {
    this.analyzer = new PlaybookAnalyzer(options);
  }

  analyze(doc: DocumentLike): Analysis {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.analysis;
    let pieces = this.pieces.get(doc.uri);
    if (!pieces) this.pieces.set(doc.uri, (pieces = new PieceAnalyzer()));
    const analysis = this.analyzer.analyze(doc.getText(), pieces);
    this.cache.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  }

  /** The analysis of exactly this version, if it is cached. */
  cached(uri: string, version: number): Analysis | undefined {
    const entry = this.cache.get(uri);
    return entry && entry.version === version ? entry.analysis : undefined;
  }

  /** The last analysis of a document, whatever its version; completion uses it while typing. */
  latest(uri: string): Analysis | undefined {
    return this.cache.get(uri)?.analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.pieces.delete(uri);
  }

  complete(doc: DocumentLike, offset: number): Completion[] {
    return complete(doc.getText(), offset, this.latest(doc.uri) ?? this.analyze(doc), this.schema);
  }

  hover(doc: DocumentLike, offset: number): Hover | undefined {
    return hover(this.analyze(doc), offset, this.schema);
  }

  symbols(doc: DocumentLike): PlaybookSymbol[] {
    return documentSymbols(this.analyze(doc).model, this.symbolCache);
  }

  folding(doc: DocumentLike): Span[] {
    return foldingSpans(this.analyze(doc).model);
  }
}
