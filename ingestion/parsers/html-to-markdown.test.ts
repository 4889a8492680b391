import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from './html-to-markdown.js';

describe('htmlToMarkdown', () => {
  it('keeps the page content and its h1, and drops page furniture', () => {
    const html = `<!doctype html><html><head><title>Receipts SOP</title><style>p{color:red}</style>
      <script>track()</script></head><body>
      <nav><a href="/">Home</a> › <a href="/sops">SOPs</a></nav>
      <header><h1>Receiving <b>goods</b></h1></header>
      <main>
        <p>Use this when a delivery   arrives.<br>Check the packing slip.</p>
        <h2>Steps</h2>
        <ol start="3"><li>Open the <strong>receipt</strong>.</li><li>Enter quantities:
          <ul><li>damaged items separately</li></ul></li></ol>
        <h3>Quantities</h3>
        <table><thead><tr><th>Item</th><th>Unit</th></tr></thead>
          <tbody><tr><td>Gloves | nitrile</td><td>Box</td></tr><tr><td>Syringe</td><td>Each</td></tr></tbody></table>
        <pre>WH/IN/00042</pre>
      </main>
      <footer>© Hospital</footer></body></html>`;
    const { htmlTitle, markdown } = htmlToMarkdown(html);
    expect(htmlTitle).toBe('Receipts SOP');
    expect(markdown).toBe(
      [
        '# Receiving goods',
        'Use this when a delivery arrives.\nCheck the packing slip.',
        '## Steps',
        '3. Open the **receipt**.\n4. Enter quantities:\n   - damaged items separately',
        '### Quantities',
        '| Item | Unit |\n| --- | --- |\n| Gloves \\| nitrile | Box |\n| Syringe | Each |',
        '```\nWH/IN/00042\n```',
      ].join('\n\n'),
    );
  });

  it('reads the whole body when there is no main element, with the header h1', () => {
    const { markdown } = htmlToMarkdown(
      '<body><header><h1 class="title">Shift swaps</h1></header><p>Ask the <em>planner</em>.</p><dl><dt>Swap</dt><dd>An exchange of shifts.</dd></dl></body>',
    );
    expect(markdown).toBe('# Shift swaps\n\nAsk the planner.\n\n**Swap**\n\nAn exchange of shifts.');
  });
});
