/** Reads a posted answer back: its Adaptive Card, the texts on it, the cited sources and the Action.Submit data. */
import type { SentActivity } from './fake-connector.js';

export interface CardJson {
  type: string;
  version: string;
  body: { type: string; text?: string }[];
  actions?: { type: string; title: string; url?: string; data?: Record<string, unknown>; card?: CardJson }[];
}

export function cardOf(sent: SentActivity): CardJson {
  const attachments = (sent.activity['attachments'] ?? []) as { contentType: string; content: CardJson }[];
  const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`no Adaptive Card in ${JSON.stringify(sent.activity).slice(0, 300)}`);
  return card;
}

export const cardTexts = (card: CardJson): string[] => card.body.map((b) => b.text ?? '');

/**
 * The Sources list, best first, as the reply model's `source`: "1. Title (Inventory/x.md)" for folder sources, and
 * "1. [Title](…/odoo/documents.document/<id>)" for Odoo documents, reported as `odoo:documents.document/<id>`.
 */
export function citedSources(card: CardJson): string[] {
  return listedSources(card, 'Sources');
}

/** The closest SOPs a refusal points to (under "Closest SOPs you can read"), read the same way as the Sources. */
export function relatedSources(card: CardJson): string[] {
  return listedSources(card, 'Closest SOPs you can read');
}

function listedSources(card: CardJson, heading: string): string[] {
  const texts = cardTexts(card);
  const at = texts.indexOf(heading);
  if (at < 0) return [];
  return (texts[at + 1] ?? '')
    .split('\r')
    .map((line) => {
      const odoo = /\/odoo\/documents\.document\/(\d+)\)$/.exec(line);
      if (odoo) return `odoo:documents.document/${odoo[1]}`;
      return /\(([^()]+)\)$/.exec(line)?.[1] ?? '';
    })
    .filter(Boolean);
}

/** Every Action.Submit's data, including the one inside "Still need help?". */
export function submitData(card: CardJson): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const a of card.actions ?? []) {
    if (a.type === 'Action.Submit' && a.data) out.push(a.data);
    if (a.card) out.push(...submitData(a.card));
  }
  return out;
}
