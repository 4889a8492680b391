/**
 * Markdown in, normalised Markdown out: YAML front matter is removed (its `title`, when present, names the
 * document), setext headings become ATX headings so the chunker sees one heading syntax, and the title is the first
 * `#` heading or else the file name.
 */
import { parse as parseYaml } from 'yaml';
import { firstH1, tidyMarkdown, titleFromFilename } from './title.js';

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

function frontMatterTitle(yamlText: string): string | undefined {
  try {
    const data: unknown = parseYaml(yamlText);
    if (data && typeof data === 'object' && 'title' in data) {
      const title = (data as { title: unknown }).title;
      if (typeof title === 'string' && title.trim() !== '') return title.trim();
    }
  } catch {
    // Front matter that is not valid YAML is still front matter; it just names nothing.
  }
  return undefined;
}

/** `Title\n=====` → `# Title`, `Section\n-----` → `## Section` (outside code fences). */
function atxHeadings(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^(```|~~~)/.test(line.trim())) inFence = !inFence;
    const next = lines[i + 1];
    const prevBlank = out.length === 0 || out[out.length - 1]!.trim() === '';
    if (
      !inFence &&
      next !== undefined &&
      line.trim() !== '' &&
      prevBlank &&
      !/^\s*([-*+]|\d+[.)]|>|\|)/.test(line)
    ) {
      if (/^=+\s*$/.test(next)) {
        out.push(`# ${line.trim()}`);
        i++;
        continue;
      }
      if (/^-{2,}\s*$/.test(next)) {
        out.push(`## ${line.trim()}`);
        i++;
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

export function parseMarkdown(text: string, filename: string): { title: string; markdown: string } {
  let body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let title: string | undefined;
  const fm = FRONT_MATTER.exec(body);
  if (fm) {
    title = frontMatterTitle(fm[1] ?? '');
    body = body.slice(fm[0].length);
  }
  const markdown = tidyMarkdown(atxHeadings(body));
  return { title: title ?? firstH1(markdown) ?? titleFromFilename(filename), markdown };
}
