// What a person reads about the incident sync: one line per round (CLI) and the status bar's few words.
import type { SyncResult } from './sync';

/** One line for a round: `synced with origin · sent 2 · received 3 (alice, bob)`, or why it did not sync. */
export function syncSummary(result: SyncResult): string {
  if (result.state === 'local-only') return `local only: ${result.message ?? 'no git remote'}`;
  const moved = [
    result.sent > 0 ? `sent ${result.sent}` : '',
    result.received.length > 0 ? `received ${result.received.length} (${receivedFrom(result)})` : '',
  ].filter((s) => s !== '');
  if (result.state === 'synced') return [`synced with ${result.remote}`, ...moved].join(' · ');
  const head = `${result.state === 'offline' ? 'offline' : 'sync error'}: ${result.message ?? 'unknown'}`;
  return [head, ...moved, result.unsent ? 'local events wait for the next round' : ''].filter((s) => s !== '').join(' · ');
}

/** Who wrote the events a round received, each name once, in the order they first appear. */
export function receivedFrom(result: SyncResult): string {
  return [...new Set(result.received.map((r) => r.actor ?? 'someone'))].join(', ');
}

/** The sync part of the status bar: `synced 4 s ago`, `offline`, `behind` (events wait to go out), `local only`. */
export function syncStatusWords(last: SyncResult | undefined, lastSyncedAt: number | undefined, now: number): string {
  if (!last) return 'syncing…';
  if (last.state === 'local-only') return 'local only';
  if (last.state === 'synced' && lastSyncedAt !== undefined) return `synced ${formatAgo(now - lastSyncedAt)}`;
  if (last.unsent) return last.state === 'offline' ? 'offline · behind' : 'sync error · behind';
  return last.state === 'offline' ? 'offline' : 'sync error';
}

function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.floor(m / 60)} h ago`;
}
