// The `playbook` command line: lint playbooks in CI with exactly the editor's checks, and run them headless.
import { IMPORT_USAGE, importCommand } from './import';
import { reportCommand } from './report';
import { RUN_USAGE, runCommand, type RunIo } from './run';
import { SYNC_USAGE, syncCommand } from './sync';
import { formatText, hasErrors, validateFiles } from './validate';

const USAGE = `Usage: playbook validate <file...> [--format text|json]
       playbook run <file> [--scenario ID | --phase SCENARIO/PHASE | --step ID]...
                    [--var NAME=VALUE]... [--incident ID | --drill] [--yes] [--workspace DIR]
       playbook report <incident.jsonl> [--playbook FILE]
       playbook import <file.md> [-o out.playbook.yaml] [--force]
       playbook sync <INC-id | incident.jsonl> [--remote NAME] [--watch SECONDS]

Commands:
  validate   Check playbook files; prints file:line:column: severity CODE: message
             and exits 1 when any file has an error.
  run        Run a playbook's steps without VS Code and record the results to .incidents/;
             exits 1 when a step did not pass (playbook run --help for its options).
  report     Print the post-incident report of an incident log as Markdown.
  import     Convert a Markdown playbook into a playbook file next to it (never overwrites without --force).
  sync       Exchange an incident's events with teammates through the git remote (playbook sync --help).

Options:
  --format   text (default) or json (validate)
  --help     Show this help`;

/** Options of `run` besides the arguments: a cancel signal, the environment and the working directory. */
export type MainOptions = Partial<Pick<RunIo, 'signal' | 'env' | 'cwd' | 'effects'>>;

/**
 * Runs the command line. `validate` returns its exit status at once; `run` returns a promise of it.
 */
export function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
  options: MainOptions = {},
): number | Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'run') {
    if (rest.includes('--help') || rest.includes('-h')) {
      out(RUN_USAGE);
      return 0;
    }
    return runCommand(rest, { out, err, ...options });
  }
  if (command === 'report') return reportCommand(rest, out, err);
  if (command === 'sync') {
    if (rest.includes('--help') || rest.includes('-h')) return (out(SYNC_USAGE), 0);
    return syncCommand(rest, { out, err, ...options });
  }
  if (command === 'import') return rest.includes('--help') ? (out(IMPORT_USAGE), 0) : importCommand(rest, out, err);
  if (command !== 'validate') {
    err(`playbook: unknown command \`${command}\`\n\n${USAGE}`);
    return 2;
  }
  const parsed = parseValidateArgs(rest);
  if ('error' in parsed) {
    err(`playbook validate: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const outcome = validateFiles(parsed.files);
  out(parsed.format === 'json' ? JSON.stringify(outcome, null, 2) : formatText(outcome, parsed.files.length));
  return hasErrors(outcome) ? 1 : 0;
}

function parseValidateArgs(args: string[]): { files: string[]; format: 'text' | 'json' } | { error: string } {
  const files: string[] = [];
  let format: 'text' | 'json' = 'text';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : args[++i];
      if (value !== 'text' && value !== 'json') return { error: `--format takes text or json, not ${value ?? 'nothing'}` };
      format = value;
    } else if (arg.startsWith('-')) {
      return { error: `unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  return files.length > 0 ? { files, format } : { error: 'name at least one playbook file' };
}

/** The bin entry: Ctrl+C cancels the running step (recorded as cancelled); a second Ctrl+C exits at once. */
async function cli(): Promise<void> {
  const abort = new AbortController();
  const onInterrupt = (): void => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nplaybook: cancelling (Ctrl+C again to exit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    process.exitCode = await main(process.argv.slice(2), undefined, undefined, { signal: abort.signal });
  } catch (error) {
    process.stderr.write(`playbook: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

if (require.main === module) void cli();
