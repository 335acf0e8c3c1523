import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from './runMain';
import { suiteTempDir } from '../helpers';
import { createEvent } from '../../../src/incident/events';
import { serializeEvent } from '../../../src/incident/log';

const run = runMain;

describe('playbook report (CLI)', () => {
  const dir = suiteTempDir('playbook-report-');
  const log = join(dir, 'INC-2026-1124-0001.jsonl');
  const playbook = join(dir, 'api.playbook.yaml');
  writeFileSync(
    log,
    [
      createEvent(
        'incident.started',
        { incident: 'INC-2026-1124-0001', title: 'API down', severity: 'P1', commander: 'ana', drill: false },
        { actor: 'ana', at: new Date('2026-11-24T14:00:00Z') },
      ),
      createEvent('note.added', { text: 'Looking' }, { actor: 'ana', at: new Date('2026-11-24T14:05:00Z') }),
    ]
      .map(serializeEvent)
      .join(''),
  );
  writeFileSync(playbook, 'version: 1\ntitle: Checkout API\nscenarios: []\npost_incident:\n  checklist: [Hold the review]\n');

  it('prints the report with the playbook’s title and checklist', async () => {
    const r = await run(['report', log, '--playbook', playbook]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^# Post-incident report: INC-2026-1124-0001 — API down/);
    assert.match(r.out, /\| Playbook \| Checkout API \|/);
    assert.match(r.out, /- 14:05 Note \(ana\): Looking/);
    assert.match(r.out, /- \[ \] Hold the review/);
  });

  it('renders docs/sample-report.md from the sample incident log (UPDATE_GOLDEN=1 rewrites it)', async () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const sample = join(root, 'docs', 'sample-report.md');
    const r = await run([
      'report',
      join(root, 'test', 'fixtures', 'report', 'sample-incident.jsonl'),
      '--playbook',
      join(root, 'examples', 'living-codex.playbook.yaml'),
    ]);
    assert.equal(r.code, 0);
    if (process.env.UPDATE_GOLDEN) writeFileSync(sample, `${r.out}\n`);
    assert.equal(`${r.out}\n`, readFileSync(sample, 'utf8'));
  });

  it('reports a missing file and usage mistakes with exit 2', async () => {
    assert.equal((await run(['report', join(dir, 'nope.jsonl')])).code, 2);
    assert.equal((await run(['report'])).code, 2);
    assert.equal((await run(['report', log, '--playbook'])).code, 2);
  });
});
