// Which event ids the local incident ref already holds, kept beside the repository so a round need not walk history.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const TIP = 'tip ';

/** `<git dir>/incidents-sync/<incident>.known`: event ids, one a line, each batch closed by `tip <commit>`. */
export function knownFile(gitDir: string, incidentId: string): string {
  return path.join(gitDir, 'incidents-sync', `${incidentId}.known`);
}

/**
 * The ids recorded for `tip`, or undefined when the file is missing or was written for another tip (a round
 * killed between moving the ref and writing here, a ref changed by hand): then the caller reads them from history.
 */
export async function readKnown(file: string, tip: string | undefined): Promise<Set<string> | undefined> {
  if (tip === undefined) return new Set();
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines[lines.length - 1] !== TIP + tip) return undefined;
  return new Set(lines.filter((l) => !l.startsWith(TIP)));
}

/** Appends the ids a round added to the ref and the ref's new tip, with one write. */
export async function appendKnown(file: string, ids: Iterable<string>, tip: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.appendFile(file, `${[...ids].map((id) => `${id}\n`).join('')}${TIP}${tip}\n`, 'utf8');
}

/** Replaces the file with the full id set of `tip` (after reading it from history). */
export async function writeKnown(file: string, ids: Iterable<string>, tip: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${[...ids].map((id) => `${id}\n`).join('')}${TIP}${tip}\n`, 'utf8');
  await fs.rename(temp, file);
}
