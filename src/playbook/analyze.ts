// One entry point from text to everything the editor and the CLI show: model plus sorted problems.
import { isMap, type Document, type Node } from 'yaml';
import { DEFAULT_MAX_BYTES, parsePlaybook, type ParseOptions, type ParsedPlaybook } from './parse';
import { problem, sortProblems, type Problem } from './problems';
import { SchemaValidator } from './schemaValidation';
import { CommandMemo } from './commandMemo';
import { LineIndex, type Positions } from './lineIndex';
import type { PieceAnalyzer } from './pieces';
import { checkSemantics } from './semantic';
import { headSpan, locate, spanOf } from './yamlNodes';

export interface Analysis extends ParsedPlaybook {
  /** Syntax, schema and semantic problems, sorted by position. */
  problems: Problem[];
  /** Line and character of an offset in `text`. */
  readonly lines: Positions;
}

export class PlaybookAnalyzer {
  private validator: SchemaValidator | undefined;
  private readonly memo = new CommandMemo();

  constructor(private readonly options: ParseOptions = {}) {}

  /** Analyses `text`; pass the document's PieceAnalyzer to re-analyse only what an edit changed. */
  analyze(text: string, incremental?: PieceAnalyzer): Analysis {
    this.validator ??= new SchemaValidator();
    // Pieces with a NUL byte are refused (see incremental.ts), so the whole-text path reports it.
    const fast =
      incremental && text.length <= (this.options.maxBytes ?? DEFAULT_MAX_BYTES)
        ? incrementally(incremental, text, this.validator, this.memo)
        : undefined;
    if (fast) return fast;
    const parsed = parsePlaybook(text, this.options);
    const problems = [...parsed.problems];
    if (parsed.doc && !hasFatal(parsed.problems)) problems.push(...this.check(parsed.doc, parsed));
    let lines: LineIndex | undefined;
    return {
      ...parsed,
      problems: sortProblems(problems),
      get lines() {
        return (lines ??= new LineIndex(text));
      },
    };
  }

  private check(doc: Document, parsed: ParsedPlaybook): Problem[] {
    const root = doc.contents as Node | null;
    if (root === null || parsed.value === null || parsed.value === undefined) {
      return [
        problem('MISSING_KEY', 'error', 'this playbook is empty: it needs `version: 1`, a `title` and `scenarios`', { start: 0, end: 0 }),
      ];
    }
    if (!isMap(root)) {
      const span = headSpan(root);
      return [
        problem(
          'NOT_A_PLAYBOOK',
          'error',
          'a playbook is a mapping with `version`, `title` and `scenarios`, but this document is a list or a single value',
          { start: span.start, end: Math.max(span.end, spanOf(root).start + 1) },
        ),
      ];
    }
    const validator = this.validator ?? new SchemaValidator();
    return [...validator.validate((path) => locate(doc, path), parsed.value), ...checkSemantics(doc, parsed.text, parsed.model, this.memo)];
  }
}

function incrementally(incremental: PieceAnalyzer, text: string, validator: SchemaValidator, memo: CommandMemo): Analysis | undefined {
  try {
    return incremental.analyze(text, { validator, memo });
  } catch (error) {
    // Pathologically deep nesting overflows the parser's stack; the whole-text path reports it.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Problems after which schema checks would only add noise. */
function hasFatal(problems: Problem[]): boolean {
  return problems.some(
    (p) => p.code === 'NOT_A_PLAYBOOK' || p.code === 'TOO_LARGE' || (p.code === 'YAML_SYNTAX' && p.message.startsWith('cannot read')),
  );
}
