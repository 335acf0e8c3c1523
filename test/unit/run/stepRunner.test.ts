import * as assert from 'node:assert/strict';
import type { Step } from '../../../src/playbook/types';
import type { HttpCall, HttpRunOutcome } from '../../../src/run/httpRunner';
import type { ProcessOutcome } from '../../../src/run/processRunner';
import {
  createStepRunner,
  defaultEffects,
  describeForConfirmation,
  expandStep,
  isDestructive,
  stepTimeout,
  toFacts,
  type AttemptResult,
  type Clock,
  type StepContext,
  type StepEffects,
} from '../../../src/run/stepRunner';

const T0 = Date.UTC(2026, 10, 24, 14, 3, 0);

/** A clock that advances 1 s per reading and records the waits asked of it. */
function fakeClock(): Clock & { waits: number[] } {
  let now = T0;
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date((now += 1000) - 1000),
    sleep: async (ms, signal) => {
      waits.push(ms);
      now += ms;
      return !signal.aborted;
    },
  };
}

function processOutcome(over: Partial<ProcessOutcome> = {}): ProcessOutcome {
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    cancelled: false,
    startedAt: new Date(T0),
    endedAt: new Date(T0 + 400),
    durationMs: 400,
    output: { text: '', totalBytes: 0, omittedBytes: 0 },
    ...over,
  };
}

function httpOutcome(over: Partial<HttpRunOutcome> = {}): HttpRunOutcome {
  return {
    status: 200,
    body: '{"status":"ok"}',
    durationMs: 80,
    url: 'http://127.0.0.1/health',
    method: 'GET',
    headers: {},
    redirects: 0,
    bodyBytes: 15,
    bodyTruncated: false,
    startedAt: new Date(T0),
    endedAt: new Date(T0 + 80),
    json: { status: 'ok' },
    ...over,
  };
}

interface ShellCall {
  command: string;
  env: Record<string, string>;
  cwd: string | undefined;
  timeoutMs: number;
  shell?: string;
}

/** Effects that record their calls and answer from the given scripts, the last answer repeating. */
function fakeEffects(shellAnswers: Partial<ProcessOutcome>[] = [{}], httpAnswers: Partial<HttpRunOutcome>[] = [{}]) {
  const shellCalls: ShellCall[] = [];
  const httpCalls: HttpCall[] = [];
  const clock = fakeClock();
  const effects: StepEffects = {
    shell: async (command, env, cwd, timeoutMs, _signal, shell) => {
      shellCalls.push({ command, env, cwd, timeoutMs, shell });
      return processOutcome(shellAnswers[Math.min(shellCalls.length, shellAnswers.length) - 1]);
    },
    http: async (request) => {
      httpCalls.push(request);
      return httpOutcome(httpAnswers[Math.min(httpCalls.length, httpAnswers.length) - 1]);
    },
    clock,
  };
  return { effects, shellCalls, httpCalls, clock };
}

const vars = (values: Record<string, string>, secrets: string[] = []): StepContext['variables'] => ({
  values,
  secrets: secrets.map((name) => ({ name, value: values[name] })),
});

describe('step runner', () => {
  it('expands ${NAME} in the command, exports the variables and the step env, and resolves the working directory', async () => {
    const fake = fakeEffects([{ output: { text: 'ok\n', totalBytes: 3, omittedBytes: 0 } }]);
    const step: Step = { id: 'logs', run: 'tail -n ${LINES} app.log', cwd: '${DIR}/api', env: { LEVEL: '${ENV}-debug' }, shell: 'bash' };
    const result = await createStepRunner(fake.effects).run(step, { variables: vars({ LINES: '50', DIR: 'services', ENV: 'prod' }) });
    assert.deepEqual(fake.shellCalls, [
      {
        command: 'tail -n 50 app.log',
        env: { LINES: '50', DIR: 'services', ENV: 'prod', LEVEL: 'prod-debug' },
        cwd: 'services/api',
        timeoutMs: 300_000,
        shell: 'bash',
      },
    ]);
    assert.equal(result?.verdict, 'passed');
    assert.equal(result?.command, 'tail -n 50 app.log');
    assert.deepEqual(result?.checks, [{ description: 'exit code 0 is 0', passed: true, actual: '0' }]);
    assert.deepEqual([result?.exitCode, result?.attempts, result?.output.text], [0, 1, 'ok\n']);
  });

  it('runs in the workspace folder, with a relative cwd resolved against it', async () => {
    const fake = fakeEffects();
    const runner = createStepRunner(fake.effects);
    await runner.run({ id: 'a', run: 'ls' }, { variables: vars({}), workspaceDir: '/work/app' });
    await runner.run({ id: 'b', run: 'ls', cwd: 'services/api' }, { variables: vars({}), workspaceDir: '/work/app' });
    await runner.run({ id: 'c', run: 'ls' }, { variables: vars({}), workspaceDir: '/work/app', defaults: { cwd: '/srv' } });
    assert.deepEqual(
      fake.shellCalls.map((c) => c.cwd),
      ['/work/app', '/work/app/services/api', '/srv'],
    );
  });

  it('expands every string of an HTTP request', async () => {
    const fake = fakeEffects();
    const step: Step = {
      id: 'health',
      http: {
        method: 'POST',
        url: '${BASE}/check',
        headers: { 'X-API-Key': '${KEY}' },
        query: { env: '${ENV}' },
        json: { name: '${ENV}', n: 1 },
      },
    };
    await createStepRunner(fake.effects).run(step, { variables: vars({ BASE: 'http://127.0.0.1:5002', KEY: 'k-1', ENV: 'prod' }) });
    assert.deepEqual(fake.httpCalls, [
      {
        method: 'POST',
        url: 'http://127.0.0.1:5002/check',
        headers: { 'X-API-Key': 'k-1' },
        query: { env: 'prod' },
        json: { name: 'prod', n: 1 },
        timeoutMs: 300_000,
      },
    ]);
  });

  it('redacts secrets from the recorded command, output and request', async () => {
    const secretOutput = { text: 'auth s3cr3t-token ok', totalBytes: 20, omittedBytes: 0 };
    const fake = fakeEffects([{ output: secretOutput }], [{ body: '{"echo":"s3cr3t-token"}' }]);
    const runner = createStepRunner(fake.effects);
    const ctx = { variables: vars({ TOKEN: 's3cr3t-token', BASE: 'http://127.0.0.1' }, ['TOKEN']) };
    const shellResult = await runner.run({ id: 'a', run: 'curl -H "Authorization: ${TOKEN}" x' }, ctx);
    // The secret is not put into the command: the shell reads it from the environment.
    assert.equal(shellResult?.command, 'curl -H "Authorization: ${TOKEN}" x');
    assert.equal(shellResult?.output.text, 'auth •••• ok');
    assert.equal(fake.shellCalls[0].command, 'curl -H "Authorization: ${TOKEN}" x');
    assert.equal(fake.shellCalls[0].env.TOKEN, 's3cr3t-token');
    const httpResult = await runner.run({ id: 'b', http: { url: '${BASE}/?t=${TOKEN}', headers: { 'X-Key': '${TOKEN}' } } }, ctx);
    assert.deepEqual(httpResult?.request, { method: 'GET', url: 'http://127.0.0.1/?t=••••', headers: { 'X-Key': '••••' } });
    assert.equal(httpResult?.output.text, '{"echo":"••••"}');
    assert.deepEqual(httpResult?.json, { echo: '••••' });
  });

  it('skips a step whose `when` is false, without running it', async () => {
    const fake = fakeEffects();
    const step: Step = { id: 'restart', run: 'docker compose restart api', when: 'steps.check-health.failed' };
    const result = await createStepRunner(fake.effects).run(step, {
      variables: vars({}),
      results: { 'check-health': { verdict: 'passed' } },
    });
    assert.equal(result?.verdict, 'skipped');
    assert.equal(result?.attempts, 0);
    assert.deepEqual(result?.notes, ['skipped: `when: steps.check-health.failed` is false']);
    assert.equal(fake.shellCalls.length, 0);
  });

  it('runs a step whose `when` holds', async () => {
    const fake = fakeEffects();
    const step: Step = { id: 'restart', run: 'true', when: 'steps.check-health.failed' };
    const result = await createStepRunner(fake.effects).run(step, {
      variables: vars({}),
      results: { 'check-health': { verdict: 'failed' } },
    });
    assert.equal(result?.verdict, 'passed');
  });

  it('repeats until the expectation passes, on the third attempt, waiting `every` between attempts', async () => {
    const fake = fakeEffects([], [{ status: 503 }, { status: 503 }, { status: 200 }]);
    const attempts: AttemptResult[] = [];
    const step: Step = {
      id: 'wait-healthy',
      http: { url: 'http://127.0.0.1/health' },
      expect: { status: 200 },
      repeat: { every: '10s', times: 12, until: 'passed' },
    };
    const result = await createStepRunner(fake.effects).run(step, { variables: vars({}), onAttempt: (a) => attempts.push(a) });
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.of, a.verdict, a.httpStatus]),
      [
        [1, 12, 'failed', 503],
        [2, 12, 'failed', 503],
        [3, 12, 'passed', 200],
      ],
    );
    assert.deepEqual(fake.clock.waits, [10_000, 10_000]);
    assert.deepEqual([result?.verdict, result?.attempts, result?.httpStatus], ['passed', 3, 200]);
  });

  it('stops a `until: failed` repeat at the first failure', async () => {
    const fake = fakeEffects([{}, { exitCode: 2 }, {}]);
    const result = await createStepRunner(fake.effects).run(
      { id: 'watch', run: 'check', repeat: { every: '1s', times: 5, until: 'failed' } },
      { variables: vars({}) },
    );
    assert.deepEqual([result?.verdict, result?.attempts, result?.exitCode], ['failed', 2, 2]);
  });

  it('stops repeating when cancelled between attempts', async () => {
    const controller = new AbortController();
    const fake = fakeEffects([{ exitCode: 1 }]);
    const step: Step = { id: 'wait', run: 'check', repeat: { every: '5s', times: 10 } };
    const result = await createStepRunner(fake.effects).run(step, {
      variables: vars({}),
      signal: controller.signal,
      onAttempt: () => controller.abort(),
    });
    assert.equal(fake.shellCalls.length, 1);
    assert.deepEqual([result?.verdict, result?.attempts, result?.exitCode], ['cancelled', 1, 1]);
    assert.deepEqual(result?.checks.at(-1), { description: 'cancelled after attempt 1 of 10', passed: false });
  });

  it('is cancelled without running when the signal is already aborted', async () => {
    const fake = fakeEffects();
    const controller = new AbortController();
    controller.abort();
    const result = await createStepRunner(fake.effects).run({ id: 's', run: 'x' }, { variables: vars({}), signal: controller.signal });
    assert.deepEqual([result?.verdict, result?.attempts, fake.shellCalls.length], ['cancelled', 0, 0]);
  });

  it('reports failed, unknown, timed-out and cancelled verdicts', async () => {
    const verdictFor = async (answer: Partial<ProcessOutcome>) =>
      (await createStepRunner(fakeEffects([answer]).effects).run({ id: 's', run: 'x' }, { variables: vars({}) }))?.verdict;
    assert.equal(await verdictFor({ exitCode: 3 }), 'failed');
    assert.equal(await verdictFor({ exitCode: null }), 'unknown');
    assert.equal(await verdictFor({ exitCode: null, signal: 'SIGTERM', timedOut: true }), 'timed-out');
    assert.equal(await verdictFor({ exitCode: null, signal: 'SIGTERM', cancelled: true }), 'cancelled');
    assert.equal(await verdictFor({ exitCode: null, signal: 'SIGKILL' }), 'failed');
    assert.equal(await verdictFor({ exitCode: null, spawnError: 'shell not found: /x' }), 'failed');
  });

  it('reports a refused HTTP connection as failed with the reason', async () => {
    const fake = fakeEffects([], [{ status: undefined, body: '', error: 'connection refused 127.0.0.1:5999' }]);
    const result = await createStepRunner(fake.effects).run({ id: 'h', http: { url: 'http://127.0.0.1:5999/' } }, { variables: vars({}) });
    assert.equal(result?.verdict, 'failed');
    assert.deepEqual(result?.checks, [{ description: 'no response: connection refused 127.0.0.1:5999', passed: false }]);
  });

  it('does not run a step that lacks a required variable', async () => {
    const fake = fakeEffects();
    const ctx: StepContext = { variables: { values: {}, secrets: [], missing: [{ name: 'DB_HOST', secret: false, required: true }] } };
    const result = await createStepRunner(fake.effects).run({ id: 'db', run: 'psql -h ${DB_HOST}' }, ctx);
    assert.equal(result?.verdict, 'failed');
    assert.deepEqual(result?.checks, [{ description: 'not run: no value for ${DB_HOST}', passed: false }]);
    assert.equal(fake.shellCalls.length, 0);
  });

  it('leaves an undeclared ${NAME} in a command to the shell', async () => {
    const fake = fakeEffects();
    await createStepRunner(fake.effects).run({ id: 'loop', run: 'for F in a b; do echo ${F}; done' }, { variables: vars({}) });
    assert.equal(fake.shellCalls[0].command, 'for F in a b; do echo ${F}; done');
  });

  it('returns nothing for manual and notify steps', async () => {
    const runner = createStepRunner(fakeEffects().effects);
    assert.equal(await runner.run({ id: 'm', manual: 'Look at the dashboard' }, { variables: vars({}) }), undefined);
    assert.equal(await runner.run({ id: 'n', notify: { template: 'initial' } }, { variables: vars({}) }), undefined);
  });

  it('records the start, end and duration from the clock', async () => {
    const result = await createStepRunner(fakeEffects().effects).run({ id: 's', run: 'x' }, { variables: vars({}) });
    assert.deepEqual([result?.startedAt.getTime(), result?.endedAt.getTime(), result?.durationMs], [T0, T0 + 1000, 1000]);
  });

  it('gives later conditions the facts of a result', async () => {
    const result = await createStepRunner(fakeEffects([], [{ status: 503, body: '{"status":"down"}' }]).effects).run(
      { id: 'h', http: { url: 'http://127.0.0.1/' } },
      { variables: vars({}) },
    );
    assert.deepEqual(toFacts(result!), {
      verdict: 'failed',
      durationMs: 1000,
      output: '{"status":"down"}',
      status: 503,
      json: { status: 'down' },
    });
  });
});

describe('step timeouts', () => {
  it('takes the step timeout, then the playbook default, then the context default', () => {
    assert.equal(stepTimeout({ id: 's', run: 'x', timeout: '30s' }, { defaults: { timeout: '5m' } }), 30_000);
    assert.equal(stepTimeout({ id: 's', run: 'x' }, { defaults: { timeout: '5m' } }), 300_000);
    assert.equal(stepTimeout({ id: 's', run: 'x' }, { defaultTimeoutMs: 1234 }), 1234);
  });

  it('lets an HTTP timeout limit the request', () => {
    assert.equal(stepTimeout({ id: 's', http: { url: 'u', timeout: '2s' }, timeout: '1m' }, {}), 2000);
  });
});

describe('confirmation', () => {
  it('treats confirm, destructive and destructive-looking commands as needing confirmation', () => {
    assert.equal(isDestructive({ id: 'a', run: 'echo hi', confirm: true }), true);
    assert.equal(isDestructive({ id: 'b', run: 'echo hi', destructive: true }), true);
    assert.equal(isDestructive({ id: 'c', run: 'redis-cli FLUSHDB' }), true);
    assert.equal(isDestructive({ id: 'd', run: '# rm -rf /\necho hi' }), false);
    assert.equal(isDestructive({ id: 'e', http: { url: 'http://127.0.0.1/' } }), false);
  });

  it('shows the exact command that runs, with secrets left for the shell to read from the environment', () => {
    const step: Step = { id: 'flush', run: 'redis-cli -a ${PASS} -h ${HOST} FLUSHDB', confirm: true };
    const ctx = { variables: vars({ PASS: 'hunter22', HOST: 'cache-1' }, ['PASS']) };
    const expanded = expandStep(step, ctx)!;
    assert.equal(describeForConfirmation(step, expanded, ctx.variables.secrets), 'redis-cli -a ${PASS} -h cache-1 FLUSHDB');
  });

  it('shows an HTTP request line, headers and body', () => {
    const step: Step = {
      id: 'purge',
      http: { method: 'DELETE', url: '${BASE}/cache', query: { all: true }, headers: { 'X-Key': 'k' }, json: { force: true } },
    };
    const expanded = expandStep(step, { variables: vars({ BASE: 'http://127.0.0.1:8080' }) })!;
    assert.equal(describeForConfirmation(step, expanded), 'DELETE http://127.0.0.1:8080/cache?all=true\nX-Key: k\n\n{\n  "force": true\n}');
  });
});

describe('step runner over a child process', () => {
  it('runs a real command, never recording a secret it prints', async () => {
    const secrets = [{ name: 'TOKEN', value: 'tok-98765' }];
    const runner = createStepRunner(defaultEffects({ secrets }));
    const result = await runner.run(
      { id: 'print', run: 'echo "token is $TOKEN"', shell: 'bash', expect: { output_contains: 'token is' } },
      { variables: { values: { TOKEN: 'tok-98765' }, secrets } },
    );
    assert.equal(result?.verdict, 'passed');
    assert.equal(result?.output.text, 'token is ••••\n');
  });
});
