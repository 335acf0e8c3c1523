// The incident panel's page: markup only, no data (data arrives as messages and is set as text). No vscode import, so
// the benchmark loads the very same page in a browser.

/** Where the page's resources come from, and the nonce its one script must carry. */
export interface PanelPageOptions {
  /** Origins the styles may come from: the webview's `cspSource`. */
  cspSource: string;
  /** A fresh random value per page (crypto.randomBytes): scripts run only with it. */
  nonce: string;
  styleUri: string;
  scriptUri: string;
}

/** The page, with a CSP that allows nothing but the extension's styles and the nonce's script. */
export function panelPage({ cspSource, nonce, styleUri, scriptUri }: PanelPageOptions): string {
  const csp = `default-src 'none'; style-src ${cspSource}; font-src ${cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}">
<title>Incident</title>
</head>
<body>
<div id="empty" class="empty" role="status"></div>
<header id="header" class="header">
  <div class="title-line"><span id="incident-id" class="incident-id"></span><span id="badge" class="badge" hidden></span></div>
  <div id="incident-title" class="incident-title"></div>
  <div id="facts" class="facts"></div>
  <div id="problems" class="problems"></div>
</header>
<form id="filters" class="filters" role="search" aria-label="Filter the timeline">
  <select id="filter-kind" aria-label="Kind"></select>
  <select id="filter-verdict" aria-label="Result"></select>
  <select id="filter-step" aria-label="Step"></select>
  <input id="filter-text" type="search" placeholder="Filter by text" aria-label="Filter by text">
</form>
<div id="count" class="count" aria-live="polite"></div>
<div id="scroller" class="scroller">
  <div id="list" class="list" role="list" aria-label="Timeline: arrows move, Enter expands, Right arrow reaches the step link"></div>
</div>
<form id="note" class="note" aria-label="Add a note">
  <textarea id="note-text" rows="2" placeholder="Add a note to the incident log" aria-label="Note"></textarea>
  <div class="note-actions"><button type="submit">Add note</button><span class="hint">Ctrl+Enter</span><span id="note-error" class="note-error" role="alert"></span></div>
</form>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
