/**
 * Reply → Adaptive Card. The only place that knows Teams' answer layout and limits: lead, scope note, the quoted
 * passage, a low-confidence hint, the sources (also as Action.OpenUrl buttons when they have a link) or, for a refusal,
 * the closest SOPs the asker can read (the same way), the feedback
 * buttons (Action.Submit) and "Still need help?" (Action.ShowCard with a details box). The card is kept under 28 KB —
 * the smallest size limit any Teams client path enforces — by shortening the passage first and pointing to the SOP.
 * Every Action.Submit carries `action` so the submit handler can tell ours apart (see `CardSubmit`).
 */
import { CardFactory, type Activity, type Attachment } from 'botbuilder';
import { z } from 'zod';
import { RELATED_LABEL, type Citation, type Reply } from '../../assistant/reply.js';
import { clip, linkLabel, toCardLine, toCardParagraphs } from './markdown.js';

export const TEAMS_LIMITS = {
  /** Bytes of card JSON; Teams documents 28 KB for connector cards, the tightest path, so it is safe everywhere. */
  cardBytes: 28 * 1024,
  /** Passage characters shown before shortening with a link to the SOP. */
  bodyChars: 6000,
  citations: 8,
  /** Source buttons; Teams shows few top-level actions, so links beyond these stay in the Sources list. */
  openUrlActions: 3,
  questionChars: 1500,
} as const;

type CardElement = Record<string, unknown> & { type: string };
type CardAction = Record<string, unknown> & { type: string; title: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  msteams?: { width: 'Full' };
}

/** What an Action.Submit of our cards sends back (merged with the card's inputs) as the message `value`. */
export const CardSubmit = z.discriminatedUnion('action', [
  z.object({ action: z.literal('sop-feedback'), auditId: z.string().min(1).max(200), helpful: z.boolean() }),
  z.object({
    action: z.literal('sop-escalate'),
    auditId: z.string().min(1).max(200),
    question: z.string().max(4000).default(''),
    details: z.string().max(4000).optional(),
  }),
]);
export type CardSubmit = z.infer<typeof CardSubmit>;

export interface TeamsRenderOptions {
  /** Answered replies below this confidence get a "check the SOP" hint. */
  lowConfidenceBelow?: number;
  /** Offer "Still need help?". */
  escalation?: boolean;
}

export class CardTooLargeError extends Error {
  override readonly name = 'CardTooLargeError';
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** The size guard: a card over the limit is never sent (Teams would answer 413 and the asker would see nothing). */
export function assertCardFits(card: AdaptiveCard): AdaptiveCard {
  const bytes = cardBytes(card);
  if (bytes > TEAMS_LIMITS.cardBytes) throw new CardTooLargeError(`Adaptive Card is ${bytes} bytes; Teams' limit is ${TEAMS_LIMITS.cardBytes}`);
  return card;
}

const text = (value: string, extra: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

/** One SOP as a Markdown link; without a link (folder sources) the file is named so the reader can still find it. */
function sopLink(c: Citation): string {
  const label = linkLabel(`${c.title}${c.section ? ` › ${c.section}` : ''}`);
  return c.url ? `[${label}](${c.url})` : `${label} (${c.source})`;
}

function citationLines(reply: Reply): string[] {
  return reply.citations.slice(0, TEAMS_LIMITS.citations).map((c, i) => `${i + 1}. ${sopLink(c)}`);
}

/** A refusal's closest readable SOPs, as the Sources list shows citations (names and links, never passage text). */
function relatedLines(reply: Reply): string[] {
  if (reply.answered) return [];
  return reply.related.map((c) => `- ${sopLink(c)}`);
}

function buildCard(reply: Reply, opts: TeamsRenderOptions, bodyChars: number, minimal: boolean): AdaptiveCard {
  const body: CardElement[] = [text(clip(toCardLine(reply.lead), minimal ? 500 : 2000), { weight: 'Bolder' })];
  if (reply.scope.note) body.push(text(`🔒 ${reply.scope.note}`, { isSubtle: true, size: 'Small', spacing: 'Small' }));

  const bodyMarkdown = reply.body || reply.steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
  const firstUrl = reply.citations.find((c) => c.url)?.url ?? null;
  if (bodyMarkdown) {
    const trimmed = bodyMarkdown.length > bodyChars;
    for (const paragraph of toCardParagraphs(clip(bodyMarkdown, bodyChars))) body.push(text(paragraph));
    if (trimmed) {
      const more = firstUrl ? `[Read the full SOP](${firstUrl})` : 'See the SOP cited below';
      body.push(text(`Answer shortened for Teams. ${more}.`, { isSubtle: true, size: 'Small' }));
    }
  }

  if (reply.answered && reply.confidence < (opts.lowConfidenceBelow ?? 0.6)) {
    body.push(text('⚠️ Low confidence — please check the cited SOP before acting on this.', { color: 'Warning', size: 'Small' }));
  }

  if (reply.citations.length) {
    body.push(text('Sources', { weight: 'Bolder', size: 'Small', spacing: 'Medium' }));
    const lines = citationLines(reply).map((l) => (minimal ? clip(l, 300) : l));
    body.push(text(lines.join('\r'), { size: 'Small', spacing: 'Small' }));
  }

  const related = relatedLines(reply);
  if (related.length) {
    body.push(text(RELATED_LABEL, { weight: 'Bolder', size: 'Small', spacing: 'Medium' }));
    body.push(text(related.map((l) => (minimal ? clip(l, 300) : l)).join('\r'), { size: 'Small', spacing: 'Small' }));
  }

  const actions: CardAction[] = [];
  for (const [i, c] of reply.citations.entries()) {
    if (!c.url || actions.length >= TEAMS_LIMITS.openUrlActions) continue;
    actions.push({ type: 'Action.OpenUrl', title: clip(`[${i + 1}] ${c.title}`, 40), url: c.url });
  }
  if (related.length) {
    for (const c of reply.related) {
      if (!c.url || actions.length >= TEAMS_LIMITS.openUrlActions) continue;
      actions.push({ type: 'Action.OpenUrl', title: clip(`Open: ${c.title}`, 40), url: c.url });
    }
  }
  if (reply.answered) {
    actions.push(
      { type: 'Action.Submit', title: '👍 Helpful', data: { action: 'sop-feedback', auditId: reply.auditId, helpful: true } },
      { type: 'Action.Submit', title: '👎 Not helpful', data: { action: 'sop-feedback', auditId: reply.auditId, helpful: false } },
    );
  }
  if (opts.escalation ?? true) {
    actions.push({
      type: 'Action.ShowCard',
      title: 'Still need help?',
      card: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          text('A super user for your department will get your question and this note.', { size: 'Small' }),
          { type: 'Input.Text', id: 'details', label: 'What is still unclear?', isMultiline: true, maxLength: 1000 },
        ],
        actions: [
          {
            type: 'Action.Submit',
            title: 'Ask a super user',
            data: { action: 'sop-escalate', auditId: reply.auditId, question: clip(reply.question, TEAMS_LIMITS.questionChars) },
          },
        ],
      },
    });
  }

  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    actions,
  };
}

/** The answer card, shortened until it fits the size limit. */
export function renderReplyCard(reply: Reply, opts: TeamsRenderOptions = {}): AdaptiveCard {
  let bodyChars: number = TEAMS_LIMITS.bodyChars;
  let card = buildCard(reply, opts, bodyChars, false);
  while (cardBytes(card) > TEAMS_LIMITS.cardBytes && bodyChars > 200) {
    bodyChars = Math.floor(bodyChars / 2);
    card = buildCard(reply, opts, bodyChars, false);
  }
  if (cardBytes(card) > TEAMS_LIMITS.cardBytes) card = buildCard(reply, opts, 200, true);
  return assertCardFits(card);
}

/** The answer as a message: the card, with Teams' own feedback buttons switched on (handled as message/submitAction). */
export function renderReply(reply: Reply, opts: TeamsRenderOptions = {}): Partial<Activity> {
  const attachment: Attachment = CardFactory.adaptiveCard(renderReplyCard(reply, opts));
  return {
    type: 'message',
    summary: clip(toCardLine(reply.lead).replace(/\*\*/g, ''), 200),
    attachments: [attachment],
    channelData: { feedbackLoopEnabled: true },
  };
}

export function renderApology(): Partial<Activity> {
  return { type: 'message', text: '⚠️ Sorry — something went wrong while I was answering. Please try again in a moment.' };
}

export function renderThanks(helpful: boolean): Partial<Activity> {
  return { type: 'message', text: helpful ? 'Thanks — glad it helped.' : 'Thanks — your feedback goes to the SOP owners.' };
}
