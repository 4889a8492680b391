/**
 * Reply → HTML for the local web chat, and the page itself. Server-rendered so the browser script only inserts
 * fragments; all text is escaped here.
 */
import { RELATED_LABEL, type Citation, type Reply } from '../../assistant/reply.js';
import { escapeHtml, markdownToHtml } from './markdown.js';

export interface WebPerson {
  id: string;
  name: string;
  roles: string[];
  principals: string[];
  /** Job title shown in the picker. */
  title?: string;
}

/** One SOP in a list (a citation or a refusal's closest SOP): title › section, linked when it has a url. */
function sopItem(c: Citation, cls: string): string {
  const label = `${escapeHtml(c.title)}${c.section ? ` › ${escapeHtml(c.section)}` : ''}`;
  const link = c.url ? `<a href="${escapeHtml(c.url)}" rel="noopener" target="_blank">${label}</a>` : label;
  // A link already leads to the document; without one, the file name is how the reader finds it.
  const where = c.url ? '' : ` <span class="source">${escapeHtml(c.source)}</span>`;
  return `<li class="${cls}" data-source="${escapeHtml(c.source)}">${link}${where}</li>`;
}

export function renderReplyHtml(reply: Reply, opts: { lowConfidenceBelow?: number } = {}): string {
  const parts: string[] = [];
  const cls = reply.answered ? 'answer' : 'answer refused';
  parts.push(`<article class="${cls}" data-audit-id="${escapeHtml(reply.auditId)}" data-answered="${reply.answered}">`);
  parts.push(`<p class="lead">${markdownToHtml(reply.lead).replace(/^<p>|<\/p>$/g, '')}</p>`);
  if (reply.scope.note) parts.push(`<p class="scope">${escapeHtml(reply.scope.note)}</p>`);
  const body = reply.body || reply.steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
  if (body) parts.push(`<div class="body">${markdownToHtml(body)}</div>`);
  if (reply.answered && reply.confidence < (opts.lowConfidenceBelow ?? 0.6)) {
    parts.push('<p class="hint" role="note">Low confidence — please check the cited SOP before acting on this.</p>');
  }
  if (reply.citations.length) {
    parts.push('<section class="citations" aria-label="Sources"><h3>Sources</h3><ol>');
    for (const c of reply.citations) parts.push(sopItem(c, 'citation'));
    parts.push('</ol></section>');
  }
  // A refusal's closest readable SOPs: names and links only (never passage text), labelled as not an answer.
  if (!reply.answered && reply.related.length) {
    parts.push(`<section class="related" aria-label="${RELATED_LABEL}"><h3>${RELATED_LABEL}</h3><ul>`);
    for (const c of reply.related) parts.push(sopItem(c, 'related-sop'));
    parts.push('</ul></section>');
  }
  if (!reply.answered) {
    const help = reply.actions.map((a) => escapeHtml(a.label)).join(' · ');
    if (help) parts.push(`<p class="next">${help}</p>`);
  }
  parts.push(
    `<div class="feedback" role="group" aria-label="Was this helpful?">` +
      `<button type="button" class="fb" data-helpful="true" aria-label="Helpful">👍 Helpful</button>` +
      `<button type="button" class="fb" data-helpful="false" aria-label="Not helpful">👎 Not helpful</button>` +
      `<span class="fb-status" aria-live="polite"></span></div>`,
  );
  parts.push('</article>');
  return parts.join('\n');
}

export function renderPage(opts: { people: WebPerson[]; title?: string }): string {
  const title = escapeHtml(opts.title ?? 'SOP Assistant');
  const options = opts.people
    .map((p) => {
      const roles = p.roles.join(', ');
      const label = `${p.name}${p.title ? ` — ${p.title}` : ''}${roles ? ` (${roles})` : ''}`;
      return `<option value="${escapeHtml(p.id)}">${escapeHtml(label)}</option>`;
    })
    .join('\n          ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="/static/chat.css">
  <script src="/static/chat.js" defer></script>
</head>
<body>
  <header class="top">
    <h1>${title}</h1>
    <p class="tagline">Cited answers from the SOPs your role may read.</p>
  </header>
  <main class="chat">
    <form id="who" class="who" aria-label="Who is asking">
      <label for="person">Ask as</label>
      <select id="person" name="person">
          ${options}
      </select>
      <button type="button" id="new-conversation" class="secondary">New conversation</button>
    </form>
    <section id="log" class="log" role="log" aria-live="polite" aria-label="Conversation">
      <p class="empty">Pick a person, then ask how to do something in Odoo — e.g. “How do I receive a partial delivery?”</p>
    </section>
    <form id="ask" class="ask" aria-label="Ask a question">
      <label for="question" class="visually-hidden">Your question</label>
      <textarea id="question" name="question" rows="2" maxlength="2000" required placeholder="Ask about a workflow…"></textarea>
      <button type="submit" id="send">Ask</button>
    </form>
  </main>
</body>
</html>
`;
}
