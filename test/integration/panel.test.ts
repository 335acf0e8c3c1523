// The Incident panel in a real VS Code, read through its webview: asked to describe itself, the webview answers with
// the text of the rows it rendered and facts about its document (scripts, elements made by data, a canary global).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { PlaybookApi } from '../../src/extension';
import { createEvent } from '../../src/incident/events';
import { appendEvent } from '../../src/incident/store';
import { activateExtension, openFixture, panelShows, rowWith } from './helpers';

const XSS = [
  '<script>window.__playbookCanary = 1</script>',
  '<img src=x onerror="window.__playbookCanary = 2">',
  '<a href="javascript:window.__playbookCanary = 3">click</a>',
];

describe('incident panel', function () {
  this.timeout(60000);
  let api: PlaybookApi;
  let uri: vscode.Uri;
  let first: { id: string; file: string };

  before(async () => {
    api = await activateExtension();
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', 'pseudoterminal', vscode.ConfigurationTarget.Workspace);
    uri = (await openFixture('run.playbook.yaml')).uri;
    const started = await api.session.startIncident({ title: 'Panel test', severity: 'P2', drill: true, playbook: 'run.playbook.yaml' });
    assert.ok(started);
    first = started;
    await vscode.commands.executeCommand('playbook.showIncident');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('playbook').update('run.terminal', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('shows the active incident: header, its start in the timeline, a note box and only its own script', async () => {
    const s = await panelShows(api, 'the start of the incident', (s) => s.incident === first.id && rowWith('Drill started: Panel test')(s));
    assert.ok(s.header.startsWith(`${first.id} (drill) Panel test`), s.header);
    assert.match(s.header, /severity P2/);
    assert.match(s.header, /status investigating/);
    assert.equal(s.readOnly, false);
    assert.equal(s.scripts, 1);
  });

  it('shows a run as it is recorded, with its verdict, exit code and duration', async () => {
    await api.runs.runStep(uri, 'fail-three');
    const s = await panelShows(api, 'the failed run', rowWith('fail-three', '✗ failed', 'exit 3'));
    assert.ok(s.rows.find((r) => r.includes('fail-three'))?.match(/\d+(\.\d)? m?s/), 'a duration');
  });

  it('shows notes and status changes recorded through the session', async () => {
    await vscode.commands.executeCommand('playbook.addNote', 'Checked the dashboards');
    await panelShows(api, 'the note', rowWith('Note', 'Checked the dashboards'));
    await api.session.record('status.changed', { from: 'investigating', to: 'identified' });
    const s = await panelShows(
      api,
      'the status change',
      (s) => rowWith('Status', 'investigating → identified')(s) && /status identified/.test(s.header),
    );
    assert.equal(s.total, 4);
  });

  it('follows events another window appends to the file, and so does the status bar', async () => {
    const notes = api.status.state?.notes ?? 0;
    await appendEvent(first.file, createEvent('note.added', { text: 'from another window' }, { actor: 'bob' }));
    await panelShows(api, 'the other window’s note', rowWith('from another window'));
    // The status bar shares the panel's follower: refreshing reads no more bytes, and its state has the note.
    await api.status.refresh();
    assert.equal(api.status.state?.notes, notes + 1);
    // So does the session behind the lenses and the tree: a step another window ran shows its result here.
    assert.equal(api.session.incident.notes, notes + 1);
  });

  it('follows a git pull that merges another responder’s lines in above the end', async () => {
    const text = await fs.readFile(first.file, 'utf8');
    const lines = text.trimEnd().split('\n');
    const theirs = JSON.stringify(
      createEvent('note.added', { text: 'merged from a pull' }, { actor: 'carol', at: new Date(Date.parse(JSON.parse(lines[0]).at) + 1) }),
    );
    // git writes a new file and renames it over the old one.
    await fs.writeFile(`${first.file}.tmp`, `${[lines[0], theirs, ...lines.slice(1)].join('\n')}\n`);
    await fs.rename(`${first.file}.tmp`, first.file);
    const s = await panelShows(api, 'the merged note in its place', (s) => rowWith('merged from a pull')(s) && s.total === 6);
    const order = s.rows.map((r) => (r.includes('merged from a pull') ? 'merged' : r.includes('fail-three') ? 'run' : '')).filter(Boolean);
    assert.deepEqual(order, ['merged', 'run'], 'the merged note sorts by its time, before the later run');
  });

  it('renders command output, notes and titles with markup as text, and runs none of it', async () => {
    const payload = XSS.join(' ');
    const started = await api.session.startIncident({
      title: `Title ${payload}`,
      severity: 'P2',
      drill: true,
      playbook: 'run.playbook.yaml',
    });
    assert.ok(started);
    await api.session.record('note.added', { text: `Note ${payload}` });
    await api.session.record('step.run', {
      step: 'say-hello',
      stepKind: 'shell',
      command: `echo '${XSS[1]}'`,
      start: new Date().toISOString(),
      end: new Date().toISOString(),
      durationMs: 5,
      exitCode: 0,
      verdict: 'passed',
      output: { head: `Output ${payload}`, tail: '', omittedBytes: 0 },
      confirmations: [],
    });
    await panelShows(api, 'the run', (s) => s.incident === started.id && rowWith('echo')(s));
    const runId = (await fs.readFile(started.file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.kind === 'step.run').id;
    await api.panel.expand(runId);
    const s = await panelShows(api, 'the expanded output', rowWith(`Output ${payload}`));
    assert.ok(s.header.includes(`Title ${payload}`), s.header);
    assert.ok(rowWith(`Note ${payload}`)(s), 'the note shows its markup as text');
    assert.ok(rowWith(`echo '${XSS[1]}'`)(s), 'the command shows its markup as text');
    assert.equal(s.scripts, 1, 'no script element but the panel’s own');
    assert.equal(s.injected, 0, 'no img, a, iframe, object, embed or svg element');
    assert.equal(s.canary, false, 'no payload ran');
    assert.equal(s.total, 3, 'each event once, though they were recorded while the panel was loading the new incident');
  });

  it('shows a picked incident that is not the active one read-only, and a resolved one too', async () => {
    await vscode.commands.executeCommand('playbook.showIncidentLog', vscode.Uri.file(first.file));
    const picked = await panelShows(api, 'the first incident, read-only', (s) => s.incident === first.id && s.readOnly);
    assert.ok(rowWith('merged from a pull')(picked));
    const active = api.session.current;
    assert.ok(active);
    await api.session.record('incident.resolved', { summary: 'done' });
    await api.session.forget();
    await vscode.commands.executeCommand('playbook.showIncidentLog', vscode.Uri.file(active.file));
    const resolved = await panelShows(
      api,
      'the resolved incident, read-only',
      (s) => s.incident === active.id && s.readOnly && rowWith('Resolved: done')(s),
    );
    assert.match(resolved.header, /status resolved/);
  });
});
