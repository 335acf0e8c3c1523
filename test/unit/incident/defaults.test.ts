import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  defaultCommander,
  defaultSeverity,
  defaultTitle,
  describeDefaults,
  firstRunChoices,
  incidentDefaults,
  readGitUserName,
  UNSET_SEVERITY,
} from '../../../src/incident/defaults';

const TABLE = [{ id: 'P1' }, { id: 'P2' }, { id: 'P3' }];

describe('incident defaults', () => {
  it('titles the incident after the scenario, else the playbook, else the scenario id', () => {
    assert.equal(defaultTitle({ id: 'cache-down', title: 'Cache down' }, 'Cache runbook'), 'Cache down');
    assert.equal(defaultTitle({ id: 'cache-down' }, 'Cache runbook'), 'Cache runbook');
    assert.equal(defaultTitle({ id: 'cache-down', title: '  ' }, undefined), 'cache-down');
    assert.equal(defaultTitle(undefined, '  Orders API '), 'Orders API');
    assert.equal(defaultTitle(undefined, undefined), undefined);
  });

  it('takes the scenario’s severity when the table has it', () => {
    assert.equal(defaultSeverity('P2', TABLE), 'P2');
  });

  it('falls back to the table’s first (most severe) row without a scenario severity or with one the table lacks', () => {
    assert.equal(defaultSeverity(undefined, TABLE), 'P1');
    assert.equal(defaultSeverity('P9', TABLE), 'P1');
    assert.equal(defaultSeverity('', TABLE), 'P1');
  });

  it('keeps a scenario severity when there is no table to check it against, else records unset', () => {
    assert.equal(defaultSeverity('SEV2', []), 'SEV2');
    assert.equal(defaultSeverity(undefined, []), UNSET_SEVERITY);
  });

  it('names the git user as commander, else the OS user, else unknown', () => {
    assert.equal(defaultCommander('Ada Lovelace\n', 'ada'), 'Ada Lovelace');
    assert.equal(defaultCommander(undefined, 'ada'), 'ada');
    assert.equal(defaultCommander(' ', ''), 'unknown');
  });

  it('puts the three together and describes them on one line', () => {
    const defaults = incidentDefaults({
      playbookTitle: 'Cache runbook',
      scenario: { id: 'cache-down', title: 'Cache down', severity: 'P2' },
      severities: TABLE,
      gitUser: 'Ada',
      osUser: 'ada',
    });
    assert.deepEqual(defaults, { title: 'Cache down', severity: 'P2', commander: 'Ada' });
    assert.equal(describeDefaults(defaults), '“Cache down” · P2 · commander Ada');
    assert.equal(describeDefaults({ severity: UNSET_SEVERITY, commander: 'ada' }), 'commander ada');
  });
});

describe('first-run choices', () => {
  it('puts the defaults first, taken as they are, then a drill with the same, then the two ways to other details', () => {
    const choices = firstRunChoices({ title: 'Cache down', severity: 'P1', commander: 'Ada' });
    assert.deepEqual(
      choices.map((c) => [c.label, c.drill, c.edit]),
      [
        ['$(flame) Start incident “Cache down” · P1 · commander Ada', false, false],
        ['$(beaker) Record as a drill', true, false],
        ['$(edit) Start incident with other details…', false, true],
        ['$(edit) Record a drill with other details…', true, true],
      ],
    );
    assert.equal(choices[1].description, '“Cache down” · P1 · commander Ada');
  });

  it('asks for the details behind every answer when there is no title to offer', () => {
    const choices = firstRunChoices({ severity: 'P1', commander: 'Ada' });
    assert.ok(choices.every((c) => c.edit));
    assert.equal(choices[0].label, '$(flame) Start an incident…');
  });
});

describe('readGitUserName', function () {
  this.timeout(10000);
  let repo: string;

  before(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'git-user-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['config', 'user.name', 'Grace Hopper'], { cwd: repo });
  });

  after(() => rmSync(repo, { recursive: true, force: true }));

  it('reads the repository’s user.name, trimmed', async () => {
    assert.equal(await readGitUserName(repo), 'Grace Hopper');
  });

  it('answers undefined when git cannot run there, instead of throwing', async () => {
    assert.equal(await readGitUserName(path.join(repo, 'no-such-folder')), undefined);
  });
});
