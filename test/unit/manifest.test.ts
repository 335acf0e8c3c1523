import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, LANGUAGE_ID, ViewIds } from '../../src/commands';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package.json manifest', () => {
  it('contributes exactly the commands the code defines, each in the Playbook category', () => {
    const contributed = pkg.contributes.commands as { command: string; category: string }[];
    assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(Commands).sort());
    for (const c of contributed) assert.equal(c.category, 'Playbook', c.command);
  });

  it('pins yaml exactly: the fast reader mirrors its ranges, so an upgrade is a change the equivalence tests judge', () => {
    assert.match(pkg.dependencies.yaml, /^\d+\.\d+\.\d+$/);
  });

  it('keeps type packages out of the dependencies, and @types/node at the Node of the oldest VS Code it allows', () => {
    assert.deepEqual(
      Object.keys(pkg.dependencies).filter((name) => name.startsWith('@types/')),
      [],
    );
    // VS Code 1.100 to 1.100.x runs extensions on Electron 34, which is Node 20.
    const nodeOfVSCode: Record<string, number> = { '^1.100.0': 20 };
    const nodeMajor = nodeOfVSCode[pkg.engines.vscode];
    assert.ok(nodeMajor, `the Node version of VS Code ${pkg.engines.vscode} is in the table above`);
    assert.match(pkg.devDependencies['@types/node'], new RegExp(`^\\^?${nodeMajor}\\.`));
  });

  it('hides internal commands from the palette', () => {
    const hidden = (pkg.contributes.menus.commandPalette as { command: string; when: string }[])
      .filter((m) => m.when === 'false')
      .map((m) => m.command);
    assert.ok(hidden.includes(Commands.revealStep));
  });

  it('declares the view container, view and language the code uses', () => {
    assert.ok(pkg.contributes.viewsContainers.activitybar.some((c: { id: string }) => c.id === ViewIds.container));
    assert.ok(pkg.contributes.views[ViewIds.container].some((v: { id: string }) => v.id === ViewIds.steps));
    assert.ok(
      pkg.contributes.views[ViewIds.container].some(
        (v: { id: string; type?: string }) => v.id === ViewIds.incident && v.type === 'webview',
      ),
    );
    assert.ok(pkg.contributes.languages.some((l: { id: string }) => l.id === LANGUAGE_ID));
  });

  it('never activates on * or onStartupFinished', () => {
    for (const event of pkg.activationEvents as string[]) assert.ok(event !== '*' && event !== 'onStartupFinished', event);
  });

  it('supports untrusted workspaces only in a limited way', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('points every contributed file at something that exists', () => {
    const files = [
      ...pkg.contributes.languages.map((l: { configuration: string }) => l.configuration),
      ...pkg.contributes.grammars.map((g: { path: string }) => g.path),
      ...pkg.contributes.snippets.map((s: { path: string }) => s.path),
      ...pkg.contributes.yamlValidation.map((y: { url: string }) => y.url),
      pkg.icon,
    ];
    for (const file of files) assert.doesNotThrow(() => readFileSync(join(root, file)), file);
  });
});

describe('walkthrough', () => {
  it('has steps whose media files exist and whose command links are contributed or built in', () => {
    const [walkthrough] = pkg.contributes.walkthroughs as { steps: { description: string; media: { markdown: string } }[] }[];
    assert.ok(walkthrough.steps.length >= 3);
    const ours = new Set(Object.values(Commands));
    for (const step of walkthrough.steps) {
      assert.doesNotThrow(() => readFileSync(join(root, step.media.markdown)), step.media.markdown);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(ours.has(command as never) || command.startsWith('workbench.'), command);
      }
    }
  });
});
