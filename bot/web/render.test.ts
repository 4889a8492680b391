import { describe, expect, it } from 'vitest';
import type { Reply } from '../../assistant/reply.js';
import { markdownToHtml } from './markdown.js';
import { renderPage, renderReplyHtml } from './render.js';

const reply: Reply = {
  question: 'q',
  answered: true,
  lead: 'From **Receipts** <script>alert(1)</script>',
  body: '1. Open <b>it</b>\n2. Click [docs](https://x.example/a) and `Validate`\n\nDone & dusted.',
  steps: [],
  citations: [
    { source: 'Inventory/receipts.md', title: 'Receipts "A"', section: 'Partial', url: null },
    { source: 'odoo:documents.document/7', title: 'Returns', section: '', url: 'https://odoo.example/odoo/documents.document/7' },
  ],
  related: [],
  confidence: 0.4,
  actions: [],
  scope: { kind: 'shared-channel', note: 'Limited <scope>' },
  auditId: 'a"1',
  latencyMs: 1,
};

describe('web render', () => {
  it('escapes everything from the SOPs and renders lists, links and code', () => {
    const html = renderReplyHtml(reply);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<ol>\n<li>Open &lt;b&gt;it&lt;/b&gt;</li>');
    expect(html).toContain('<a href="https://x.example/a" rel="noopener" target="_blank">docs</a>');
    expect(html).toContain('<code>Validate</code>');
    expect(html).toContain('data-audit-id="a&quot;1"');
    expect(html).toContain('Limited &lt;scope&gt;');
    expect(html).toContain('Low confidence');
  });

  it('names the file for citations without a link, and links the others', () => {
    const html = renderReplyHtml(reply);
    expect(html).toContain('Receipts &quot;A&quot; › Partial <span class="source">Inventory/receipts.md</span>');
    expect(html).toContain('<a href="https://odoo.example/odoo/documents.document/7" rel="noopener" target="_blank">Returns</a></li>');
  });

  it('lists a refusal\'s closest readable SOPs in a labelled, escaped section without passage text', () => {
    const html = renderReplyHtml({
      ...reply,
      answered: false,
      lead: "I couldn't find this in the SOPs you can read. The closest SOPs you can read are listed below.",
      body: '',
      citations: [],
      related: [
        { source: 'Inventory/<x>.md', title: 'Returns <b>"A"</b>', section: 'Credit & notes', url: null },
        { source: 'odoo:documents.document/7', title: 'Receipts', section: '', url: 'https://odoo.example/odoo/documents.document/7?a=1&b=2' },
      ],
      actions: [{ kind: 'ask-super-user', label: 'Ask a super user' }],
    });
    expect(html).toContain('<section class="related" aria-label="Closest SOPs you can read"><h3>Closest SOPs you can read</h3><ul>');
    expect(html).toContain(
      '<li class="related-sop" data-source="Inventory/&lt;x&gt;.md">Returns &lt;b&gt;&quot;A&quot;&lt;/b&gt; › Credit &amp; notes <span class="source">Inventory/&lt;x&gt;.md</span></li>',
    );
    expect(html).toContain('<a href="https://odoo.example/odoo/documents.document/7?a=1&amp;b=2" rel="noopener" target="_blank">Receipts</a></li>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('class="body"');
    expect(html).not.toContain('Open &lt;b&gt;it');
    expect(html).not.toContain('class="citations"');
    expect(html.indexOf('class="related"')).toBeLessThan(html.indexOf('class="next"'));
  });

  it('does not turn javascript: links into anchors', () => {
    expect(markdownToHtml('[x](javascript:alert(1))')).not.toContain('<a');
  });

  it('renders an accessible page', () => {
    const page = renderPage({ people: [{ id: 'p1', name: 'Pat', roles: ['ap-clerk'], principals: [] }] });
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<label for="person">Ask as</label>');
    expect(page).toContain('role="log"');
    expect(page).toContain('<option value="p1">Pat (ap-clerk)</option>');
  });
});
