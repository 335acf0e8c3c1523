import * as assert from 'node:assert/strict';
import { MAX_NOTE_LENGTH, parseFromPanel } from '../../../src/panel/protocol';

describe('messages from the incident panel', () => {
  it('passes the well-formed ones through, without extra fields', () => {
    assert.deepEqual(parseFromPanel({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseFromPanel({ type: 'reveal', step: 'check-health' }), { type: 'reveal', step: 'check-health' });
    assert.deepEqual(parseFromPanel({ type: 'reveal', step: 's', playbook: 'a.playbook.yaml' }), {
      type: 'reveal',
      step: 's',
      playbook: 'a.playbook.yaml',
    });
    assert.deepEqual(parseFromPanel({ type: 'addNote', text: 'restarted api' }), { type: 'addNote', text: 'restarted api' });
    assert.equal(parseFromPanel({ type: 'described', request: 3, snapshot: { rows: [] } })?.type, 'described');
  });

  it('drops anything malformed instead of letting it throw in the extension', () => {
    for (const bad of [
      null,
      'ready',
      [],
      {},
      { type: 'run' },
      { type: 'reveal' },
      { type: 'reveal', step: 5 },
      { type: 'reveal', step: '' },
      { type: 'reveal', step: 's', playbook: { toString: 1 } },
      { type: 'reveal', step: 'x'.repeat(1001) },
      { type: 'addNote' },
      { type: 'addNote', text: ['a'] },
      { type: 'addNote', text: 'x'.repeat(MAX_NOTE_LENGTH + 1) },
      { type: 'described', request: 1, snapshot: null },
      { type: 'described', snapshot: {} },
      { type: 'rendered', snapshot: {} },
    ]) {
      assert.equal(parseFromPanel(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });
});
