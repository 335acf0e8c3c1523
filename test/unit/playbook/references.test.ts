import * as assert from 'node:assert/strict';
import { findPlaceholders, findVariableRefs, shellAssignedNames } from '../../../src/playbook/references';

describe('references in text', () => {
  it('finds ${NAME} with offsets and skips $${NAME} and shell forms', () => {
    const text = 'curl ${BASE_URL}/x $${LITERAL} ${X:-d} ${#Y} ${OK}';
    assert.deepEqual(
      findVariableRefs(text).map((r) => [r.name, text.slice(r.start, r.end)]),
      [
        ['BASE_URL', '${BASE_URL}'],
        ['OK', '${OK}'],
      ],
    );
  });

  it('finds placeholders with or without inner spaces', () => {
    assert.deepEqual(
      findPlaceholders('{{incident.id}} and {{ name }}').map((r) => r.name),
      ['incident.id', 'name'],
    );
  });

  it('collects names a script assigns itself', () => {
    const names = shellAssignedNames('LATENCY=$(x)\nexport A=1; for POD in a b; do :; done\nread -r -p "?" ANSWER OTHER\nlocal Z=2');
    for (const n of ['LATENCY', 'A', 'POD', 'ANSWER', 'OTHER', 'Z']) assert.ok(names.has(n), n);
    assert.ok(!names.has('x'));
  });
});
