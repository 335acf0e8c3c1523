import * as assert from 'node:assert/strict';
import { analyze, covered, joinLines, marked, problemsWith, withSteps } from '../helpers';

describe('semantic checks', () => {
  describe('ids', () => {
    it('reports a duplicate step id at the second id with the first line', () => {
      const m = marked(withSteps('- id: check', '  title: A', '  run: echo a', '- id: ⟦check⟧', '  title: B', '  run: echo b'));
      const [p] = problemsWith(m.text, 'DUPLICATE_ID');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
      assert.match(p.message, /first used on line 17/);
    });

    it('reports duplicate step ids across scenarios', () => {
      const text = joinLines(
        withSteps('- id: a', '  title: A', '  run: echo'),
        '  - id: other',
        '    title: Other',
        '    steps:',
        '      - id: a',
        '        title: A2',
        '        run: echo',
      );
      assert.equal(problemsWith(text, 'DUPLICATE_ID').length, 1);
    });

    it('allows the same phase id in two scenarios', () => {
      const scenario = (id: string) => [
        `  - id: ${id}`,
        `    title: ${id}`,
        '    phases:',
        '      - id: diagnose',
        '        title: Diagnose',
        '        steps:',
        `          - id: ${id}-step`,
        '            title: S',
        '            run: echo',
      ];
      const text = joinLines('version: 1', 'title: T', 'scenarios:', ...scenario('one'), ...scenario('two'));
      assert.deepEqual(analyze(text).problems, []);
    });
  });

  describe('step kinds', () => {
    it('reports a step with no kind at its id', () => {
      const m = marked(withSteps('- id: ⟦idle⟧', '  title: Idle'));
      const [p] = problemsWith(m.text, 'STEP_KIND_MISSING');
      assert.equal(covered(m.text, p), 'idle');
    });

    it('reports a step with two kinds at the second kind key', () => {
      const m = marked(withSteps('- id: both', '  title: Both', '  run: echo', '  ⟦manual⟧: do it'));
      const [p] = problemsWith(m.text, 'STEP_KIND_CONFLICT');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
    });

    it('reports an empty command', () => {
      const text = withSteps('- id: e', '  title: E', '  run: "  "');
      assert.equal(problemsWith(text, 'EMPTY_COMMAND').length, 1);
    });

    it('reports a run with no value as an empty command', () => {
      const text = withSteps('- id: e', '  title: E', '  run:');
      assert.equal(problemsWith(text, 'EMPTY_COMMAND').length, 1);
    });

    it('notes a step without a title as information', () => {
      const [p] = problemsWith(withSteps('- id: t', '  run: echo'), 'STEP_WITHOUT_TITLE');
      assert.equal(p.severity, 'info');
    });
  });

  describe('variables', () => {
    it('reports an undeclared variable in an HTTP URL as an error at the reference', () => {
      const m = marked(withSteps('- id: h', '  title: H', '  http:', '    url: ⟦${BASE_URLL}⟧/health'));
      const [p] = problemsWith(m.text, 'UNDEFINED_VARIABLE');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
      assert.equal(p.severity, 'error');
      assert.match(p.message, /did you mean `BASE_URL`/);
    });

    it('warns about an undeclared variable inside a block-scalar command, at its exact place', () => {
      const m = marked(withSteps('- id: r', '  title: R', '  run: |', '    echo start', '    curl ⟦${API_HOST}⟧/x'));
      const [p] = problemsWith(m.text, 'UNDEFINED_VARIABLE');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
      assert.equal(p.severity, 'warning');
    });

    it('accepts variables the script assigns, standard ones, escaped ones and declared ones', () => {
      const text = withSteps(
        '- id: r',
        '  title: R',
        '  run: |',
        '    LATENCY=$(curl -s x)',
        '    for POD in a b; do echo ${POD}; done',
        '    echo ${LATENCY} ${HOME} $${LITERAL} ${BASE_URL}',
      );
      assert.deepEqual(problemsWith(text, 'UNDEFINED_VARIABLE'), []);
    });

    it('reports a secret with a default value', () => {
      const text = withSteps('- id: a', '  title: A', '  run: echo').replace(
        '    default: http://localhost:5002',
        '    secret: true\n    default: hunter2',
      );
      const [p] = problemsWith(text, 'SECRET_DEFAULT');
      assert.equal(covered(text, p), 'hunter2');
    });
  });

  describe('references', () => {
    it('reports an undefined severity on a scenario at the value', () => {
      const text = withSteps('- id: a', '  title: A', '  run: echo').replace('    title: Crash', '    title: Crash\n    severity: P9');
      const [p] = problemsWith(text, 'UNDEFINED_SEVERITY');
      assert.equal(covered(text, p), 'P9');
      assert.match(p.message, /did you mean `P1`/);
    });

    it('reports an undefined role and template', () => {
      const text = withSteps('- id: a', '  title: A', '  role: comander', '  notify:', '    template: intial');
      assert.equal(covered(text, problemsWith(text, 'UNDEFINED_ROLE')[0]), 'comander');
      assert.equal(covered(text, problemsWith(text, 'UNDEFINED_TEMPLATE')[0]), 'intial');
    });

    it('reports an undefined webhook variable', () => {
      const text = withSteps('- id: a', '  title: A', '  notify:', '    template: initial', '    webhook: SLACK_HOOK');
      assert.equal(covered(text, problemsWith(text, 'UNDEFINED_VARIABLE')[0]), 'SLACK_HOOK');
    });
  });

  describe('conditions', () => {
    const base = ['- id: mem', '  title: Memory', '  http:', '    url: ${BASE_URL}/memory'];

    it('accepts a condition on an earlier step', () => {
      const text = withSteps(
        ...base,
        '- id: restart',
        '  title: Restart',
        '  run: ./restart.sh',
        '  when: steps.mem.json.heapSizeMB > 2000 and not steps.mem.failed',
      );
      assert.deepEqual(analyze(text).problems, []);
    });

    it('reports a reference to an undefined step at the reference', () => {
      const m = marked(withSteps(...base, '- id: r', '  title: R', '  run: echo', '  when: steps.mem.passed or ⟦steps.nope.passed⟧'));
      const [p] = problemsWith(m.text, 'UNDEFINED_STEP');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
    });

    it('reports a reference to a later step', () => {
      const text = withSteps(
        '- id: first',
        '  title: F',
        '  run: echo',
        '  when: steps.second.passed',
        '- id: second',
        '  title: S',
        '  run: echo',
      );
      assert.equal(problemsWith(text, 'FORWARD_STEP_REFERENCE').length, 1);
    });

    it('reports a syntax error at its position inside a quoted condition', () => {
      const m = marked(withSteps(...base, '- id: r', '  title: R', '  run: echo', '  when: "steps.mem.passed ⟦)⟧"'));
      const [p] = problemsWith(m.text, 'INVALID_CONDITION');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
    });

    it('reports an unknown step field', () => {
      const text = withSteps(...base, '- id: r', '  title: R', '  run: echo', '  when: steps.mem.pased');
      const [p] = problemsWith(text, 'INVALID_CONDITION');
      assert.match(p.message, /did you mean `passed`/);
    });

    it('checks escalation conditions but leaves prose alone', () => {
      const text = withSteps('- id: a', '  title: A', '  run: echo').replace(
        '    title: Crash',
        '    title: Crash\n    escalation:\n      - when: error rate above 5% for 10 minutes\n        to: commander\n      - when: steps.ghost.failed\n        to: nobody',
      );
      assert.equal(problemsWith(text, 'UNDEFINED_STEP').length, 1);
      assert.equal(problemsWith(text, 'UNDEFINED_ROLE').length, 1);
    });
  });

  describe('destructive commands', () => {
    it('warns at the destructive part of a command without confirm', () => {
      const m = marked(withSteps('- id: flush', '  title: Flush', '  run: |', '    redis-cli ⟦FLUSHDB⟧'));
      const [p] = problemsWith(m.text, 'DESTRUCTIVE_WITHOUT_CONFIRM');
      assert.deepEqual({ start: p.start, end: p.end }, m.ranges[0]);
      assert.equal(p.severity, 'warning');
    });

    it('is satisfied by confirm: true or destructive: true', () => {
      assert.deepEqual(
        problemsWith(withSteps('- id: f', '  title: F', '  run: redis-cli FLUSHDB', '  confirm: true'), 'DESTRUCTIVE_WITHOUT_CONFIRM'),
        [],
      );
      assert.deepEqual(
        problemsWith(
          withSteps('- id: f', '  title: F', '  run: kubectl delete pod x', '  destructive: true'),
          'DESTRUCTIVE_WITHOUT_CONFIRM',
        ),
        [],
      );
    });

    it('ignores destructive words in shell comments', () => {
      assert.deepEqual(
        problemsWith(withSteps('- id: f', '  title: F', '  run: |', '    # never rm -rf / here', '    ls'), 'DESTRUCTIVE_WITHOUT_CONFIRM'),
        [],
      );
    });
  });

  describe('templates and scenarios', () => {
    it('warns about an unknown placeholder and accepts declared fields', () => {
      const text = joinLines(withSteps('- id: a', '  title: A', '  run: echo'), '  - id: empty', '    title: Empty').replace(
        '    body: "{{incident.id}}"',
        '    body: "{{incident.id}} {{service_name}} {{incidnet.title}}"\n    fields:\n      - name: service_name',
      );
      const problems = problemsWith(text, 'UNKNOWN_PLACEHOLDER');
      assert.deepEqual(
        problems.map((p) => covered(text, p)),
        ['{{incidnet.title}}'],
      );
      assert.match(problems[0].message, /did you mean `incident.title`/);
      assert.equal(problemsWith(text, 'EMPTY_SCENARIO').length, 1);
    });
  });
});

describe('references in lists', () => {
  it('checks every role of a list-valued escalate_to', () => {
    const text = withSteps('- id: a', '  title: A', '  run: echo').replace('  - id: P1', '  - id: P1\n    escalate_to: [commander, cto]');
    const problems = problemsWith(text, 'UNDEFINED_ROLE');
    assert.deepEqual(
      problems.map((p) => covered(text, p)),
      ['cto'],
    );
  });
});
