/**
 * The extractive composer — the default, no LLM. It answers only with words from the SOP:
 * - a one-line lead naming the SOP and section the answer comes from;
 * - for a "how do I…" question, the numbered steps of the best passage verbatim (the list that best matches the
 *   question when a passage holds several);
 * - otherwise the sentences / table rows / list items of the best passage that share the most words with the
 *   question, kept in document order so they still read as the SOP reads;
 * - everything trimmed to a chat-sized message on line boundaries (never mid-sentence);
 * - citations best first, one per document section, only for passages that score close to the best.
 */
import type { Citation, Composer, ComposeInput, Composition, Passage } from './composer.js';
import { looksLikeInjection } from '../ingestion/guard.js';
import { contentStems } from './text.js';

export interface ExtractiveOptions {
  /** Maximum body length in characters (a chat message, not a document). */
  maxChars?: number;
  maxSteps?: number;
  maxCitations?: number;
  /** A further passage is cited only when its score is at least this share of the best one's. */
  citationRelativeScore?: number;
}

interface Unit {
  text: string;
  kind: 'step' | 'bullet' | 'row' | 'sentence';
  /** Index of the list block a step belongs to. */
  block: number;
}

const STEP = /^\s*(\d{1,2})[.)]\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const HEADING = /^\s*#{1,6}\s/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}/;

/** Splits a passage into quotable units: numbered steps (grouped by list), bullets, table rows and sentences. */
export function unitsOf(text: string): Unit[] {
  const units: Unit[] = [];
  let block = -1;
  let inList = false;
  let prev: Unit | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) {
      continue;
    }
    if (HEADING.test(line) || TABLE_RULE.test(line)) {
      inList = false;
      prev = undefined;
      continue;
    }
    const step = STEP.exec(line);
    if (step) {
      if (!inList || step[1] === '1') block++;
      inList = true;
      prev = { text: step[2]!.trim(), kind: 'step', block };
      units.push(prev);
      continue;
    }
    // A wrapped continuation line of a step or bullet (indented, not a new item) belongs to it.
    if (prev && (prev.kind === 'step' || prev.kind === 'bullet') && /^\s{2,}\S/.test(raw)) {
      prev.text += ` ${line.trim()}`;
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      prev = { text: bullet[1]!.trim(), kind: 'bullet', block: -1 };
      units.push(prev);
      continue;
    }
    inList = false;
    if (line.trim().startsWith('|')) {
      prev = { text: line.trim(), kind: 'row', block: -1 };
      units.push(prev);
      continue;
    }
    prev = undefined;
    for (const s of line.trim().split(/(?<=[.!?])\s+(?=[A-Z0-9*`"(])/)) {
      if (s.trim()) units.push({ text: s.trim(), kind: 'sentence', block: -1 });
    }
  }
  // Merge prose that was hard-wrapped across lines: a sentence without final punctuation continues on the next one.
  const merged: Unit[] = [];
  for (const u of units) {
    const last = merged.at(-1);
    if (last && last.kind === 'sentence' && u.kind === 'sentence' && !/[.!?:)]$/.test(last.text)) {
      last.text += ` ${u.text}`;
    } else merged.push({ ...u });
  }
  // Documents are data: a line that reads like an instruction to the assistant is never quoted back.
  return merged.filter((u) => !looksLikeInjection(u.text));
}

function overlap(unitText: string, stems: Set<string>): number {
  const us = new Set(contentStems(unitText));
  let n = 0;
  for (const s of us) if (stems.has(s)) n++;
  return n;
}

function trimToChars(lines: string[], maxChars: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const l of lines) {
    if (out.length > 0 && used + l.length + 1 > maxChars) break;
    out.push(l);
    used += l.length + 1;
  }
  return out;
}

export function leadFor(p: Passage): string {
  return p.section ? `From **${p.title}** › ${p.section}:` : `From **${p.title}**:`;
}

export function citationsFor(passages: Passage[], maxCitations: number, relative: number): Citation[] {
  const best = passages[0]?.score ?? 0;
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const p of passages) {
    if (out.length >= maxCitations) break;
    if (out.length > 0 && p.score < best * relative) break;
    const key = `${p.source}\u0000${p.section}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ source: p.source, title: p.title, section: p.section, url: p.url });
  }
  return out;
}

export function createExtractiveComposer(opts: ExtractiveOptions = {}): Composer {
  const maxChars = opts.maxChars ?? 900;
  const maxSteps = opts.maxSteps ?? 10;
  const maxCitations = opts.maxCitations ?? 3;
  const relative = opts.citationRelativeScore ?? 0.8;
  return {
    name: 'extractive',
    async compose(input: ComposeInput): Promise<Composition | null> {
      const top = input.passages[0];
      if (!top) return null;
      const stems = new Set(input.stems);
      const units = unitsOf(top.text);
      if (units.length === 0) return null;
      const citations = citationsFor(input.passages, maxCitations, relative);
      const lead = leadFor(top);

      const stepUnits = units.filter((u) => u.kind === 'step');
      if (input.intent === 'how-to' && stepUnits.length >= 2) {
        // The numbered list that best matches the question; ties go to the first list.
        const blocks = [...new Set(stepUnits.map((u) => u.block))];
        let bestBlock = blocks[0]!;
        let bestScore = -1;
        for (const b of blocks) {
          const s = stepUnits
            .filter((u) => u.block === b)
            .reduce((acc, u) => acc + overlap(u.text, stems), 0);
          if (s > bestScore) {
            bestScore = s;
            bestBlock = b;
          }
        }
        const all = stepUnits.filter((u) => u.block === bestBlock).map((u) => u.text);
        const steps = trimToChars(all, maxChars).slice(0, maxSteps);
        const body = steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
        const cut =
          steps.length < all.length ? `\n\n(${all.length - steps.length} more steps in the SOP.)` : '';
        return { lead, body: body + cut, steps, citations };
      }

      // Otherwise: the units sharing the most question words, in document order.
      const scored = units.map((u, i) => ({ u, i, s: overlap(u.text, stems) }));
      const ranked = [...scored].sort((a, b) => b.s - a.s || a.i - b.i);
      const picked = new Set<number>();
      let used = 0;
      for (const r of ranked) {
        if (picked.size > 0 && r.s === 0) break;
        if (picked.size > 0 && used + r.u.text.length > maxChars) continue;
        picked.add(r.i);
        used += r.u.text.length + 1;
        if (picked.size >= 5) break;
      }
      const chosen = scored.filter((x) => picked.has(x.i)).map((x) => x.u);
      const lines = chosen.map((u) =>
        u.kind === 'bullet' ? `- ${u.text}` : u.kind === 'step' ? `- ${u.text}` : u.text,
      );
      // Adjacent sentences read as one paragraph; list items and table rows stay one per line.
      const body = lines
        .reduce<string[]>((acc, l, i) => {
          const u = chosen[i]!;
          const prevU = chosen[i - 1];
          if (prevU && u.kind === 'sentence' && prevU.kind === 'sentence') acc[acc.length - 1] += ` ${l}`;
          else acc.push(l);
          return acc;
        }, [])
        .join('\n');
      return { lead, body: trimToChars(body.split('\n'), maxChars).join('\n'), steps: [], citations };
    },
  };
}
