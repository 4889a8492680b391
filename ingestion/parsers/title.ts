/** Titles: the first level-1 heading when the document has one, else a readable form of the file name. */

export function titleFromFilename(filename: string): string {
  const base = (filename.split(/[\\/]/).pop() ?? filename).replace(/\.[^.]+$/, '');
  const words = base.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (words === '') return 'Untitled';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The text of the first `# ` heading in normalised Markdown, if any. */
export function firstH1(markdown: string): string | undefined {
  const match = /^# +(.+?)\s*#*\s*$/m.exec(markdown);
  const text = match?.[1]?.replace(/[*_`]/g, '').trim();
  return text ? text : undefined;
}

/** Normalises line endings and trailing spaces and collapses runs of blank lines. */
export function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
