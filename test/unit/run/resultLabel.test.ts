import * as assert from 'node:assert/strict';
import { resultLabel } from '../../../src/run/resultLabel';

describe('result labels', () => {
  const end = '2026-11-24T14:03:10Z';

  it('shows a pass with exit code, duration and time', () => {
    assert.equal(resultLabel({ verdict: 'passed', exitCode: 0, durationMs: 3200, end }, 'UTC'), '✓ exit 0 · 3.2 s · 14:03');
  });

  it('shows a failure and an HTTP status', () => {
    assert.equal(resultLabel({ verdict: 'failed', exitCode: 3, durationMs: 400, end }, 'UTC'), '✗ exit 3 · 400 ms · 14:03');
    assert.equal(resultLabel({ verdict: 'failed', httpStatus: 503, durationMs: 120, end }, 'UTC'), '✗ HTTP 503 · 120 ms · 14:03');
  });

  it('never shows an unknown exit code as success', () => {
    assert.equal(resultLabel({ verdict: 'unknown', exitCode: null, durationMs: 1000, end }, 'UTC'), '? exit unknown · 1.0 s · 14:03');
  });

  it('shows timeouts, cancellations and skips', () => {
    assert.match(resultLabel({ verdict: 'timed-out', exitCode: null, durationMs: 30000, end }, 'UTC'), /^⏱ timed out/);
    assert.equal(resultLabel({ verdict: 'cancelled', durationMs: 10, end }, 'UTC'), '⊘ cancelled · 14:03');
    assert.equal(resultLabel({ verdict: 'skipped', durationMs: 0, end }, 'UTC'), '↷ skipped · 14:03');
  });
});
