// What a UI journey gets: the workbench page plus helpers that act as a person would (Quick Open, the command
// palette, the activity bar) and wait on what the screen shows, never on a fixed delay.
import fs from 'node:fs';
import path from 'node:path';

/** Playwright's per-action wait; a real workbench on 2 cores answers well within it. */
export const ACTION_TIMEOUT_MS = 20_000;

/**
 * @typedef {object} JourneyContext
 * @property {import('playwright-core').Page} page
 * @property {string} workspace                      absolute path of this journey's workspace copy
 * @property {Record<string, any>} manifest          the extension's package.json
 * @property {(name: string) => Promise<string>} screenshot   saves docs/screenshots/<name>.png, returns the path
 * @property {(relPath: string) => Promise<void>} openFile    via Quick Open; resolves when its editor is active
 * @property {(selector: string, text: string, options?: {timeout?: number}) => Promise<void>} waitForText
 * @property {(title: string) => Promise<void>} runCommand    via the command palette, by its exact title; resolves when
 *           the palette has closed or the command asks its first question in it
 * @property {(containerId: string) => Promise<boolean>} openViewContainer  activity-bar container by id; false if absent
 * @property {(viewId: string, options?: {content?: string}) => Promise<import('playwright-core').Locator>} waitForView
 *           a view's body, once it shows `content` (default: tree rows) and its progress bar has stopped
 * @property {(text: string) => Promise<import('playwright-core').Locator>} waitForNotification  the notification
 *           with that text, in the notification center (the test workbench shows no toasts)
 * @property {(pattern: RegExp) => string[]} findFiles        workspace-relative paths whose name matches
 * @property {(title: string, label: string | RegExp) => Promise<void>} pickQuickItem   in the quick pick titled
 *           `title` that an extension opened, clicks the row showing `label`; resolves when that question is gone
 * @property {(title: string, text: string, options?: {ready?: string | RegExp}) => Promise<void>} answerInputBox
 *           types `text` into the input box titled `title` and presses Enter, once the box's message shows `ready`
 *           (its prompt: the extension has validated the text); resolves when that question is gone
 * @property {(line: number, column?: number) => Promise<void>} goToLine   via Go to Line (Ctrl+G); resolves when the
 *           status bar shows the cursor there
 * @property {(line: number) => Promise<EditorLine>} editorLine   the active editor's rendered line (must be on screen)
 * @property {() => Promise<{errors: number, warnings: number}>} problemCounts   as the status bar shows them
 * @property {<T>(check: () => Promise<T>, what: string, options?: {timeout?: number}) => Promise<T>} waitUntil
 *           retries `check` (which reads the screen) until it returns something truthy; fails naming `what`
 * @property {(message: string) => void} log
 */

/**
 * @param {{page: import('playwright-core').Page, workspace: string, manifest: Record<string, any>,
 *          screenshotsDir: string, log?: (message: string) => void}} options
 * @returns {JourneyContext}
 */
export function createJourneyContext({ page, workspace, manifest, screenshotsDir, log = console.log }) {
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return {
    page,
    workspace,
    manifest,
    log,
    screenshot: (name) => screenshot(page, screenshotsDir, name),
    openFile: (relPath) => openFile(page, relPath),
    waitForText: (selector, text, options) => waitForText(page, selector, text, options),
    runCommand: (title) => runCommand(page, title),
    openViewContainer: (containerId) => openViewContainer(page, manifest, containerId),
    waitForView: (viewId, options) => waitForView(page, manifest, viewId, options),
    waitForNotification: (text) => waitForNotification(page, text),
    findFiles: (pattern) => findFiles(workspace, pattern),
    pickQuickItem: (title, label) => pickQuickItem(page, title, label),
    answerInputBox: (title, text, options) => answerInputBox(page, title, text, options),
    goToLine: (line, column) => goToLine(page, line, column),
    editorLine: (line) => editorLine(page, line),
    problemCounts: () => problemCounts(page),
    waitUntil: (check, what, options) => waitUntil(check, what, options),
  };
}

/** Resolves once the workbench has laid out its activity bar and editor area. */
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible' });
}

async function screenshot(page, dir, name) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/\.png$/, '')}.png`);
  await page.screenshot({ path: file });
  return file;
}

async function waitForText(page, selector, text, { timeout = ACTION_TIMEOUT_MS } = {}) {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}

/** Opens the quick input with a keyboard shortcut and types into it: how a person reaches files and commands. */
async function quickInput(page, shortcut, text) {
  const widget = page.locator('.quick-input-widget');
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press(shortcut);
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input').fill(text);
  return widget;
}

async function openFile(page, relPath) {
  const name = path.basename(relPath);
  const widget = await quickInput(page, 'Control+P', relPath);
  // Results arrive after the file search; pick the row whose path matches, not whatever is first.
  const row = widget.locator('.monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor({ state: 'visible' });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

async function runCommand(page, title) {
  const widget = await quickInput(page, 'Control+Shift+P', `>${title}`);
  const row = widget
    .locator('.monaco-list-row')
    .filter({ has: page.getByText(title, { exact: true }) })
    .first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  // Done when the palette is gone, or when the command asks its first question in the same widget.
  await page.waitForFunction(() => {
    const widget = document.querySelector('.quick-input-widget');
    const input = widget?.querySelector('input');
    return !widget || widget.offsetParent === null || !input?.value.startsWith('>');
  });
}

/** The quick input while it asks the question titled `title` (a quick pick or input box of an extension). */
async function quickInputTitled(page, title) {
  const widget = page.locator('.quick-input-widget');
  const heading = widget.locator('.quick-input-title').filter({ hasText: title });
  await heading.waitFor({ state: 'visible' });
  return { widget, heading };
}

async function pickQuickItem(page, title, label) {
  const { widget, heading } = await quickInputTitled(page, title);
  const row = widget.locator('.monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  // The next question may reuse the widget: done when this title is gone, not when the widget hides.
  await heading.waitFor({ state: 'hidden' });
}

async function answerInputBox(page, title, text, { ready } = {}) {
  const { widget, heading } = await quickInputTitled(page, title);
  await widget.locator('.quick-input-box input').fill(text);
  if (ready) await widget.locator('.quick-input-message').filter({ hasText: ready }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await heading.waitFor({ state: 'hidden' });
}

/**
 * Clicks an activity-bar view container of the extension. The DOM carries the container's title, not its id, so the
 * title comes from the manifest. Returns false when the extension does not contribute that container.
 */
async function openViewContainer(page, manifest, containerId) {
  const container = manifest.contributes?.viewsContainers?.activitybar?.find((c) => c.id === containerId);
  if (!container) return false;
  const label = page.locator(`.action-label[aria-label^="${container.title}"]`);
  const item = page.locator('.part.activitybar .action-item').filter({ has: label }).first();
  await item.waitFor({ state: 'visible' });
  // Clicking the item of the container already open would close the side bar.
  if (!(await item.getAttribute('class'))?.split(' ').includes('checked')) await item.click();
  const title = page.locator('.part.sidebar .composite.title').filter({ hasText: container.title });
  await title.waitFor({ state: 'visible' });
  return true;
}

/**
 * A view's body, found by the view's name from the manifest (its header is hidden when it is alone in its
 * container). Pass `content: '.welcome-view-content'` to wait for a view's empty state instead of its rows.
 */
async function waitForView(page, manifest, viewId, { content = '.monaco-list-row' } = {}) {
  const views = Object.values(manifest.contributes?.views ?? {}).flat();
  const name = views.find((view) => view.id === viewId)?.name ?? viewId;
  const pane = page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator(`.pane-header[aria-label^="${name}"]`) })
    .first();
  const body = pane.locator('.pane-body');
  await body.locator(content).first().waitFor({ state: 'visible' });
  // A view still loading shows its progress bar; a screenshot now would show a half-built view.
  await pane.locator('.monaco-progress-container.active').waitFor({ state: 'hidden' });
  return body;
}

/**
 * With the smoke-test driver on (needed for the development payload) VS Code never shows notification toasts; the
 * notifications still reach the notification center, so open it, as a person clicking the bell would.
 */
async function waitForNotification(page, text) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
  const item = center.locator('.notification-list-item').filter({ hasText: text }).first();
  await item.waitFor({ state: 'visible' });
  return item;
}

/** The name VS Code shows for a contributed language (status bar, language picker): its first alias. */
export function languageAlias(manifest, id) {
  const language = manifest.contributes?.languages?.find((candidate) => candidate.id === id);
  return language?.aliases?.[0] ?? id;
}

/** Moves the cursor of the active editor as a person would: Ctrl+G, `line:column`, Enter. */
async function goToLine(page, line, column) {
  const widget = await quickInput(page, 'Control+G', `:${line}${column ? `:${column}` : ''}`);
  // "Press 'Enter' to go to line 134 at column 13." once the picker has read the input.
  const target = new RegExp(`\\b${line}\\b${column ? `\\D+\\b${column}\\b` : ''}`);
  await widget.locator('.quick-input-message, .monaco-list-row').filter({ hasText: target }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await waitForText(page, '[id="status.editor.selection"]', `Ln ${line}, Col ${column ?? 1}`);
}

/**
 * @typedef {object} EditorLine
 * @property {string} text                        the line as rendered
 * @property {{x: number, y: number, width: number, height: number}} box   its place on the page
 * @property {{text: string, color: string, box: {x: number, y: number, width: number, height: number}}[]} tokens
 *           the rendered spans with their computed colour, in order
 */

/**
 * One line of the active editor as the screen shows it, found through its line number in the gutter (the editor
 * renders only the lines on screen, absolutely positioned, without their numbers). Throws when it is not rendered.
 * @returns {Promise<EditorLine>}
 */
async function editorLine(page, line) {
  const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  await editor.waitFor({ state: 'visible' });
  const found = await editor.evaluate((root, wanted) => {
    const number = [...root.querySelectorAll('.margin-view-overlays .line-numbers')].find(
      (element) => element.textContent.trim() === String(wanted),
    );
    if (!number) return undefined;
    const top = number.closest('.margin-view-overlays > div').style.top;
    const view = [...root.querySelectorAll('.view-lines .view-line')].find((element) => element.style.top === top);
    if (!view) return undefined;
    const box = (element) => {
      const r = element.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const tokens = [...view.querySelectorAll(':scope > span > span')].map((span) => ({
      text: span.textContent.replace(/\u00a0/g, ' '),
      color: getComputedStyle(span).color,
      box: box(span),
    }));
    return { text: view.textContent.replace(/\u00a0/g, ' '), box: box(view), tokens };
  }, line);
  if (!found) throw new Error(`line ${line} is not on screen in the active editor`);
  return found;
}

/** The error and warning counts of the status bar's Problems item (`(x) 2 (!) 0`). */
async function problemCounts(page) {
  const item = page.locator('[id="status.problems"]');
  await item.waitFor({ state: 'visible' });
  const [errors, warnings] = ((await item.innerText()).match(/\d+/g) ?? []).map(Number);
  if (errors === undefined || warnings === undefined) throw new Error(`unexpected Problems item: ${await item.innerText()}`);
  return { errors, warnings };
}

/**
 * For what no selector expresses (colours, positions, counts): re-reads the screen until `check` returns something
 * truthy, then returns it. A deadline, not a delay: it fails with `what` and the last reading or error.
 */
async function waitUntil(check, what, { timeout = ACTION_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const result = await check();
      if (result) return result;
      last = result;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting until ${what} (last: ${last?.message ?? last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function findFiles(workspace, pattern) {
  return fs
    .readdirSync(workspace, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.split(path.sep).includes('node_modules') && pattern.test(path.basename(file)))
    .sort();
}

/** Expands a tree row by its twistie (clicking the row would also run its command); resolves once it is expanded. */
export async function expandRow(row) {
  await row.waitFor({ state: 'visible' });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await row.and(row.page().locator('[aria-expanded="true"]')).waitFor({ state: 'visible' });
}

/**
 * Collapses every row of a tree view by its Collapse All action. The container holds two views (Steps, Incident), so
 * each view's actions sit in its own header, shown on hover.
 */
export async function collapseTree(page, viewName, rows) {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${viewName}"]`);
  await header.hover();
  await header.locator('.action-label[aria-label^="Collapse All"]').click();
  await waitUntil(
    () => rows.evaluateAll((all) => all.every((row) => row.getAttribute('aria-level') === '1')),
    `the ${viewName} tree shows only collapsed rows`,
  );
}
