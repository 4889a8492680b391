/**
 * Terminal renderer: turns the platform-neutral reply into plain text for the `ask` command — lead, quoted steps or
 * passage, then numbered citations (or, for a refusal, the closest SOPs the asker can read) and the suggested next
 * steps. ANSI colour only when the caller says the output is a colour terminal; Markdown emphasis is stripped so the
 * text reads cleanly either way.
 */
import { RELATED_LABEL, type Citation, type Reply } from '../../assistant/reply.js';

export interface TerminalRenderOptions {
  color?: boolean;
  /** Citations shown (the reply may carry more). */
  maxCitations?: number;
}

const ansi = (code: string, on: boolean) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function plain(markdown: string): string {
  return markdown.replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
}

/** One SOP: title › section — source (url). */
function sopLine(c: Citation): string {
  return `${[c.title, c.section].filter(Boolean).join(' › ')} — ${c.source}${c.url ? ` (${c.url})` : ''}`;
}

export function renderReplyForTerminal(reply: Reply, opts: TerminalRenderOptions = {}): string {
  const color = opts.color ?? false;
  const bold = ansi('1', color);
  const dim = ansi('2', color);
  const warn = ansi('33', color);
  const lines: string[] = [];
  lines.push(reply.answered ? bold(plain(reply.lead)) : warn(plain(reply.lead)));
  if (reply.scope.note) lines.push(dim(reply.scope.note));
  if (reply.body) lines.push('', plain(reply.body));
  else if (reply.steps.length) lines.push('', ...reply.steps.map((s, i) => `${i + 1}. ${plain(s)}`));
  const cites = reply.citations.slice(0, opts.maxCitations ?? 3);
  if (cites.length) {
    lines.push('', bold('Sources'));
    cites.forEach((c, i) => lines.push(`  [${i + 1}] ${sopLine(c)}`));
  }
  // A refusal's closest readable SOPs: where to look, not an answer — so names and links only, never passage text.
  if (!reply.answered && reply.related.length) {
    lines.push('', bold(RELATED_LABEL));
    for (const c of reply.related) lines.push(`  • ${sopLine(c)}`);
  }
  if (reply.actions.length) {
    lines.push('', bold('Next steps'));
    for (const a of reply.actions) lines.push(`  • ${a.label}${a.url ? ` — ${a.url}` : ''}`);
  }
  lines.push(
    dim(
      `confidence ${reply.confidence.toFixed(2)} · ${Math.round(reply.latencyMs)} ms · answer ${reply.auditId}`,
    ),
  );
  return lines.join('\n');
}
