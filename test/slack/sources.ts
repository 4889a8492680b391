/** Reads the cited sources back out of a rendered Slack answer (the Sources context line). */
import type { RecordedCall } from './fake-slack-api.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: unknown }[] };

export function sourcesLine(call: RecordedCall): string {
  const blocks = (call.args['blocks'] ?? []) as Block[];
  // Button elements carry a text object; only mrkdwn strings matter here.
  const texts = blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : ''))]);
  return texts.find((t) => t.startsWith('*Sources:*')) ?? '';
}

/** Folder sources are shown as "(Inventory/x.md)" after the label; linked ones carry the URL. */
export function citedSources(call: RecordedCall): string[] {
  return [...sourcesLine(call).matchAll(/\(([^()]+\.(?:md|pdf|docx|txt|html?))\)/g)].map((m) => m[1]!);
}
