// Remembers what the shell-command checks found for each command text, so a keystroke re-checks only changed commands.
import { findDestructive, type DestructiveMatch } from './destructive';
import { shellAssignedNames } from './references';

const MAX_ENTRIES = 50_000;

export class CommandMemo {
  private destructiveByText = new Map<string, DestructiveMatch[]>();
  private assignedByText = new Map<string, Set<string>>();

  destructive(source: string): DestructiveMatch[] {
    return remember(this.destructiveByText, source, findDestructive);
  }

  assigned(command: string): Set<string> {
    return remember(this.assignedByText, command, shellAssignedNames);
  }
}

function remember<T>(memo: Map<string, T>, key: string, compute: (key: string) => T): T {
  let value = memo.get(key);
  if (value === undefined) {
    // A bounded memo: starting over is cheaper than tracking which texts are still in use.
    if (memo.size >= MAX_ENTRIES) memo.clear();
    value = compute(key);
    memo.set(key, value);
  }
  return value;
}
