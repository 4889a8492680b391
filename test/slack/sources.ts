/** Reads the cited sources back out of a rendered Slack answer (the Sources context line). */
import type { RecordedCall } from './fake-slack-api.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: unknown }[] };

export function sourcesLine(call: RecordedCall, label = '*Sources:*'): string {
  const blocks = (call.args['blocks'] ?? []) as Block[];
  // Button elements carry a text object; only mrkdwn strings matter here.
  const texts = blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : ''))]);
  return texts.find((t) => t.startsWith(label)) ?? '';
}

/**
 * Cited sources, best first: folder sources are shown as "(Inventory/x.md)" after the label; Odoo documents are links
 * to `/odoo/documents.document/<id>`, reported as `odoo:documents.document/<id>` (the reply model's `source`).
 */
export function citedSources(call: RecordedCall): string[] {
  return sourcesIn(sourcesLine(call));
}

/** The closest SOPs a refusal points to (the "Closest SOPs you can read" line), read the same way as the Sources. */
export function relatedSources(call: RecordedCall): string[] {
  return sourcesIn(sourcesLine(call, '*Closest SOPs you can read:*'));
}

function sourcesIn(line: string): string[] {
  const found: { at: number; source: string }[] = [];
  for (const m of line.matchAll(/\(([^()]+\.(?:md|pdf|docx|txt|html?))\)/g)) found.push({ at: m.index, source: m[1]! });
  for (const m of line.matchAll(/\/odoo\/documents\.document\/(\d+)\|/g)) found.push({ at: m.index, source: `odoo:documents.document/${m[1]}` });
  return found.sort((a, b) => a.at - b.at).map((f) => f.source);
}

/** Maps `odoo:documents.document/<id>` to the demo library path it was seeded from (other sources pass through). */
export function libraryPath(source: string, documentPaths: ReadonlyMap<number, string>): string {
  const m = /^odoo:documents\.document\/(\d+)$/.exec(source);
  return m ? (documentPaths.get(Number(m[1])) ?? source) : source;
}
