import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const dist = join(root, 'dist');

describe('extension bundle (dist/, from npm run build)', () => {
  it('leaves undici and markdown-it to dist/vendor, loaded on first use, and ships them in the package', () => {
    assert.ok(existsSync(join(dist, 'extension.js')), 'dist/extension.js is missing: run npm run build');
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    // Names found only in the libraries' own code.
    assert.ok(
      !extension.includes('DispatcherBase') && !extension.includes('linkify'),
      'undici or markdown-it is bundled into dist/extension.js',
    );
    assert.ok(extension.includes('./vendor/undici.js') && extension.includes('./vendor/markdown-it.js'));
    assert.ok(readFileSync(join(dist, 'vendor', 'undici.js'), 'utf8').includes('DispatcherBase'));
    assert.ok(readFileSync(join(dist, 'vendor', 'markdown-it.js'), 'utf8').includes('linkify'));
    assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!dist\/vendor\/\*\.js$/m);
  });
});
