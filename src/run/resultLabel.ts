// The short text a code lens or tree item shows for a step's last result: `✓ exit 0 · 3.2 s · 14:03`.
import { formatDuration } from '../playbook/duration';

/** What a label needs from a recorded run. */
export interface LastResult {
  verdict: 'passed' | 'failed' | 'unknown' | 'timed-out' | 'cancelled' | 'skipped';
  exitCode?: number | null;
  httpStatus?: number;
  durationMs: number;
  /** ISO time the run ended. */
  end: string;
}

const MARK: Record<LastResult['verdict'], string> = {
  passed: '✓',
  failed: '✗',
  unknown: '?',
  'timed-out': '⏱',
  cancelled: '⊘',
  skipped: '↷',
};

/** `hh:mm` in the local time zone of `date`, or of the given offset for stable tests. */
function clock(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
}

export function resultLabel(result: LastResult, timeZone?: string): string {
  const mark = MARK[result.verdict];
  const time = clock(result.end, timeZone);
  const tail = [formatDuration(result.durationMs), time].filter(Boolean).join(' · ');
  switch (result.verdict) {
    case 'timed-out':
      return `${mark} timed out · ${tail}`;
    case 'cancelled':
      return `${mark} cancelled · ${time}`;
    case 'skipped':
      return `${mark} skipped · ${time}`;
    default: {
      const code =
        result.httpStatus !== undefined
          ? `HTTP ${result.httpStatus}`
          : result.exitCode === null || result.exitCode === undefined
            ? 'exit unknown'
            : `exit ${result.exitCode}`;
      return `${mark} ${code} · ${tail}`;
    }
  }
}
