// The `playbook` command line: lint playbooks in CI with exactly the editor's checks.
import { formatText, hasErrors, validateFiles } from './validate';

const USAGE = `Usage: playbook validate <file...> [--format text|json]

Commands:
  validate   Check playbook files; prints file:line:column: severity CODE: message
             and exits 1 when any file has an error.

Options:
  --format   text (default) or json
  --help     Show this help`;

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`), err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command ? 0 : 2;
  }
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

if (require.main === module) process.exitCode = main(process.argv.slice(2));
