import { describe, expect, it } from 'vitest';
import type { Reply } from '../../assistant/reply.js';
import { markdownToMrkdwn, splitText } from './mrkdwn.js';
import { ACTION_IDS, SLACK_LIMITS, decodeButtonValue, renderReply } from './render.js';

const reply = (over: Partial<Reply> = {}): Reply => ({
  question: 'How do I receive a partial delivery?',
  answered: true,
  lead: 'From **Receiving deliveries** › Partial receipts',
  body: '1. Open the receipt.\n2. Validate.',
  steps: [],
  citations: [{ source: 'Inventory/receipts.md', title: 'Receiving | deliveries', section: 'Partial', url: 'https://odoo.example/d/1' }],
  related: [],
  confidence: 0.9,
  actions: [],
  scope: { kind: 'personal' },
  auditId: 'a-1',
  latencyMs: 5,
  ...over,
});

type AnyBlock = { type: string; text?: { text: string }; elements?: { text?: string; value?: string; action_id?: string }[] };

describe('Slack render', () => {
  it('renders lead, body, citation links and feedback buttons', () => {
    const msg = renderReply(reply());
    const blocks = msg.blocks as AnyBlock[];
    expect(blocks[0]?.text?.text).toBe('*From *Receiving deliveries* › Partial receipts*');
    const sources = blocks.find((b) => b.type === 'context' && b.elements?.[0]?.text?.startsWith('*Sources:*'));
    expect(sources?.elements?.[0]?.text).toContain('<https://odoo.example/d/1|[1] Receiving ¦ deliveries › Partial>');
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements?.map((e) => e.action_id)).toEqual([ACTION_IDS.helpful, ACTION_IDS.notHelpful, ACTION_IDS.escalate]);
    expect(decodeButtonValue(actions.elements?.[0]?.value)).toEqual({ auditId: 'a-1', question: 'How do I receive a partial delivery?' });
  });

  it('keeps a 20,000-character answer within Slack limits and links to the SOP', () => {
    const long = Array.from({ length: 400 }, (_, i) => `Step ${i}: do the thing carefully & check <values>.`).join('\n');
    const msg = renderReply(reply({ body: long, question: 'q'.repeat(5000) }));
    const blocks = msg.blocks as AnyBlock[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    for (const b of blocks) for (const e of b.elements ?? []) if (e.value) expect(e.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(JSON.stringify(blocks)).toContain('<https://odoo.example/d/1|Read the full SOP>');
    expect(JSON.stringify(blocks)).toContain('&amp; check &lt;values&gt;');
  });

  it('adds a low-confidence hint and omits feedback on refusals', () => {
    const low = renderReply(reply({ confidence: 0.3 }));
    expect(JSON.stringify(low.blocks)).toContain('Low confidence');
    const refused = renderReply(reply({ answered: false, lead: 'Not covered by your SOPs.', body: '', citations: [] }));
    const actions = (refused.blocks as AnyBlock[]).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([ACTION_IDS.escalate]);
  });

  it('shows a refusal\'s closest readable SOPs as a labelled, escaped context line and no passage text', () => {
    const msg = renderReply(
      reply({
        answered: false,
        lead: "I couldn't find this in the SOPs you can read. The closest SOPs you can read are listed below.",
        body: '',
        citations: [],
        related: [
          { source: 'Inventory/a&b.md', title: 'Returns <urgent>', section: 'Credit | notes', url: null },
          { source: 'odoo:documents.document/7', title: 'Receipts', section: '', url: 'https://odoo.example/d/7' },
        ],
      }),
    );
    const blocks = msg.blocks as AnyBlock[];
    const related = blocks.find((b) => b.type === 'context' && b.elements?.[0]?.text?.startsWith('*Closest SOPs you can read:*'));
    expect(related?.elements?.[0]?.text).toBe(
      '*Closest SOPs you can read:* Returns &lt;urgent&gt; › Credit ¦ notes (Inventory/a&amp;b.md) · <https://odoo.example/d/7|Receipts>',
    );
    expect(blocks.some((b) => b.text?.text.includes('Open the receipt'))).toBe(false);
    expect(JSON.stringify(blocks)).not.toContain('*Sources:*');
    expect(msg.text).not.toContain('Open the receipt');
    // An answer never shows the list, even if a caller filled it.
    const answered = renderReply(reply({ related: [{ source: 'x.md', title: 'X', section: '', url: null }] }));
    expect(JSON.stringify(answered.blocks)).not.toContain('Closest SOPs');
  });

  it('converts Markdown to mrkdwn and splits on boundaries', () => {
    expect(markdownToMrkdwn('## Title\n**bold** [link](https://x.example/a)')).toBe('*Title*\n*bold* <https://x.example/a|link>');
    const parts = splitText(`${'a'.repeat(10)}\n\n${'b'.repeat(10)}`, 15);
    expect(parts).toEqual(['a'.repeat(10), 'b'.repeat(10)]);
  });
});
