/**
 * Plain text → Markdown. Text files are kept as they are, except that an underlined line (`====` / `----`) becomes a
 * heading and a short first line followed by a blank line is taken as the title, so plain-text SOPs get the same
 * heading path as Markdown ones. Lines that merely look like Markdown syntax are left alone: steps such as `1. Open…`
 * already read as a numbered list.
 */
import { tidyMarkdown, titleFromFilename } from './title.js';

export function parseText(text: string, filename: string): { title: string; markdown: string } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const out: string[] = [];
  let title: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (line.trim() !== '' && next !== undefined && /^\s*(={3,}|-{3,})\s*$/.test(next)) {
      const level = next.trim().startsWith('=') ? 1 : 2;
      out.push('', `${'#'.repeat(level)} ${line.trim()}`, '');
      title ??= level === 1 ? line.trim() : undefined;
      i++;
      continue;
    }
    out.push(line);
  }
  // A short first line followed by a blank line reads as a title.
  const firstIndex = out.findIndex((l) => l.trim() !== '');
  const first = firstIndex >= 0 ? out[firstIndex]!.trim() : '';
  if (
    title === undefined &&
    first !== '' &&
    !first.startsWith('#') &&
    first.length <= 80 &&
    !/[.:;,]$/.test(first) &&
    out[firstIndex + 1] !== undefined &&
    out[firstIndex + 1]!.trim() === '' &&
    out.slice(firstIndex + 2).some((l) => l.trim() !== '')
  ) {
    title = first;
    out[firstIndex] = `# ${first}`;
  }
  return { title: title ?? titleFromFilename(filename), markdown: tidyMarkdown(out.join('\n')) };
}
