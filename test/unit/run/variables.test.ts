import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Variable } from '../../../src/playbook/types';
import { expand, resolveVariables, stepEnvironment } from '../../../src/run/variables';

describe('variable resolution', () => {
  const declared: Record<string, Variable> = {
    BASE_URL: { default: 'http://localhost:8080' },
    DB_HOST: { env: 'PGHOST', prompt: 'Which database host?' },
    API_KEY: { secret: true, description: 'Admin API key' },
    PORT: { default: 5002 },
  };

  it('prefers overrides, then settings, then the environment, then the default', () => {
    const r = resolveVariables(
      { A: { default: 'd' }, B: { default: 'd' }, C: { default: 'd' }, D: { default: 'd' } },
      {
        overrides: { A: 'o' },
        settings: { A: 's', B: 's' },
        env: { A: 'e', B: 'e', C: 'e' },
      },
    );
    assert.deepEqual(r.values, { A: 'o', B: 's', C: 'e', D: 'd' });
    assert.deepEqual(r.sources, { A: 'override', B: 'settings', C: 'env', D: 'default' });
  });

  it("reads the environment under the variable's env name", () => {
    const r = resolveVariables(declared, { env: { DB_HOST: 'wrong', PGHOST: 'db.internal' } });
    assert.equal(r.values.DB_HOST, 'db.internal');
  });

  it('turns a number default into text', () => {
    assert.equal(resolveVariables(declared).values.PORT, '5002');
  });

  it('never takes a secret from its default', () => {
    const r = resolveVariables({ TOKEN: { secret: true, default: 'leaked' } });
    assert.deepEqual(r.values, {});
    assert.deepEqual(
      r.missing.map((m) => m.name),
      ['TOKEN'],
    );
  });

  it('lists missing variables with what is needed to ask for them', () => {
    const r = resolveVariables(declared);
    assert.deepEqual(r.missing, [
      { name: 'DB_HOST', secret: false, required: true, prompt: 'Which database host?' },
      { name: 'API_KEY', secret: true, required: true, description: 'Admin API key' },
    ]);
  });

  it('collects resolved secret values for redaction', () => {
    const r = resolveVariables(declared, { overrides: { API_KEY: 's3cr3t-key' } });
    assert.deepEqual(r.secrets, [{ name: 'API_KEY', value: 's3cr3t-key' }]);
  });

  it('keeps an empty string as a chosen value', () => {
    assert.equal(resolveVariables({ X: { default: 'd' } }, { overrides: { X: '' } }).values.X, '');
  });
});

describe('variable expansion', () => {
  it('replaces ${NAME} with its value', () => {
    assert.deepEqual(expand('curl ${BASE_URL}/health', { BASE_URL: 'http://h' }), { text: 'curl http://h/health', missing: [] });
  });

  it('turns $${NAME} into a literal ${NAME}', () => {
    assert.deepEqual(expand('echo $${HOME} ${A}', { A: '1', HOME: 'no' }), { text: 'echo ${HOME} 1', missing: [] });
  });

  it('leaves unknown names as written and reports each once', () => {
    assert.deepEqual(expand('${X} ${Y} ${X}', {}), { text: '${X} ${Y} ${X}', missing: ['X', 'Y'] });
  });

  it('leaves plain $NAME and shell parameter expansions to the shell', () => {
    assert.deepEqual(expand('echo $A ${A:-x} ${1}', { A: 'v' }), { text: 'echo $A ${A:-x} ${1}', missing: [] });
  });

  it('does not expand inside a value it inserted', () => {
    assert.equal(expand('${A}', { A: '${B}', B: 'no' }).text, '${B}');
  });

  it('is the identity on text with no placeholder (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('${')),
        fc.dictionary(fc.string(), fc.string()),
        (text, values) => {
          assert.deepEqual(expand(text, values), { text, missing: [] });
        },
      ),
    );
  });

  it('inserts each value exactly and reports no name that has a value (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.string().filter((s) => !s.includes('$')),
            name,
          ),
          { maxLength: 6 },
        ),
        fc.dictionary(name, fc.string()),
        (parts, values) => {
          const text = parts.map(([plain, n]) => `${plain}\${${n}}`).join('');
          const result = expand(text, values);
          const wanted = parts
            .map(([plain, n]) => plain + (Object.prototype.hasOwnProperty.call(values, n) ? values[n] : `\${${n}}`))
            .join('');
          assert.equal(result.text, wanted);
          assert.ok(result.missing.every((m) => !Object.prototype.hasOwnProperty.call(values, m)));
        },
      ),
    );
  });
});

describe('run step environment', () => {
  it('exports the declared variables and adds the step env, expanded', () => {
    const r = stepEnvironment({ DB_HOST: 'db', BASE: '/srv' }, { LOG_LEVEL: 'debug', DATA: '${BASE}/data', RETRIES: 3, DRY: false });
    assert.deepEqual(r, {
      env: { DB_HOST: 'db', BASE: '/srv', LOG_LEVEL: 'debug', DATA: '/srv/data', RETRIES: '3', DRY: 'false' },
      missing: [],
    });
  });

  it('lets the step env win over a variable of the same name', () => {
    assert.equal(stepEnvironment({ MODE: 'a' }, { MODE: 'b' }).env.MODE, 'b');
  });

  it('reports names the step env cannot expand', () => {
    assert.deepEqual(stepEnvironment({}, { URL: '${HOST}:${PORT}' }).missing, ['HOST', 'PORT']);
  });
});
