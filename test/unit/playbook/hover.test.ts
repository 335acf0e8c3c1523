import * as assert from 'node:assert/strict';
import { hover } from '../../../src/playbook/hover';
import { PlaybookService } from '../../../src/playbook/service';
import { analyze, marked, withSteps } from '../helpers';

const service = new PlaybookService();

function hoverAt(source: string) {
  const m = marked(source);
  return { m, h: hover(analyze(m.text), m.cursor, service.schema) };
}

describe('hover', () => {
  it('shows the schema description of a key over the key', () => {
    const { m, h } = hoverAt(withSteps('- id: a', '  title: A', '  ti¦meout: 30s', '  run: echo'));
    assert.match(h?.markdown ?? '', /\*\*timeout\*\*/);
    assert.match(h?.markdown ?? '', /Kill the command/);
    assert.equal(m.text.slice(h?.start, h?.end), 'timeout');
  });

  it('shows a variable’s description and default over ${NAME}', () => {
    const { m, h } = hoverAt(withSteps('- id: a', '  title: A', '  http:', '    url: ${BASE¦_URL}/health'));
    assert.match(h?.markdown ?? '', /Default: `http:\/\/localhost:5002`/);
    assert.equal(m.text.slice(h?.start, h?.end), '${BASE_URL}');
  });

  it('shows the referenced severity over a severity id', () => {
    const text = withSteps('- id: a', '  title: A', '  run: echo')
      .replace('  - id: P1', '  - id: P1\n    name: Critical\n    respond_within: 15m')
      .replace('    title: Crash', '    title: Crash\n    severity: P¦1');
    const { h } = hoverAt(text);
    assert.match(h?.markdown ?? '', /P1\*\* — Critical/);
    assert.match(h?.markdown ?? '', /respond within: 15m/);
  });

  it('returns nothing on plain values', () => {
    assert.equal(hoverAt(withSteps('- id: a', '  title: Jus¦t text', '  run: echo')).h, undefined);
  });
});
