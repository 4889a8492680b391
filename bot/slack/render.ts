/**
 * Reply → Block Kit. The only place that knows Slack's message layout and limits: section text ≤ 3000 characters,
 * ≤ 50 blocks, context ≤ 10 elements, button value ≤ 2000, and a payload small enough to post. Long answers are cut
 * with a link to the SOP rather than split over many messages.
 */
import type { types } from '@slack/bolt';
import { RELATED_LABEL, type Citation, type Reply } from '../../assistant/reply.js';
import { clip, escapeMrkdwn, linkLabel, markdownToMrkdwn, splitText } from './mrkdwn.js';

export const SLACK_LIMITS = {
  sectionText: 3000,
  blocks: 50,
  contextElements: 10,
  buttonValue: 2000,
  fallbackText: 3000,
  /** Body characters shown before trimming with a link; keeps the whole payload well under Slack's size limits. */
  bodyChars: 6000,
} as const;

export const ACTION_IDS = {
  helpful: 'sop_feedback_helpful',
  notHelpful: 'sop_feedback_not_helpful',
  escalate: 'sop_escalate',
} as const;

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export interface RenderOptions {
  /** Answered replies below this confidence get a "check the SOP" hint. */
  lowConfidenceBelow?: number;
  /** Offer "Still need help?" (only when super users are configured). */
  escalation?: boolean;
}

/** What the buttons carry back: the audit id, and the question for the escalation message. */
export interface ButtonValue {
  auditId: string;
  question: string;
}

export function encodeButtonValue(v: ButtonValue): string {
  // Clip the question first so the JSON always fits the 2000-character value limit.
  return JSON.stringify({ a: v.auditId, q: clip(v.question, 1500) });
}

export function decodeButtonValue(value: string | undefined): ButtonValue | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as { a?: unknown; q?: unknown };
    if (typeof parsed.a !== 'string') return undefined;
    return { auditId: parsed.a, question: typeof parsed.q === 'string' ? parsed.q : '' };
  } catch {
    return undefined;
  }
}

export function renderProgress(question: string): SlackMessage {
  return {
    text: 'Looking through the SOPs…',
    blocks: [
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `:hourglass_flowing_sand: Looking through the SOPs for _${escapeMrkdwn(clip(question, 200))}_…` }],
      },
    ],
  };
}

export function renderApology(): SlackMessage {
  const text = 'Sorry — something went wrong while I was answering. Please try again in a moment.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }] };
}

/** One SOP on a Sources-style line: a mrkdwn link, or without a url (folder sources) the label and the file. */
function sopRef(c: Citation, prefix = ''): string {
  const label = linkLabel(`${prefix}${c.title}${c.section ? ` › ${c.section}` : ''}`);
  return c.url ? `<${c.url}|${label}>` : `${label} (${escapeMrkdwn(c.source)})`;
}

export function renderReply(reply: Reply, opts: RenderOptions = {}): SlackMessage {
  const blocks: types.KnownBlock[] = [];
  const lead = markdownToMrkdwn(reply.lead);
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*${lead}*`, SLACK_LIMITS.sectionText) } });

  if (reply.scope.note) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:lock: ${escapeMrkdwn(reply.scope.note)}` }] });
  }

  const bodyMarkdown = reply.body || reply.steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
  if (bodyMarkdown) {
    const firstUrl = reply.citations.find((c) => c.url)?.url ?? null;
    let body = markdownToMrkdwn(bodyMarkdown);
    let trimmed = false;
    if (body.length > SLACK_LIMITS.bodyChars) {
      body = clip(body, SLACK_LIMITS.bodyChars);
      trimmed = true;
    }
    for (const piece of splitText(body, SLACK_LIMITS.sectionText)) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    }
    if (trimmed) {
      const more = firstUrl ? `<${firstUrl}|Read the full SOP>` : 'See the SOP cited below';
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Answer shortened for Slack. ${more}.` }] });
    }
  }

  if (reply.answered && reply.confidence < (opts.lowConfidenceBelow ?? 0.6)) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: ':warning: Low confidence — please check the cited SOP before acting on this.' }],
    });
  }

  if (reply.citations.length) {
    const refs = reply.citations.slice(0, 8).map((c, i) => sopRef(c, `[${i + 1}] `));
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(`*Sources:* ${refs.join(' · ')}`, SLACK_LIMITS.sectionText) }],
    });
  }

  // A refusal's closest readable SOPs: names and links only (never passage text), labelled so nobody takes them for
  // the answer. Escaped like the Sources line.
  if (!reply.answered && reply.related.length) {
    const refs = reply.related.map((c) => sopRef(c));
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(`*${RELATED_LABEL}:* ${refs.join(' · ')}`, SLACK_LIMITS.sectionText) }],
    });
  }

  const value = encodeButtonValue({ auditId: reply.auditId, question: reply.question });
  const buttons: types.Button[] = [];
  if (reply.answered) {
    buttons.push(
      { type: 'button', action_id: ACTION_IDS.helpful, text: { type: 'plain_text', text: ':thumbsup: Helpful', emoji: true }, value },
      { type: 'button', action_id: ACTION_IDS.notHelpful, text: { type: 'plain_text', text: ':thumbsdown: Not helpful', emoji: true }, value },
    );
  }
  if (opts.escalation ?? true) {
    buttons.push({ type: 'button', action_id: ACTION_IDS.escalate, text: { type: 'plain_text', text: 'Still need help?' }, value });
  }
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'sop_answer_actions', elements: buttons });

  return {
    text: clip(`${reply.lead}${reply.body ? `\n${reply.body}` : ''}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}
