import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { parse } from 'yaml';
import { importMarkdown, classifyUnlabelled, toPlaceholders, type ImportResult } from '../../../src/import/markdown';
import { durationFromWords } from '../../../src/import/durations';
import { PlaybookAnalyzer } from '../../../src/playbook/analyze';
import type { Playbook, Step } from '../../../src/playbook/types';
import { SEEDS_DIR, seedsPresent } from '../helpers';

const SHELL = new Set(['bash', 'sh', 'shell', 'zsh', 'console']);

function steps(playbook: Playbook): Step[] {
  return playbook.scenarios.flatMap((s) => [...(s.steps ?? []), ...(s.phases ?? []).flatMap((p) => p.steps)]);
}

function errorsOf(text: string): string[] {
  return new PlaybookAnalyzer()
    .analyze(text)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => `${p.code}: ${p.message}`);
}

function load(result: ImportResult): Playbook {
  return parse(result.text) as Playbook;
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

/** Imports and checks the result is a playbook with no validation errors. */
function valid(markdown: string): { result: ImportResult; playbook: Playbook } {
  const result = importMarkdown(markdown);
  assert.deepEqual(errorsOf(result.text), []);
  return { result, playbook: load(result) };
}

describe('importMarkdown', () => {
  describe('on the seed runbooks', () => {
    const seeds = seedsPresent('importing the seed runbooks') ? readdirSync(SEEDS_DIR).sort() : [];
    if (seeds.length === 0) {
      it('imports every seed', function () {
        this.skip();
      });
    }
    for (const seed of seeds) {
      describe(seed, () => {
        const markdown = readFileSync(join(SEEDS_DIR, seed), 'utf8');
        const tokens = new MarkdownIt({ html: true }).parse(markdown, {});
        const fences = tokens.filter((t) => t.type === 'fence');
        const labelled = fences.filter((t) => SHELL.has(t.info.trim().split(/\s+/)[0].toLowerCase())).map((t) => t.content);
        const unlabelled = fences.filter((t) => t.info.trim() === '').map((t) => t.content);
        const result = importMarkdown(markdown, { sourceName: seed });
        const playbook = load(result);

        it('passes validation with zero errors', () => {
          assert.deepEqual(errorsOf(result.text), []);
        });

        it('turns every labelled shell block into exactly one run step with the same command', () => {
          const runs = steps(playbook)
            .filter((s) => s.run !== undefined)
            .map((s) => s.run as string);
          const fromLabelled = runs.filter((r) => labelled.includes(r));
          assert.deepEqual(sorted(fromLabelled), sorted(labelled));
          // Any other run step comes from an unlabelled block classified as a command.
          const others = runs.filter((r) => !labelled.includes(r));
          for (const other of others) assert.ok(unlabelled.includes(other), `unexpected run step: ${other.slice(0, 60)}`);
          assert.equal(runs.length, labelled.length + unlabelled.filter((u) => classifyUnlabelled(u) === 'command').length);
        });

        it('keeps the scenarios in the order of the headings', () => {
          const headings = tokens.flatMap((t, i) => (t.type === 'heading_open' ? [tokens[i + 1].content.trim()] : []));
          let at = -1;
          for (const scenario of playbook.scenarios) {
            const found = headings.indexOf(scenario.title, at + 1);
            assert.ok(found > at, `scenario "${scenario.title}" is out of order or not a heading`);
            at = found;
          }
          assert.equal(playbook.title, headings[0]);
        });

        it('reports a summary that matches the playbook', () => {
          const all = steps(playbook);
          const s = result.summary;
          assert.equal(s.scenarios, playbook.scenarios.length);
          assert.equal(
            s.phases,
            playbook.scenarios.reduce((n, sc) => n + (sc.phases?.length ?? 0), 0),
          );
          assert.deepEqual(s.steps, {
            run: all.filter((x) => x.run !== undefined).length,
            http: all.filter((x) => x.http !== undefined).length,
            manual: all.filter((x) => x.manual !== undefined).length,
            notify: all.filter((x) => x.notify !== undefined).length,
          });
          assert.equal(s.variables, Object.keys(playbook.variables ?? {}).length);
          assert.equal(s.severities, playbook.severities?.length ?? 0);
          assert.equal(s.roles, playbook.roles?.length ?? 0);
          assert.equal(s.templates, playbook.templates?.length ?? 0);
          assert.equal(s.checklists, playbook.checklists?.length ?? 0);
          assert.equal(new Set(all.map((x) => x.id)).size, all.length);
        });

        it('keeps damaged characters as they are', () => {
          for (const bad of ['‚Üí', 'âœ', 'ðŸ']) if (markdown.includes(bad)) assert.ok(result.text.includes(bad), bad);
        });
      });
    }
  });

  describe('mapping', () => {
    it('makes the H1 the title, H2 scenarios and H3 phases, with a run step per shell block', () => {
      const md = [
        '# Orders API',
        '',
        '## API down',
        '',
        '### Diagnose (0-15 minutes)',
        '',
        '#### Check health',
        '```bash',
        '# Is it up?',
        'curl -s $BASE_URL/health',
        '```',
        '',
      ].join('\n');
      const { playbook, result } = valid(md);
      assert.equal(playbook.title, 'Orders API');
      assert.equal(playbook.scenarios[0].title, 'API down');
      const phase = playbook.scenarios[0].phases?.[0];
      assert.equal(phase?.title, 'Diagnose (0-15 minutes)');
      assert.deepEqual(phase?.window, { from: '0m', to: '15m' });
      assert.deepEqual(phase?.steps, [
        { id: 'check-health', title: 'Check health', description: 'Is it up?', run: '# Is it up?\ncurl -s $BASE_URL/health\n' },
      ]);
      assert.deepEqual(playbook.variables, { BASE_URL: { description: 'Used by "Check health"' } });
      assert.equal(result.summary.steps.run, 1);
    });

    it('marks secret-looking variables and asks before destructive commands', () => {
      const md = ['# T', '## S', '```sh', 'curl -H "X-API-Key: ${API_KEY}" -d "$SLACK_WEBHOOK" ${HOST}', 'docker compose down', '```'].join(
        '\n',
      );
      const { playbook } = valid(md);
      assert.deepEqual(playbook.variables, {
        API_KEY: { description: 'Used by "S"', secret: true },
        SLACK_WEBHOOK: { description: 'Used by "S"', secret: true },
        HOST: { description: 'Used by "S"' },
      });
      assert.equal(steps(playbook)[0].confirm, true);
    });

    it('does not declare names the script assigns itself or standard ones', () => {
      const md = [
        '# T',
        '## S',
        '```bash',
        'POD=$(kubectl get pods -o name | head -1)',
        'echo $POD $HOME',
        'for NODE in a b; do echo $NODE; done',
        '```',
      ].join('\n');
      const { playbook } = valid(md);
      assert.equal(playbook.variables, undefined);
    });

    it('keeps a command byte for byte, with trailing spaces, tabs and blank lines', () => {
      const command = 'echo "a"  \n\tcat x\n\n  indented\n';
      const md = `# T\n## S\n\`\`\`bash\n${command}\`\`\`\n`;
      const { playbook } = valid(md);
      assert.equal(steps(playbook)[0].run, command);
    });

    it('titles a step from the list item or paragraph right before the block', () => {
      const md = ['# T', '## S', 'Restart the worker:', '```bash', 'systemctl restart worker', '```'].join('\n');
      const { playbook } = valid(md);
      assert.equal(steps(playbook)[0].title, 'Restart the worker');
      assert.equal(steps(playbook)[0].confirm, true);
    });

    it('turns task lists into manual steps, or checklists under a checklist heading', () => {
      const md = [
        '# T',
        '## Respond',
        '- [ ] Page the on-call',
        '- [x] Open a ticket',
        '## Incident Checklist',
        '### During Incident',
        '- [ ] Assess severity',
        '- [ ] Notify stakeholders',
      ].join('\n');
      const { playbook, result } = valid(md);
      assert.deepEqual(
        steps(playbook).map((s) => [s.title, s.manual]),
        [
          ['Page the on-call', 'Page the on-call'],
          ['Open a ticket', 'Open a ticket'],
        ],
      );
      assert.deepEqual(playbook.checklists, [
        { id: 'during-incident', title: 'During Incident', when: 'during', items: ['Assess severity', 'Notify stakeholders'] },
      ]);
      assert.equal(result.summary.checklists, 1);
    });

    it('reads a severity table into severities with durations', () => {
      const md = [
        '# T',
        '## Incident Classification Matrix',
        '| Severity | Impact | Response Time |',
        '|---|---|---|',
        '| **P1 - Critical** | System down | 0-15 min |',
        '| **P4 - Low** | Cosmetic | Next business day |',
        '## Respond',
        '```bash',
        'uptime',
        '```',
      ].join('\n');
      const { playbook } = valid(md);
      assert.deepEqual(playbook.severities, [
        {
          id: 'P1',
          name: 'Critical',
          impact: 'System down',
          respond_within: '15m',
          notes: ['Response Time: 0-15 min', '| **P1 - Critical** | System down | 0-15 min |'],
        },
        {
          id: 'P4',
          name: 'Low',
          impact: 'Cosmetic',
          notes: ['Response Time: Next business day', '| **P4 - Low** | Cosmetic | Next business day |'],
        },
      ]);
      assert.deepEqual(
        playbook.scenarios.map((s) => s.title),
        ['Respond'],
      );
    });

    it('reads severity sections with response, escalation and cadence', () => {
      const md = [
        '# T',
        '## Incident Severity Levels',
        '### Level 1: CRITICAL',
        '**Impact**: Outage  ',
        '**Response Time**: Immediate (< 2 min)  ',
        '**Communication**: Every 10 minutes',
        '',
        '- All users affected',
      ].join('\n');
      const { playbook } = valid(md);
      assert.deepEqual(playbook.severities, [
        {
          id: 'L1',
          name: 'CRITICAL',
          impact: 'Outage',
          respond_within: '2m',
          notes: ['Response Time: Immediate (< 2 min)'],
          communication: 'Every 10 minutes',
          update_every: '10m',
          criteria: ['All users affected'],
        },
      ]);
    });

    it('reads role sections into roles', () => {
      const md = [
        '# T',
        '## Response Team',
        '### Incident Commander (IC)',
        '**Primary**: Alice',
        '- Coordinate the response',
        '- Decide on escalation',
      ].join('\n');
      const { playbook } = valid(md);
      assert.deepEqual(playbook.roles, [
        {
          id: 'incident-commander-ic',
          name: 'Incident Commander (IC)',
          primary: 'Alice',
          responsibilities: ['Coordinate the response', 'Decide on escalation'],
        },
      ]);
    });

    it('keeps channels, periods and groupings in a contacts section as notes, not roles', () => {
      const md = [
        '# T',
        '## Emergency Contacts',
        '### Primary',
        '- Phone: 555-0100',
        '### Slack',
        '#incidents',
        '- **Email**: ops@example.com',
        '- **PagerDuty**: api-service',
        '## On-Call Training',
        '- **Week 1**: shadow the on-call',
        '### Internal',
        '- **Management**: CTO',
      ].join('\n');
      const { playbook } = valid(md);
      assert.deepEqual(
        playbook.roles?.map((r) => r.name),
        ['Primary', 'Management'],
      );
      const text = JSON.stringify(playbook);
      for (const kept of ['#incidents', 'ops@example.com', 'api-service', 'shadow the on-call'])
        assert.ok(text.includes(kept), `${kept} is kept`);
    });

    it('turns templates in a communication section into templates with fields and a notify step', () => {
      const md = [
        '# T',
        '## Communication',
        '### Initial Notification',
        '```',
        'Subject: [SEVERITY] incident',
        'Impact: <impact here>',
        '```',
      ].join('\n');
      const { playbook, result } = valid(md);
      assert.deepEqual(playbook.templates, [
        {
          id: 'initial-notification',
          title: 'Initial Notification',
          body: 'Subject: {{severity}} incident\nImpact: {{impact_here}}\n',
          kind: 'initial',
          subject: '{{severity}} incident',
          fields: [
            { name: 'severity', description: 'SEVERITY' },
            { name: 'impact_here', description: 'impact here' },
          ],
        },
      ]);
      assert.deepEqual(steps(playbook), [
        { id: 'send-initial-notification', title: 'Send: Initial Notification', notify: { template: 'initial-notification' } },
      ]);
      assert.equal(result.summary.steps.notify, 1);
    });

    it('keeps prose, tables, diagrams and other languages as notes', () => {
      const md = [
        '# T',
        '## S',
        'Some prose.',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        '```',
        'A ‚Üí B',
        '```',
        '',
        '```python',
        'print(1)',
        '```',
      ].join('\n');
      const { playbook, result } = valid(md);
      assert.deepEqual(playbook.scenarios[0].notes, [
        'Some prose.',
        '| a | b |\n|---|---|\n| 1 | 2 |',
        '```\nA ‚Üí B\n```',
        '```python\nprint(1)\n```',
      ]);
      assert.equal(result.summary.notes, 4);
    });

    it('gives steps unique ids across the playbook', () => {
      const md = ['# T', '## A', '### Check', '```bash', 'ls', '```', '## B', '### Check', '```bash', 'ls -l', '```'].join('\n');
      const { playbook } = valid(md);
      assert.deepEqual(
        steps(playbook).map((s) => s.id),
        ['check', 'check-2'],
      );
    });
  });

  describe('helpers', () => {
    it('reads durations in words', () => {
      assert.deepEqual(
        ['0-15 min', '< 5 minutes', 'Every 15 minutes', '1-24 hours', 'Immediate', 'Next business day', '2 days'].map(durationFromWords),
        ['15m', '5m', '15m', '24h', 'immediate', undefined, '2d'],
      );
    });

    it('classifies unlabelled blocks', () => {
      assert.deepEqual(
        ['kubectl get pods\nkubectl logs x', 'Subject: outage', 'Alert → Triage → Fix', 'just some words', ''].map(classifyUnlabelled),
        ['command', 'template', 'diagram', 'other', 'other'],
      );
    });

    it('turns bracketed placeholders into fields but leaves links and checkboxes', () => {
      const fields = new Map<string, string>();
      assert.equal(
        toPlaceholders('Hi [NAME], see [docs](http://x) [ ] <br> <eta>', fields),
        'Hi {{name}}, see [docs](http://x) [ ] <br> {{eta}}',
      );
      assert.deepEqual(
        [...fields],
        [
          ['name', 'NAME'],
          ['eta', 'eta'],
        ],
      );
    });
  });

  describe('robustness', () => {
    const cases: [string, string][] = [
      ['an empty file', ''],
      ['no headings', 'Just a paragraph.\n\nAnother one.'],
      ['no code blocks', '# T\n## S\nProse only.'],
      ['only code', '```bash\nls\n```'],
      ['HTML blocks', '# T\n<div align="center">\n<img src="x.png">\n</div>\n## S\n```bash\nls\n```'],
      ['front matter', '---\ntitle: x\ntags: [a]\n---\n# T\n## S\n```bash\nls\n```'],
      ['CRLF line endings', '# T\r\n## S\r\n```bash\r\nls\r\npwd\r\n```\r\n'],
      ['code in lists', '# T\n## S\n1. First\n   ```bash\n   ls\n   ```\n2. Second\n   - [ ] tick'],
      ['an unterminated fence', '# T\n## S\n```bash\nls\n'],
      ['deep headings only', '###### a\n##### b\n```bash\nls\n```'],
      ['mojibake', '# T ‚Üí x\n## S â€” y\n```bash\necho "‚Üí"\n```'],
      ['an empty shell block', '# T\n## S\n```bash\n```'],
    ];
    for (const [name, md] of cases) {
      it(`gives a valid playbook for ${name}`, () => {
        const { playbook } = valid(md);
        assert.ok(playbook.scenarios.length >= 1);
      });
    }

    it('warns about an empty file, a missing title and an unterminated fence', () => {
      assert.ok(importMarkdown('').warnings.some((w) => w.includes('empty')));
      assert.ok(importMarkdown('## S\n```bash\nls\n```').warnings.some((w) => w.includes('no `# title`')));
      assert.ok(importMarkdown('# T\n## S\n```bash\nls\n').warnings.some((w) => w.includes('never closed')));
    });

    it('keeps CRLF commands byte-identical after line-ending normalisation', () => {
      const { playbook } = valid('# T\r\n## S\r\n```bash\r\nls\r\npwd\r\n```\r\n');
      assert.equal(steps(playbook)[0].run, 'ls\npwd\n');
    });

    it('keeps code nested in a list as a run step', () => {
      const { playbook } = valid('# T\n## S\n1. First\n   ```bash\n   ls\n   ```\n');
      assert.deepEqual(
        steps(playbook).map((s) => s.run ?? s.manual),
        ['First', 'ls\n'],
      );
    });

    it('imports a generated 5 MB file in a few seconds', () => {
      const prose =
        'The service handles orders and payments; when it degrades, check the queue depth, the database pool and the upstream gateway first. '.repeat(
          20,
        );
      const section = (n: number): string =>
        [
          `## Scenario ${n}`,
          '',
          '### Diagnose',
          '',
          prose,
          '',
          '- [ ] Tick this',
          '',
          '```bash',
          `curl -s \${BASE_URL}/health/${n} && docker compose restart api`,
          'tail -n 200 /var/log/app.log | grep -i error',
          '```',
          '',
          prose,
          '',
          '| a | b |',
          '|---|---|',
          '| 1 | 2 |',
          '',
        ].join('\n');
      const parts = ['# Big'];
      let size = 0;
      for (let n = 0; size < 5 * 1024 * 1024; n++) {
        const s = section(n);
        parts.push(s);
        size += s.length;
      }
      const started = Date.now();
      const result = importMarkdown(parts.join('\n'));
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5000, `took ${elapsed} ms`);
      assert.equal(result.summary.steps.run, parts.length - 1);
      assert.equal(result.summary.scenarios, parts.length - 1);
    });
  });
});
