import { escapeHtml, raw, type SafeHtml } from './html.js';

/**
 * The plan markdown (agent/plan/format-markdown.ts, the pull request comment) as HTML, for the
 * subset that renderer writes: ATX headings, blockquotes, `-` lists, pipe tables, fenced code,
 * paragraphs; inline code, **bold** and _emphasis_. Everything else stays text: the input is
 * escaped first, so no markup from the repository or the cluster gets through. Pure.
 */
export function markdownToHtml(markdown: string): SafeHtml {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      i++;
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      // Plan headings sit under the page's own h2/h3: shift them down so the outline stays in order.
      const level = Math.min(6, heading[1]!.length + 1);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (line.startsWith('>')) {
      const body: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) body.push(lines[i]!.replace(/^>\s?/, ''));
      out.push(`<blockquote><p>${body.map(inline).join('<br>')}</p></blockquote>`);
      continue;
    }
    if (/^[-*]\s+/.test(line)) {
      const items: string[] = [];
      for (; i < lines.length && /^[-*]\s+/.test(lines[i]!); i++) items.push(`<li>${inline(lines[i]!.replace(/^[-*]\s+/, ''))}</li>`);
      out.push(`<ul>${items.join('')}</ul>`);
      continue;
    }
    if (line.startsWith('|') && /^\|[\s|:-]+\|\s*$/.test(lines[i + 1] ?? '')) {
      const head = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
      // An empty header cell (the plan's marker column) is a plain cell: a header must name something.
      const th = head.map((c) => (c === '' ? '<td></td>' : `<th scope="col">${inline(c)}</th>`)).join('');
      const body = rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('');
      out.push(`<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|>|[-*]\s|\||```)/.test(lines[i]!); i++) para.push(lines[i]!);
    out.push(`<p>${para.map(inline).join(' ')}</p>`);
  }
  return raw(out.join('\n'));
}

/** The cells of a pipe-table row; `\|` is a literal bar. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** Inline markup of one line: code spans verbatim, then bold and emphasis on the escaped rest. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, idx) => {
      if (idx % 2 === 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,;:])/g, '$1<em>$2</em>');
    })
    .join('');
}
