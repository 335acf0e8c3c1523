import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type MainOptions } from '../../../src/cli/main';
import type { IncidentEvent, StepRun } from '../../../src/incident/events';
import { parseIncidentLog } from '../../../src/incident/log';
import { suiteTempDir, tempDir, waitForChild } from '../helpers';

const SECRET = 's3cr3t-Value-42';

const PLAYBOOK = `version: 1
title: CLI run test
variables:
  TOKEN:
    description: an API token
    secret: true
  GREETING:
    default: hello
  NEEDED:
    description: required and without a default
severities:
  - id: P1
scenarios:
  - id: main
    title: Main
    steps:
      - id: greet
        title: Greet
        run: echo "\${GREETING} world"
      - id: use-token
        title: Use the token
        run: echo "token=\${TOKEN}"
      - id: fails
        title: Fails
        run: exit 3
        continue_on_failure: true
      - id: page
        title: Page on-call
        manual: Call the on-call engineer
      - id: wipe
        title: Wipe scratch
        run: rm -rf ./scratch-that-does-not-exist
      - id: after-wipe
        title: After wipe
        run: echo after
  - id: other
    title: Other
    steps:
      - id: needs-var
        title: Needs a var
        run: echo \${NEEDED}
      - id: slow
        title: Slow
        run: sleep 30
  - id: phased
    title: Phased
    phases:
      - id: check
        title: Check
        steps:
          - id: in-phase
            title: In a phase
            run: echo phase
`;

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], options: MainOptions = {}): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
    { env: {}, ...options },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A folder with the test playbook: for one test, or (`suite`) for the tests of the describe block that makes it. */
function workspace(scope: 'test' | 'suite' = 'test'): { dir: string; file: string } {
  const dir = scope === 'suite' ? suiteTempDir('playbook-run-') : tempDir('playbook-run-');
  const file = join(dir, 'test.playbook.yaml');
  writeFileSync(file, PLAYBOOK);
  return { dir, file };
}

function logFiles(dir: string): string[] {
  const incidents = join(dir, '.incidents');
  return existsSync(incidents)
    ? readdirSync(incidents)
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => join(incidents, f))
    : [];
}

function events(dir: string): IncidentEvent[] {
  const files = logFiles(dir);
  assert.equal(files.length, 1, `one incident log, found ${files.length}`);
  const log = parseIncidentLog(readFileSync(files[0], 'utf8'));
  assert.deepEqual(log.problems, []);
  return log.events.filter((e): e is IncidentEvent => e.kind !== 'unknown');
}

function runsOf(list: IncidentEvent[], step: string): StepRun[] {
  return list.filter((e): e is StepRun => e.kind === 'step.run' && e.step === step);
}

describe('playbook run (CLI)', () => {
  describe('running every scenario', () => {
    const ws = workspace('suite');
    let result: Outcome;
    before(async () => {
      result = await run(['run', ws.file, '--workspace', ws.dir, '--var', `TOKEN=${SECRET}`], { cwd: ws.dir });
    });

    it('prints one line per step with its result label, id and title', () => {
      assert.match(result.out, /^✓ exit 0 · \d+ ms · \d\d:\d\d {2}greet {2}Greet$/m);
      assert.match(result.out, /^✗ exit 3 · .* {2}fails {2}Fails$/m);
      assert.match(result.out, /^ {4}exit code 3 is not 0$/m);
      assert.match(result.out, /^↷ skipped · \d\d:\d\d {2}page {2}Page on-call {2}\(manual step/m);
      assert.match(result.out, /^↷ skipped · .* {2}wipe {2}Wipe scratch {2}\(refused: the command looks destructive; run with --yes/m);
    });

    it('keeps going after a step that continues on failure, and stops a scenario at a refusal or a failure', () => {
      assert.match(result.out, /stopped scenario main: 1 more step\(s\) not run/);
      assert.doesNotMatch(result.out, /after-wipe/);
      assert.match(result.out, /needs-var/);
      assert.doesNotMatch(result.out, /\bslow\b/);
      assert.match(result.out, /^✓ .* {2}in-phase {2}In a phase$/m);
    });

    it('fails a step whose required variable has no value, saying which', () => {
      assert.match(result.out, /^✗ exit unknown .* {2}needs-var {2}Needs a var$/m);
      assert.match(result.out, /not run: no value for \$\{NEEDED\}/);
    });

    it('prints the summary and the incident file, and exits 1 when a step failed', () => {
      assert.match(result.out, /^3 passed, 2 failed, 2 skipped$/m);
      assert.match(result.out, /^Incident INC-\d{4}-\d{4}-\d{4}: \.incidents\/INC-\d{4}-\d{4}-\d{4}\.jsonl$/m);
      assert.equal(result.code, 1);
    });

    it('starts a new incident titled after the playbook and records every step', () => {
      const list = events(ws.dir);
      const started = list[0];
      assert.equal(started.kind, 'incident.started');
      assert.equal(started.kind === 'incident.started' && started.title, 'CLI run test');
      assert.equal(started.kind === 'incident.started' && started.drill, false);
      const greet = runsOf(list, 'greet');
      assert.equal(greet.length, 1);
      assert.equal(greet[0].verdict, 'passed');
      assert.equal(greet[0].exitCode, 0);
      assert.equal(greet[0].command, 'echo "hello world"');
      assert.deepEqual(greet[0].output, { head: 'hello world\n', tail: '', omittedBytes: 0 });
      assert.deepEqual(greet[0].confirmations, []);
      assert.equal(greet[0].playbook, 'test.playbook.yaml');
      const fails = runsOf(list, 'fails');
      assert.equal(fails[0].verdict, 'failed');
      assert.equal(fails[0].exitCode, 3);
      assert.equal(runsOf(list, 'needs-var')[0].verdict, 'failed');
      assert.ok(list.some((e) => e.kind === 'note.added' && /manual step `page` skipped/.test(e.text)));
    });

    it('records a refused destructive step as skipped with a declined confirmation', () => {
      const [wipe] = runsOf(events(ws.dir), 'wipe');
      assert.equal(wipe.verdict, 'skipped');
      assert.equal(wipe.exitCode, null);
      assert.equal(wipe.confirmations.length, 1);
      assert.equal(wipe.confirmations[0].confirmed, false);
      assert.match(wipe.confirmations[0].reason, /looks destructive.*--yes/);
    });

    it('never writes a secret given by --var to the log or the terminal, and redacts it from commands and output', () => {
      const text = readFileSync(logFiles(ws.dir)[0], 'utf8');
      assert.ok(!text.includes(SECRET));
      assert.ok(!result.out.includes(SECRET));
      const [token] = runsOf(events(ws.dir), 'use-token');
      assert.equal(token.verdict, 'passed');
      // The command keeps `${TOKEN}` (the shell reads it from the environment) or shows the mask: never the value.
      assert.match(token.command, /^echo "token=(?:\$\{TOKEN\}|••••)"$/);
      assert.equal(token.output.head, 'token=••••\n');
    });
  });

  it('runs only the steps named by --step, in the order given', async () => {
    const ws = workspace();
    const r = await run(['run', ws.file, '--step', 'fails', '--step', 'greet', '--workspace', ws.dir]);
    assert.equal(r.code, 1);
    const lines = r.out.split('\n').filter((l) => /^[✓✗]/.test(l));
    assert.deepEqual(
      lines.map((l) => l.split('  ')[1]),
      ['fails', 'greet'],
    );
    assert.deepEqual(
      events(ws.dir)
        .filter((e) => e.kind === 'step.run')
        .map((e) => (e as StepRun).step),
      ['fails', 'greet'],
    );
  });

  it('takes variables from --var over the environment over the default', async () => {
    const ws = workspace();
    const fromEnv = await run(['run', ws.file, '--step', 'greet', '--workspace', ws.dir], { env: { GREETING: 'hi' } });
    assert.equal(fromEnv.code, 0);
    const fromVar = await run(['run', ws.file, '--step', 'greet', '--workspace', ws.dir, '--var', 'GREETING=hey'], {
      env: { GREETING: 'hi' },
    });
    assert.equal(fromVar.code, 0);
    const commands = logFiles(ws.dir)
      .flatMap((f) => parseIncidentLog(readFileSync(f, 'utf8')).events)
      .filter((e): e is StepRun => e.kind === 'step.run')
      .map((e) => e.command)
      .sort();
    assert.deepEqual(commands, ['echo "hey world"', 'echo "hi world"']);
  });

  it('runs a destructive step with --yes and records it as confirmed by --yes, in a drill', async () => {
    const ws = workspace();
    const r = await run(['run', ws.file, '--step', 'wipe', '--yes', '--drill', '--workspace', ws.dir]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^✓ exit 0 .* {2}wipe {2}Wipe scratch$/m);
    assert.match(r.out, /^Drill INC-/m);
    const list = events(ws.dir);
    assert.equal(list[0].kind === 'incident.started' && list[0].drill, true);
    const [wipe] = runsOf(list, 'wipe');
    assert.equal(wipe.verdict, 'passed');
    assert.equal(wipe.confirmations[0].confirmed, true);
    assert.match(wipe.confirmations[0].reason, /confirmed by --yes/);
  });

  it('runs a scenario or a phase named on the command line', async () => {
    const ws = workspace();
    const r = await run(['run', ws.file, '--scenario', 'other', '--workspace', ws.dir]);
    assert.match(r.out, /needs-var/);
    assert.doesNotMatch(r.out, /greet/);
    const main = await run(['run', ws.file, '--scenario', 'main', '--workspace', ws.dir]);
    assert.match(main.out, /greet/);
    assert.doesNotMatch(main.out, /needs-var/);
    const phase = await run(['run', ws.file, '--phase', 'phased/check', '--workspace', ws.dir]);
    assert.equal(phase.code, 0);
    assert.match(phase.out, /^✓ .* {2}in-phase {2}In a phase$/m);
    const missing = await run(['run', ws.file, '--phase', 'phased/none', '--workspace', ws.dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no phase `none` in scenario `phased`/);
  });

  it('appends to the incident named by --incident, starting it when its log does not exist', async () => {
    const ws = workspace();
    const id = 'INC-2026-0101-0007';
    await run(['run', ws.file, '--step', 'greet', '--incident', id, '--workspace', ws.dir]);
    const second = await run(['run', ws.file, '--step', 'greet', '--incident', id, '--workspace', ws.dir]);
    assert.equal(second.code, 0);
    assert.match(second.out, new RegExp(`Incident ${id}: `));
    assert.deepEqual(logFiles(ws.dir), [join(ws.dir, '.incidents', `${id}.jsonl`)]);
    const list = events(ws.dir);
    assert.equal(list.filter((e) => e.kind === 'incident.started').length, 1);
    assert.equal(runsOf(list, 'greet').length, 2);
  });

  it('cancels the running step when the signal aborts and records it as cancelled', async () => {
    const ws = workspace();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const r = await run(['run', ws.file, '--step', 'slow', '--step', 'greet', '--workspace', ws.dir], { signal: abort.signal });
    assert.equal(r.code, 1);
    assert.match(r.out, /^⊘ cancelled · .* {2}slow {2}Slow$/m);
    assert.doesNotMatch(r.out, /greet/);
    const [slow] = runsOf(events(ws.dir), 'slow');
    assert.equal(slow.verdict, 'cancelled');
    assert.ok(slow.durationMs < 10_000);
  });

  it('cancels the running step on Ctrl+C (SIGINT) when run as a program', async () => {
    const ws = workspace();
    const bin = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
    const child = spawn(process.execPath, [bin, 'run', ws.file, '--step', 'slow', '--workspace', ws.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // Ctrl+C before the step's process exists would cancel nothing: wait until the CLI has started `sleep 30`.
    await waitForChild(child.pid as number, ['sleep', '30']);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, out);
    assert.match(out, /⊘ cancelled/);
    assert.equal(runsOf(events(ws.dir), 'slow')[0].verdict, 'cancelled');
  });

  describe("timeouts, repeats, conditions and HTTP steps (the editor's runner core)", () => {
    let server: Server;
    let base = '';
    before(async () => {
      server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: req.url === '/health' ? 'ok' : 'down' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    const CORE = `version: 1
title: Core
variables:
  BASE_URL:
    description: the test server
scenarios:
  - id: core
    title: Core
    steps:
      - id: too-slow
        title: Too slow
        run: sleep 30
        timeout: 500ms
        continue_on_failure: true
      - id: until-ready
        title: Until ready
        run: test -f .ready || { touch .ready; exit 1; }
        repeat:
          every: 50ms
          times: 3
      - id: only-if-ready
        title: Only if ready
        when: steps.until-ready.passed
        run: echo ready
      - id: never
        title: Never
        when: steps.too-slow.passed
        run: echo never
      - id: health
        title: Health
        http:
          url: \${BASE_URL}/health
        expect:
          status: 200
          json:
            - path: status
              equals: ok
`;

    it('times out, repeats (recording every attempt), evaluates when and runs HTTP steps', async () => {
      const dir = tempDir('playbook-run-core-');
      const file = join(dir, 'core.playbook.yaml');
      writeFileSync(file, CORE);
      const r = await run(['run', file, '--workspace', dir, '--var', `BASE_URL=${base}`]);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out, /^⏱ timed out · .* {2}too-slow {2}Too slow$/m);
      assert.match(r.out, /^ {2}attempt 1\/3: ✗ exit 1/m);
      assert.match(r.out, /^ {2}attempt 2\/3: ✓ exit 0/m);
      assert.match(r.out, /^✓ exit 0 .* {2}until-ready {2}Until ready$/m);
      assert.match(r.out, /^✓ exit 0 .* {2}only-if-ready/m);
      assert.match(r.out, /^↷ skipped · .* {2}never {2}Never {2}\(skipped: `when:/m);
      assert.match(r.out, /^✓ HTTP 200 .* {2}health {2}Health$/m);
      assert.match(r.out, /^3 passed, 1 failed, 1 skipped$/m);
      const list = events(dir);
      assert.equal(runsOf(list, 'too-slow')[0].verdict, 'timed-out');
      assert.deepEqual(
        runsOf(list, 'until-ready').map((e) => [e.attempt, e.verdict]),
        [
          [1, 'failed'],
          [2, 'passed'],
        ],
      );
      const [health] = runsOf(list, 'health');
      assert.equal(health.stepKind, 'http');
      assert.equal(health.httpStatus, 200);
    });
  });

  describe('usage errors (exit 2, nothing recorded)', () => {
    const ws = workspace('suite');
    const cases: [string, string[], RegExp][] = [
      ['no file', ['run'], /name the playbook file/],
      ['two files', ['run', ws.file, ws.file], /one playbook file/],
      ['an unknown option', ['run', ws.file, '--fast'], /unknown option --fast/],
      ['--incident with --drill', ['run', ws.file, '--drill', '--incident', 'INC-2026-0101-0001'], /exclude each other/],
      ['a malformed incident id', ['run', ws.file, '--incident', 'today'], /--incident takes an id/],
      ['a --var without =', ['run', ws.file, '--var', 'TOKEN'], /--var takes NAME=VALUE/],
      ['a --var the playbook does not declare', ['run', ws.file, '--var', 'NOPE=1'], /--var NOPE: the playbook declares no such variable/],
      ['an unknown step', ['run', ws.file, '--step', 'nope'], /no step `nope`/],
      ['an unknown scenario', ['run', ws.file, '--scenario', 'nope'], /no scenario `nope`/],
      ['a missing file', ['run', join(ws.dir, 'missing.playbook.yaml')], /UNREADABLE.*ENOENT/],
    ];
    for (const [name, args, message] of cases) {
      it(`rejects ${name}`, async () => {
        const r = await run([...args, '--workspace', ws.dir]);
        assert.equal(r.code, 2);
        assert.match(r.err, message);
        assert.deepEqual(logFiles(ws.dir), []);
      });
    }

    it("prints an invalid playbook's errors like validate does, and runs nothing", async () => {
      const bad = join(ws.dir, 'bad.playbook.yaml');
      writeFileSync(bad, PLAYBOOK.replace('run: exit 3', 'rn: exit 3'));
      const r = await run(['run', bad, '--workspace', ws.dir]);
      assert.equal(r.code, 2);
      assert.match(r.err, /bad\.playbook\.yaml:\d+:\d+: error UNKNOWN_KEY: unknown key `rn`/);
      assert.match(r.err, /1 file\(s\): \d+ error\(s\)/);
      assert.deepEqual(logFiles(ws.dir), []);
    });

    it('prints the run usage for run --help and exits 0', async () => {
      const r = await run(['run', '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out, /Usage: playbook run <file>/);
    });
  });
});
