import { describe, expect, it } from 'vitest';
import type { Reply } from '../../assistant/reply.js';
import { toCardLine, toCardParagraphs } from './markdown.js';
import { CardSubmit, CardTooLargeError, TEAMS_LIMITS, assertCardFits, cardBytes, renderReply, renderReplyCard, type AdaptiveCard } from './render.js';

const reply = (over: Partial<Reply> = {}): Reply => ({
  question: 'How do I receive a partial delivery?',
  answered: true,
  lead: 'From **Receiving deliveries** › Partial receipts',
  body: '1. Open the receipt.\n2. Validate.',
  steps: [],
  citations: [
    { source: 'Inventory/receipts.md', title: 'Receiving [deliveries]', section: 'Partial', url: 'https://odoo.example/d/1' },
    { source: 'Inventory/backorders.md', title: 'Backorders', section: '', url: null },
  ],
  related: [],
  confidence: 0.9,
  actions: [],
  scope: { kind: 'personal' },
  auditId: 'a-1',
  latencyMs: 5,
  ...over,
});

const texts = (card: AdaptiveCard) => card.body.map((b) => String(b['text'] ?? ''));

describe('Teams render', () => {
  it('renders lead, steps as a card list, sources with links, OpenUrl and Submit actions', () => {
    const card = renderReplyCard(reply());
    expect(texts(card)[0]).toBe('From **Receiving deliveries** › Partial receipts');
    expect(texts(card)).toContain('1. Open the receipt.\r2. Validate.');
    const sources = texts(card)[texts(card).indexOf('Sources') + 1];
    expect(sources).toBe('1. [Receiving (deliveries) › Partial](https://odoo.example/d/1)\r2. Backorders (Inventory/backorders.md)');
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl', 'Action.Submit', 'Action.Submit', 'Action.ShowCard']);
    const submits = card.actions!.filter((a) => a.type === 'Action.Submit').map((a) => CardSubmit.parse(a['data']));
    expect(submits).toEqual([
      { action: 'sop-feedback', auditId: 'a-1', helpful: true },
      { action: 'sop-feedback', auditId: 'a-1', helpful: false },
    ]);
    const message = renderReply(reply());
    expect(message.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(message.channelData).toEqual({ feedbackLoopEnabled: true });
  });

  it('adds the scope note and a low-confidence hint; a refusal has no feedback buttons', () => {
    const low = renderReplyCard(reply({ confidence: 0.3, scope: { kind: 'shared-channel', note: 'Answer limited to SOPs every member may read.' } }));
    expect(texts(low).join('\n')).toContain('Low confidence');
    expect(texts(low).join('\n')).toContain('every member may read');
    const refused = renderReplyCard(reply({ answered: false, lead: 'Not covered by your SOPs.', body: '', citations: [] }));
    expect(refused.actions?.map((a) => a.type)).toEqual(['Action.ShowCard']);
    expect(texts(refused)).not.toContain('Sources');
  });

  it('shows a refusal\'s closest readable SOPs as a labelled list with OpenUrl buttons and no passage text', () => {
    const card = renderReplyCard(
      reply({
        answered: false,
        lead: "I couldn't find this in the SOPs you can read. The closest SOPs you can read are listed below.",
        body: '',
        citations: [],
        related: [
          { source: 'Inventory/returns.md', title: 'Returns [ward]', section: 'Credit notes', url: null },
          { source: 'odoo:documents.document/7', title: 'Receipts', section: '', url: 'https://odoo.example/d/7' },
        ],
      }),
    );
    const list = texts(card)[texts(card).indexOf('Closest SOPs you can read') + 1];
    expect(list).toBe('- Returns (ward) › Credit notes (Inventory/returns.md)\r- [Receipts](https://odoo.example/d/7)');
    expect(texts(card)).not.toContain('Sources');
    expect(texts(card).join('\n')).not.toContain('Open the receipt');
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl', 'Action.ShowCard']);
    expect(card.actions?.[0]).toMatchObject({ title: 'Open: Receipts', url: 'https://odoo.example/d/7' });
    const many = Array.from({ length: 3 }, (_, i) => ({ source: `odoo:documents.document/${i}`, title: `T${i}`, section: '', url: `https://odoo.example/d/${i}` }));
    const capped = renderReplyCard(reply({ answered: false, body: '', citations: [], related: many }));
    expect(capped.actions?.filter((a) => a.type === 'Action.OpenUrl')).toHaveLength(TEAMS_LIMITS.openUrlActions);
  });

  it('keeps a huge answer under the 28 KB card limit and links to the SOP', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `Step ${i}: do the thing carefully — ünïcödé ✓.`).join('\n\n');
    const card = renderReplyCard(reply({ body: long, question: 'q'.repeat(5000), lead: 'L'.repeat(10_000) }));
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(JSON.stringify(card)).toContain('[Read the full SOP](https://odoo.example/d/1)');
    const manyCitations = Array.from({ length: 50 }, (_, i) => ({ source: `S/${i}.md`, title: 'T'.repeat(3000), section: 'x', url: null }));
    expect(cardBytes(renderReplyCard(reply({ body: long, citations: manyCitations })))).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
  });

  it('refuses to pass a card over the limit', () => {
    const card = renderReplyCard(reply());
    card.body.push({ type: 'TextBlock', text: 'x'.repeat(TEAMS_LIMITS.cardBytes) });
    expect(() => assertCardFits(card)).toThrow(CardTooLargeError);
  });

  it('turns Markdown into what a card TextBlock can show', () => {
    const md = '## Receiving\n\nUse `Validate` and __check__ ![scan](x.png)\n\n| Field | Value |\n| --- | --- |\n| Qty | 5 |\n\n> Note this\n\n* one\n* two';
    expect(toCardParagraphs(md)).toEqual(['**Receiving**', 'Use Validate and **check** scan', 'Field · Value\n\nQty · 5', 'Note this', '- one\r- two']);
    expect(toCardLine('From **A**\n\nsecond')).toBe('From **A** second');
  });
});
