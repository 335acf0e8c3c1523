// The harness's decisions that need no VS Code: which Chromium to use, and what a run left outside the project.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers';

interface Facts {
  override?: string;
  exists: (file: string) => boolean;
  isRoot: boolean;
  hasApt: boolean;
  platform: string;
  arch: string;
}
type Plan = { kind: 'use'; path: string; source: string } | { kind: 'apt' } | { kind: 'npm' } | { kind: 'none'; message: string };
interface ChromiumModule {
  planChromium(facts: Facts): Plan;
}
interface PathsModule {
  CHROMIUM_NPM: string;
  CHROMIUM_CANDIDATES: string[];
}
interface FootprintModule {
  listEntries(root: string, options: { depth: number; skip?: string[] }): Set<string>;
  newEntries(before: Set<string>, after: Set<string>): string[];
}

const SCRIPTS = join(__dirname, '..', '..', '..', '..', 'scripts', 'lib');
// The harness is ES modules; the compiled tests are CommonJS, whose `import()` TypeScript would turn into require.
const importEsm = new Function('url', 'return import(url)') as <T>(url: string) => Promise<T>;
const load = <T>(name: string) => importEsm<T>(pathToFileURL(join(SCRIPTS, name)).href);

describe('harness: which Chromium the UI tests use', () => {
  let chromium: ChromiumModule;
  let paths: PathsModule;
  before(async () => {
    chromium = await load<ChromiumModule>('chromium.mjs');
    paths = await load<PathsModule>('paths.mjs');
  });

  const machine = (present: string[], facts: Partial<Facts> = {}): Facts => ({
    exists: (file) => present.includes(file),
    isRoot: false,
    hasApt: true,
    platform: 'linux',
    arch: 'x64',
    ...facts,
  });

  it('uses the system Chromium when there is one, root or not, before any npm build', () => {
    for (const isRoot of [true, false]) {
      const plan = chromium.planChromium(machine(['/usr/bin/chromium', paths.CHROMIUM_NPM], { isRoot }));
      assert.deepEqual(plan, { kind: 'use', path: '/usr/bin/chromium', source: 'the system' });
    }
  });

  it('uses the unpacked npm build next, without apt-get even as root', () => {
    const plan = chromium.planChromium(machine([paths.CHROMIUM_NPM], { isRoot: true }));
    assert.equal(plan.kind, 'use');
    assert.equal((plan as { path: string }).path, paths.CHROMIUM_NPM);
  });

  it("installs Debian's package with apt-get only as root on a machine with apt-get", () => {
    assert.deepEqual(chromium.planChromium(machine([], { isRoot: true })), { kind: 'apt' });
    assert.deepEqual(chromium.planChromium(machine([], { isRoot: true, hasApt: false })), { kind: 'npm' });
  });

  it('installs the npm build for a user who is not root (no sudo)', () => {
    assert.deepEqual(chromium.planChromium(machine([], { isRoot: false })), { kind: 'npm' });
  });

  it('says what to install where no npm build exists for the machine', () => {
    const plan = chromium.planChromium(machine([], { platform: 'darwin', arch: 'arm64' }));
    assert.equal(plan.kind, 'none');
    const { message } = plan as { message: string };
    assert.match(message, /darwin arm64/);
    assert.match(message, /apt-get install chromium/);
    assert.match(message, /PLAYBOOK_CHROMIUM=/);
  });

  it('takes PLAYBOOK_CHROMIUM first: a binary, or `npm` for the npm build', () => {
    const own = '/opt/chrome/chrome';
    assert.deepEqual(chromium.planChromium(machine([own, '/usr/bin/chromium'], { override: own })), {
      kind: 'use',
      path: own,
      source: 'PLAYBOOK_CHROMIUM',
    });
    const missing = chromium.planChromium(machine(['/usr/bin/chromium'], { override: own }));
    assert.equal(missing.kind, 'none');
    assert.match((missing as { message: string }).message, /\/opt\/chrome\/chrome, which does not exist/);
    assert.deepEqual(chromium.planChromium(machine(['/usr/bin/chromium'], { override: 'npm', isRoot: true })), { kind: 'npm' });
    assert.equal(
      (chromium.planChromium(machine([paths.CHROMIUM_NPM, '/usr/bin/chromium'], { override: 'npm' })) as { path: string }).path,
      paths.CHROMIUM_NPM,
    );
  });
});

describe('harness: what a run left outside the project', () => {
  let footprint: FootprintModule;
  before(async () => {
    footprint = await load<FootprintModule>('footprint.mjs');
  });

  it('names new entries down to the depth watched, a new folder once, and skips the skipped', () => {
    const root = tempDir('playbook-footprint-');
    mkdirSync(join(root, '.config', 'old'), { recursive: true });
    mkdirSync(join(root, 'project'));
    const options = { depth: 3, skip: [join(root, 'project')] };
    const before = footprint.listEntries(root, options);
    mkdirSync(join(root, '.config', 'code-server', 'deep'), { recursive: true });
    writeFileSync(join(root, '.config', 'old', 'config.yaml'), 'x');
    writeFileSync(join(root, 'project', 'ignored'), 'x');
    mkdirSync(join(root, '.config', 'old', 'a', 'b'), { recursive: true });
    const added = footprint.newEntries(before, footprint.listEntries(root, options));
    assert.deepEqual(added, [
      join(root, '.config', 'code-server'),
      join(root, '.config', 'old', 'a'),
      join(root, '.config', 'old', 'config.yaml'),
    ]);
  });
});
