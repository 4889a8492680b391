/**
 * HTML → Markdown for SOPs, shared by the HTML parser and the DOCX parser (mammoth gives us HTML).
 *
 * We walk the DOM that `node-html-parser` builds and keep only what matters for answering workflow questions:
 * headings (`#`…`######`), paragraphs, numbered and bulleted lists (nested lists indented, `<ol start>` honoured, so a
 * procedure keeps its step numbers), tables as Markdown pipe tables (one readable row per line, header first), code,
 * quotes and bold. Page furniture — scripts, styles, navigation, footers, forms, images — is dropped, and when
 * the page has a `<main>` or `<article>` only that is read. `<header>` is kept (pandoc and many CMSs put the page's `<h1>`
 * there); navigation inside it is dropped with the `<nav>`. Links keep their text only: URLs are noise in chunks.
 */
import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';

const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'input',
  'textarea',
  'svg',
  'canvas',
  'iframe',
  'img',
  'head',
  'title',
  'meta',
  'link',
]);

const BLOCK = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'header',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'ul',
]);

function tag(node: Node): string {
  return node instanceof HTMLElement ? (node.rawTagName?.toLowerCase() ?? '') : '';
}

function collapse(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ');
}

/** Inline content of an element as one line of Markdown text. Nested blocks are flattened with spaces. */
function inline(node: Node): string {
  if (node.nodeType === NodeType.TEXT_NODE) return collapse(node.text);
  if (!(node instanceof HTMLElement)) return '';
  const name = tag(node);
  if (DROP.has(name)) return '';
  if (name === 'br') return '\n';
  const inner = node.childNodes.map(inline).join('');
  switch (name) {
    case 'strong':
    case 'b': {
      const t = inner.trim();
      return t === '' ? inner : inner.replace(t, `**${t}**`);
    }
    case 'code':
    case 'kbd':
    case 'samp': {
      const t = inner.trim();
      return t === '' ? inner : `\`${t}\``;
    }
    default:
      return BLOCK.has(name) ? ` ${inner} ` : inner;
  }
}

function inlineText(node: Node): string {
  return inline(node)
    .split('\n')
    .map((l) => l.replace(/ {2,}/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

function cellText(node: Node): string {
  return inlineText(node).replace(/\n/g, ' ').replace(/\|/g, '\\|');
}

function table(el: HTMLElement): string {
  const rows: string[][] = [];
  for (const tr of el.querySelectorAll('tr')) {
    // Skip rows of nested tables; they are rendered inside their own cell text.
    if (tr.closest('table') !== el) continue;
    const cells = tr.childNodes.filter((c): c is HTMLElement => tag(c) === 'td' || tag(c) === 'th');
    if (cells.length === 0) continue;
    rows.push(cells.map(cellText));
  }
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const pad = (r: string[]): string[] => [...r, ...Array<string>(width - r.length).fill('')];
  const line = (r: string[]): string => `| ${pad(r).join(' | ')} |`;
  // Markdown tables need exactly one header row; without a real one the first row serves.
  const header = rows[0]!;
  const body = rows.slice(1);
  const caption = el.querySelector('caption');
  const out = [line(header), `|${' --- |'.repeat(width)}`, ...body.map(line)];
  return caption ? `${inlineText(caption)}\n\n${out.join('\n')}` : out.join('\n');
}

function list(el: HTMLElement, depth: number): string {
  const ordered = tag(el) === 'ol';
  let n = Number.parseInt(el.getAttribute('start') ?? '1', 10);
  if (!Number.isFinite(n)) n = 1;
  const indent = '   '.repeat(depth);
  const items: string[] = [];
  for (const child of el.childNodes) {
    if (!(child instanceof HTMLElement)) continue;
    const name = tag(child);
    if (name === 'ul' || name === 'ol') {
      items.push(list(child, depth + 1));
      continue;
    }
    if (name !== 'li') continue;
    const marker = ordered ? `${n++}. ` : '- ';
    const textParts: string[] = [];
    const nested: string[] = [];
    for (const part of child.childNodes) {
      const partName = tag(part);
      if (partName === 'ul' || partName === 'ol') nested.push(list(part as HTMLElement, depth + 1));
      else if (partName === 'table') nested.push(table(part as HTMLElement));
      else textParts.push(inline(part));
    }
    const text = textParts
      .join('')
      .split('\n')
      .map((l) => l.replace(/ {2,}/g, ' ').trim())
      .filter((l) => l !== '')
      .join(`\n${indent}${' '.repeat(marker.length)}`);
    items.push(`${indent}${marker}${text}`);
    items.push(...nested);
  }
  return items.join('\n');
}

/** Block-level rendering: returns Markdown blocks separated by blank lines. */
function blocks(node: Node, out: string[]): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    const t = collapse(node.text).trim();
    if (t !== '') out.push(t);
    return;
  }
  if (!(node instanceof HTMLElement)) return;
  const name = tag(node);
  if (DROP.has(name)) return;
  const heading = /^h([1-6])$/.exec(name);
  if (heading) {
    const t = inlineText(node).replace(/\n/g, ' ').replace(/\*\*/g, '');
    if (t !== '') out.push(`${'#'.repeat(Number(heading[1]))} ${t}`);
    return;
  }
  switch (name) {
    case 'ul':
    case 'ol': {
      const l = list(node, 0);
      if (l.trim() !== '') out.push(l);
      return;
    }
    case 'table': {
      const t = table(node);
      if (t !== '') out.push(t);
      return;
    }
    case 'pre': {
      const t = node.text.replace(/\n+$/, '');
      if (t.trim() !== '') out.push(`\`\`\`\n${t}\n\`\`\``);
      return;
    }
    case 'blockquote': {
      const inner: string[] = [];
      node.childNodes.forEach((c) => blocks(c, inner));
      const t = inner.join('\n\n');
      if (t.trim() !== '') out.push(t.replace(/^/gm, '> '));
      return;
    }
    case 'hr':
      return;
    case 'dt': {
      const t = inlineText(node);
      if (t !== '') out.push(`**${t.replace(/\*\*/g, '')}**`);
      return;
    }
    default:
      break;
  }
  // Containers: render inline runs as paragraphs, block children as their own blocks.
  let run: Node[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const t = run.map(inline).join('');
    const text = t
      .split('\n')
      .map((l) => l.replace(/ {2,}/g, ' ').trim())
      .filter((l) => l !== '')
      .join('\n');
    if (text !== '') out.push(text);
    run = [];
  };
  for (const child of node.childNodes) {
    const childName = tag(child);
    if (child instanceof HTMLElement && (BLOCK.has(childName) || DROP.has(childName))) {
      flush();
      blocks(child, out);
    } else {
      run.push(child);
    }
  }
  flush();
}

export interface HtmlConversion {
  /** The `<title>` of the page, when it has one. */
  htmlTitle: string | undefined;
  markdown: string;
}

export function htmlToMarkdown(html: string): HtmlConversion {
  const root = parse(html, {
    comment: false,
    blockTextElements: { script: false, noscript: false, style: false, pre: true },
  });
  const titleEl = root.querySelector('title');
  const htmlTitle = titleEl ? collapse(titleEl.text).trim() || undefined : undefined;
  const main = root.querySelector('main') ?? root.querySelector('article');
  const body = main ?? root.querySelector('body') ?? root;
  const out: string[] = [];
  // CMS pages often put the page's <h1> in a header outside <main>; keep it as the title heading.
  const h1 = root.querySelector('h1');
  if (main && h1 && !main.querySelector('h1')) {
    const text = inlineText(h1).replace(/\n/g, ' ').replace(/\*\*/g, '');
    if (text !== '') out.push(`# ${text}`);
  }
  blocks(body, out);
  return { htmlTitle, markdown: out.join('\n\n') };
}
