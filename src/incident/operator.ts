// Who is at the keyboard: the operator recorded with every event the editor or the CLI writes.
import * as os from 'node:os';

/** The OS user's name, or `unknown` where the system cannot say (no passwd entry in a container). */
export function operatorName(userInfo: () => { username: string } = os.userInfo): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
