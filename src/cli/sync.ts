// `playbook sync`: exchanges an incident's events with the repository's remote, once or every few seconds.
import * as path from 'node:path';
import { isIncidentId } from '../incident/store';
import { syncIncident, type SyncResult } from '../incident/sync';
import { syncSummary } from '../incident/syncText';

export const SYNC_USAGE = `Usage: playbook sync <INC-id | .incidents/INC-id.jsonl> [--remote NAME] [--watch SECONDS] [--workspace DIR]

Exchanges the incident's events with the git remote (origin by default) on the ref refs/incidents/<id>,
never touching your branches, index or working tree. Exits 1 when the remote cannot be reached
(with --watch it keeps trying until Ctrl+C).`;

/** Where `sync` prints and what stops `--watch`. */
export interface SyncIo {
  out(s: string): void;
  err(s: string): void;
  signal?: AbortSignal;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

interface SyncArgs {
  workspace: string;
  incidentId: string;
  remote?: string;
  watchSeconds?: number;
}

export async function syncCommand(args: string[], io: SyncIo): Promise<number> {
  const parsed = parseSyncArgs(args, io.cwd ?? process.cwd());
  if ('error' in parsed) {
    io.err(`playbook sync: ${parsed.error}\n\n${SYNC_USAGE}`);
    return 2;
  }
  const round = () =>
    syncIncident({
      workspace: parsed.workspace,
      incidentId: parsed.incidentId,
      remote: parsed.remote,
      env: io.env as NodeJS.ProcessEnv | undefined,
    });
  if (parsed.watchSeconds === undefined) return report(await round(), parsed.incidentId, io);
  let previous = '';
  while (!io.signal?.aborted) {
    const result = await round();
    const line = syncSummary(result);
    // A quiet round that says what the last one said is not worth a line every few seconds.
    if (line !== previous || result.sent > 0 || result.received.length > 0) report(result, parsed.incidentId, io);
    previous = line;
    await wait(parsed.watchSeconds * 1000, io.signal);
  }
  return 0;
}

function report(result: SyncResult, incidentId: string, io: SyncIo): number {
  const line = `${incidentId}: ${syncSummary(result)}`;
  if (result.state === 'synced' || result.state === 'local-only') {
    io.out(line);
    return 0;
  }
  io.err(line);
  return 1;
}

function parseSyncArgs(args: string[], cwd: string): SyncArgs | { error: string } {
  let target: string | undefined;
  let remote: string | undefined;
  let watch: number | undefined;
  let workspace: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--remote') remote = args[++i];
    else if (arg === '--workspace') workspace = args[++i];
    else if (arg === '--watch') {
      watch = Number(args[++i]);
      if (!Number.isFinite(watch) || watch < 1)
        return { error: `--watch takes a number of seconds (1 or more), not ${args[i] ?? 'nothing'}` };
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else if (target === undefined) target = arg;
    else return { error: `one incident at a time (got ${target} and ${arg})` };
  }
  if (remote === '' || (args.includes('--remote') && remote === undefined)) return { error: '--remote takes a remote name' };
  if (target === undefined) return { error: 'name an incident id or its .jsonl log' };
  const located = locate(target, path.resolve(cwd, workspace ?? '.'), cwd);
  return 'error' in located ? located : { ...located, remote, watchSeconds: watch };
}

/** An incident id in the workspace, or a log file `<workspace>/.incidents/<id>.jsonl`. */
function locate(target: string, workspace: string, cwd: string): { workspace: string; incidentId: string } | { error: string } {
  if (isIncidentId(target)) return { workspace, incidentId: target };
  const file = path.resolve(cwd, target);
  const id = path.basename(file, '.jsonl');
  if (!file.endsWith('.jsonl') || !isIncidentId(id) || path.basename(path.dirname(file)) !== '.incidents') {
    return { error: `${target} is neither an incident id (INC-YYYY-MMDD-NNNN) nor a .incidents/<id>.jsonl log` };
  }
  return { workspace: path.dirname(path.dirname(file)), incidentId: id };
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
