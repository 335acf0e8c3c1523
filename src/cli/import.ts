// `playbook import <file.md> [-o out.playbook.yaml] [--force]`: converts a Markdown playbook and prints a summary.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { importMarkdown } from '../import/markdown';
import { describeImport, playbookNameFor } from '../import/summary';

export const IMPORT_USAGE = 'Usage: playbook import <file.md> [-o out.playbook.yaml] [--force]';

export function importCommand(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const parsed = parseArgs(args);
  if ('error' in parsed) {
    err(`playbook import: ${parsed.error}\n${IMPORT_USAGE}`);
    return 2;
  }
  let markdown: string;
  try {
    markdown = readFileSync(parsed.input, 'utf8');
  } catch (error) {
    err(`playbook import: cannot read ${parsed.input} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return 2;
  }
  const output = parsed.output ?? playbookNameFor(parsed.input);
  if (existsSync(output) && !parsed.force) {
    err(`playbook import: ${output} exists; pass --force to overwrite it, or -o to write elsewhere`);
    return 2;
  }
  const result = importMarkdown(markdown, { sourceName: path.basename(parsed.input) });
  writeFileSync(output, result.text);
  out(`${output}: ${describeImport(result.summary, result.warnings)}`);
  for (const warning of result.warnings) out(`warning: ${warning}`);
  return 0;
}

function parseArgs(args: string[]): { input: string; output?: string; force: boolean } | { error: string } {
  let input: string | undefined;
  let output: string | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (!output) return { error: `${arg} needs a file name` };
    } else if (arg === '--force') {
      force = true;
    } else if (arg.startsWith('-')) {
      return { error: `unknown option ${arg}` };
    } else if (input) {
      return { error: 'import one file at a time' };
    } else {
      input = arg;
    }
  }
  return input ? { input, output, force } : { error: 'name the Markdown file to import' };
}
