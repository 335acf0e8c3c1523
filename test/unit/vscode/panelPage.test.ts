import * as assert from 'node:assert/strict';
import { panelPage } from '../../../src/vscode/panel/panelPage';

const page = panelPage({
  cspSource: 'https://webview.test',
  nonce: 'N0nce+/=',
  styleUri: 'https://webview.test/panel.css',
  scriptUri: 'https://webview.test/panel.js',
});

describe('incident panel page', () => {
  it('allows nothing by default, styles from the extension only and scripts only with the nonce', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1];
    assert.equal(csp, "default-src 'none'; style-src https://webview.test; font-src https://webview.test; script-src 'nonce-N0nce+/=';");
  });

  it('has one script, carrying the nonce, and no inline script, style or handler', () => {
    assert.deepEqual(page.match(/<script[^>]*>/g), ['<script nonce="N0nce+/=" src="https://webview.test/panel.js">']);
    assert.doesNotMatch(page, /<style|\sstyle=|\son[a-z]+=/i);
  });
});
