import * as assert from 'node:assert/strict';
import type { SyncResult } from '../../../src/incident/sync';
import { syncStatusWords, syncSummary } from '../../../src/incident/syncText';

const result = (over: Partial<SyncResult>): SyncResult => ({
  state: 'synced',
  remote: 'origin',
  sent: 0,
  received: [],
  unsent: false,
  ...over,
});
const from = (...actors: (string | undefined)[]) => actors.map((actor, i) => ({ id: `e${i}`, at: '2026-11-24T14:00:00Z', actor }));

describe('sync text', () => {
  it('summarises a round with what moved and who wrote what arrived, each name once', () => {
    assert.equal(syncSummary(result({})), 'synced with origin');
    assert.equal(
      syncSummary(result({ sent: 2, received: from('bob', 'carol', 'bob', undefined) })),
      'synced with origin · sent 2 · received 4 (bob, carol, someone)',
    );
    assert.equal(
      syncSummary(result({ state: 'offline', message: 'Cannot reach origin: x', unsent: true })),
      'offline: Cannot reach origin: x · local events wait for the next round',
    );
    assert.equal(syncSummary(result({ state: 'local-only', message: 'No git remote.' })), 'local only: No git remote.');
  });

  it('says in the status bar how long ago it synced, or that it is offline, behind or local only', () => {
    const now = 100_000;
    assert.equal(syncStatusWords(undefined, undefined, now), 'syncing…');
    assert.equal(syncStatusWords(result({}), now - 4_400, now), 'synced 4 s ago');
    assert.equal(syncStatusWords(result({}), now - 130_000, now + 0), 'synced 2 min ago');
    assert.equal(syncStatusWords(result({ state: 'offline' }), now - 1000, now), 'offline');
    assert.equal(syncStatusWords(result({ state: 'offline', unsent: true }), undefined, now), 'offline · behind');
    assert.equal(syncStatusWords(result({ state: 'error', unsent: true }), undefined, now), 'sync error · behind');
    assert.equal(syncStatusWords(result({ state: 'local-only' }), undefined, now), 'local only');
  });
});
