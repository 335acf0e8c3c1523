// `npm start`, the README's "try it": builds the extension, installs it into a code-server of its own with the
// examples opened, prints the URL for your browser and runs until Ctrl+C.
//   PORT=8080 npm start                 (8080 is the default; the server listens on 127.0.0.1 only)
//   node scripts/start.mjs --check      start on a free port, load the printed URL in headless Chromium, verify
//                                       that the extension is there, stop (part of npm test)
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { installVSCode } from './install-vscode.mjs';
import { freePort, launchBrowser, startCodeServer } from './lib/code-server.mjs';
import { CACHE, extensionPath, ROOT } from './lib/paths.mjs';
import { run } from './lib/run.mjs';
import { createJourneyContext, languageAlias, waitForWorkbench } from '../test/ui/harness.mjs';

/** Kept between starts, so a person's trust decision, layout and open editors last like in a desktop VS Code. */
const START_DIR = path.join(CACHE, 'start');
const EXAMPLES = path.join(ROOT, 'examples');

async function main() {
  const check = process.argv.includes('--check');
  // Plain `npm start` serves the person's own browser; only the check drives a headless Chromium.
  await installVSCode({ browser: check });
  await run('npm', ['run', 'build']);
  const port = check ? await freePort() : await requireFreePort(Number(process.env.PORT || 8080));
  // The extension is installed (linked), not passed as a development payload: it then survives reloads, new
  // windows and URLs typed by hand, the printed URL stays short, and without the smoke-test driver that payloads
  // need, VS Code shows notification toasts as usual.
  const server = await startCodeServer({
    label: 'start-check',
    dir: check ? undefined : START_DIR,
    port,
    trust: true,
    install: [extensionPath()],
    devPayload: false,
  });
  // Slashes stay readable in the query; anything else unusual in the path is escaped.
  const url = `${server.origin}/?folder=${EXAMPLES.split('/').map(encodeURIComponent).join('/')}`;
  if (check) return checkUrl(server, url);
  printWelcome(url);
  return serveUntilInterrupted(server);
}

function requireFreePort(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`port ${port} is in use; choose another with PORT=...`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

function printWelcome(url) {
  console.log(
    [
      '',
      'Incident Playbooks is running in VS Code (code-server). Open this URL in your browser:',
      '',
      `  ${url}`,
      '',
      'The folder opens in Restricted Mode: editing works; to run steps, trust it (Manage in the banner).',
      'After `npm run build` (or with `npm run watch`), run "Developer: Reload Window" to load the new build.',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

/** Resolves with the exit code when Ctrl+C (or a TERM) stops the server, or when the server dies by itself. */
function serveUntilInterrupted(server) {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async () => {
      stopping = true;
      console.log('\nstopping code-server');
      await server.stop();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    server.exited.then((code) => {
      if (stopping) return;
      console.error(`code-server exited (${code}); its log: ${path.join(server.runDir, 'server.log')}`);
      resolve(1);
    });
  });
}

/**
 * What a person does with the printed URL: open it and a playbook, and see the extension's language. The folder
 * opens in Restricted Mode (untrusted), where the extension's language features work too.
 */
async function checkUrl(server, url) {
  const browser = await launchBrowser(server);
  let failure;
  try {
    await browser.page.goto(url);
    await waitForWorkbench(browser.page);
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath(), 'package.json'), 'utf8'));
    const ctx = createJourneyContext({
      page: browser.page,
      workspace: EXAMPLES,
      manifest,
      screenshotsDir: path.join(ROOT, 'test-results', 'start'),
    });
    const [playbook] = ctx.findFiles(/\.playbook\.ya?ml$/);
    await ctx.openFile(playbook);
    await ctx.waitForText('[id="status.editor.mode"]', languageAlias(manifest, 'playbook'));
    await ctx.screenshot('start-check');
  } catch (error) {
    failure = error;
  } finally {
    await browser.close();
    await server.stop({ keep: Boolean(failure) });
  }
  if (failure) console.error(`start --check: FAILED: the printed URL did not show the extension: ${failure.message}`);
  else console.log(`start --check: ok: ${url} shows the examples with the extension installed`);
  return failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`start: ${error.message}`);
    process.exit(1);
  },
);
