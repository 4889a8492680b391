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
