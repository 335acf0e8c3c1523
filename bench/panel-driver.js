// Runs inside the benchmark's page, before the panel's own script (addInitScript, so the page's CSP does not apply):
// stubs acquireVsCodeApi as VS Code's webview host would, and measures the panel as the webview receives messages.
// Plain browser JavaScript: bench/panel.ts drives it through window.panelBench.
(() => {
  const posted = [];
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => posted.push(m), getState: () => state, setState: (s) => (state = s) });

  const send = (data) => window.dispatchEvent(new MessageEvent('message', { data: typeof data === 'string' ? JSON.parse(data) : data }));
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  window.panelBench = {
    rows: [],
    header: undefined,
    ready: () => posted.some((m) => m.type === 'ready'),

    addRows(chunk) {
      for (const row of chunk) this.rows.push(row);
    },

    /** What the extension sends to load every row: `chunked` as the panel does, or one message. */
    messages(load, chunked, first, size) {
      const list = [{ type: 'load', load, incident: { header: this.header, problems: [] }, total: this.rows.length }];
      for (let start = 0, n = chunked ? first : this.rows.length; start < this.rows.length; start += n, n = chunked ? size : n) {
        list.push({ type: 'rows', load, rows: this.rows.slice(start, start + n) });
      }
      return list;
    },

    /**
     * Delivers a load, one message a task as a webview receives them, and resolves with the times until the first rows
     * are in the DOM (checked after each message), until the count shows every row and a frame was drawn, and the row
     * elements in the DOM.
     */
    async deliver(load, chunked, first, size) {
      // A webview receives each message as a copy to decode: hold them as JSON and decode on delivery, so one huge
      // message pays its decoding before anything can be drawn, as it would in VS Code.
      const messages = this.messages(load, chunked, first, size).map((m) => JSON.stringify(m));
      const list = document.getElementById('list');
      const count = document.getElementById('count');
      const expected = `${this.rows.length.toLocaleString()} events`;
      const started = performance.now();
      let firstRows = 0;
      for (const data of messages) {
        send(data);
        if (!firstRows && list.querySelector('.row')) firstRows = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      while (count.textContent !== expected || !list.querySelector('.row')) await nextFrame();
      await nextFrame();
      if (!firstRows) firstRows = performance.now() - started;
      return { first: firstRows, all: performance.now() - started, elements: list.querySelectorAll('.row').length };
    },

    /** The naive peer: one element per row, every row in the DOM, text set as text, then layout. */
    naive() {
      const container = document.createElement('div');
      const started = performance.now();
      for (const row of this.rows) {
        const element = document.createElement('div');
        for (const text of [row.at ?? '', row.kind, row.step ?? '', row.verdict ?? '', row.summary]) {
          const span = document.createElement('span');
          span.textContent = text;
          element.append(span);
        }
        container.append(element);
      }
      document.getElementById('scroller').append(container);
      void container.offsetHeight;
      const elapsed = performance.now() - started;
      const elements = container.childElementCount;
      container.remove();
      return { first: elapsed, elements };
    },

    /** Scrolls to the end (a responder following the incident), then times an `appended` row until it is drawn. */
    async append(load, row) {
      const scroller = document.getElementById('scroller');
      scroller.scrollTop = scroller.scrollHeight;
      await nextFrame();
      const started = performance.now();
      send({ type: 'appended', load, rows: [row] });
      while (!document.querySelector(`.row[data-id="${row.id}"]`)) await nextFrame();
      return performance.now() - started;
    },
  };
})();
