/** HTML pages → Markdown; the title is the page's first `<h1>`, else its `<title>`, else the file name. */
import { htmlToMarkdown } from './html-to-markdown.js';
import { firstH1, tidyMarkdown, titleFromFilename } from './title.js';

export function parseHtml(html: string, filename: string): { title: string; markdown: string } {
  const { htmlTitle, markdown } = htmlToMarkdown(html);
  const tidy = tidyMarkdown(markdown);
  return { title: firstH1(tidy) ?? htmlTitle ?? titleFromFilename(filename), markdown: tidy };
}
