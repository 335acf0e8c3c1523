import * as assert from 'node:assert/strict';
import { starterPlaybook } from '../../../src/playbook/starter';
import { analyze } from '../helpers';

describe('starter playbook', () => {
  it('is a playbook without a single problem', () => {
    assert.deepEqual(analyze(starterPlaybook('Checkout API')).problems, []);
  });

  it('keeps a title with YAML-special characters intact', () => {
    const analysis = analyze(starterPlaybook('DB: "primary" #1'));
    assert.equal(analysis.model.title, 'DB: "primary" #1');
  });
});
