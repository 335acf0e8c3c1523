// Copies the integration test workspace to .vscode-test/workspace for the F5 "Extension Tests" launch, so tests
// that create or edit files never touch test/fixtures (run-integration.mjs makes its own temp copies instead).
import fs from 'node:fs';
import path from 'node:path';
import { CACHE, ROOT } from './lib/paths.mjs';

const source = ['test/fixtures/workspace', 'examples'].map((dir) => path.join(ROOT, dir)).find((dir) => fs.existsSync(dir));
const target = path.join(CACHE, 'workspace');
fs.rmSync(target, { recursive: true, force: true });
fs.cpSync(source, target, { recursive: true });
console.log(`test workspace: ${path.relative(ROOT, source)} copied to ${path.relative(ROOT, target)}`);
