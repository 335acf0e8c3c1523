// One entry point from text to everything the editor and the CLI show: model plus sorted problems.
import { isMap, type Document, type Node } from 'yaml';
import { parsePlaybook, type IncrementalParser, type ParseOptions, type ParsedPlaybook } from './parse';
import { problem, sortProblems, type Problem } from './problems';
import { SchemaValidator } from './schemaValidation';
import { CommandMemo } from './commandMemo';
import { checkSemantics } from './semantic';
import { headSpan, spanOf } from './yamlNodes';

export interface Analysis extends ParsedPlaybook {
  /** Syntax, schema and semantic problems, sorted by position. */
  problems: Problem[];
}

export class PlaybookAnalyzer {
  private validator: SchemaValidator | undefined;
  private readonly memo = new CommandMemo();

  constructor(private readonly options: ParseOptions = {}) {}

  /** Analyses `text`; pass the document's IncrementalParser to re-parse only what an edit changed. */
  analyze(text: string, incremental?: IncrementalParser): Analysis {
    const parsed = parsePlaybook(text, this.options, incremental);
    const problems = [...parsed.problems];
    if (parsed.doc && !hasFatal(parsed.problems)) problems.push(...this.check(parsed.doc, parsed));
    return { ...parsed, problems: sortProblems(problems) };
  }

  private check(doc: Document, parsed: ParsedPlaybook): Problem[] {
    const root = doc.contents as Node | null;
    if (root === null || parsed.value === null || parsed.value === undefined) {
      return [problem('MISSING_KEY', 'error', 'this playbook is empty: it needs `version: 1`, a `title` and `scenarios`', { start: 0, end: 0 })];
    }
    if (!isMap(root)) {
      const span = headSpan(root);
      return [problem('NOT_A_PLAYBOOK', 'error', 'a playbook is a mapping with `version`, `title` and `scenarios`, but this document is a list or a single value', { start: span.start, end: Math.max(span.end, spanOf(root).start + 1) })];
    }
    this.validator ??= new SchemaValidator();
    return [...this.validator.validate(doc, parsed.value), ...checkSemantics(doc, parsed.text, parsed.model, this.memo)];
  }
}

/** Problems after which schema checks would only add noise. */
function hasFatal(problems: Problem[]): boolean {
  return problems.some((p) => p.code === 'NOT_A_PLAYBOOK' || p.code === 'TOO_LARGE' || (p.code === 'YAML_SYNTAX' && p.message.startsWith('cannot read')));
}
