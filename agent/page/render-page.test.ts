import { describe, expect, it } from 'vitest';
import { fleetState, NOW, pageStore } from '../../test/fixtures/page/fleet-page-fixture.js';
import { escapeHtml, html, safeHref } from './html.js';
import { markdownToHtml } from './markdown-html.js';
import { resolveView } from './page-views.js';
import { renderDocument } from './render-common.js';
import { AgentStateStore } from '../runtime/agent-state.js';

const GOLDEN = '../../test/golden/page';

function sources() {
  const state = new AgentStateStore();
  state.set(fleetState());
  return { state, store: pageStore() };
}

function page(path: string): string {
  const view = resolveView(path, sources());
  if (!view) throw new Error(`no view at ${path}`);
  const ctx = { now: NOW, live: `/page/events?view=${encodeURIComponent(path)}` };
  return renderDocument(view.title, view.crumbs, view.main(ctx), ctx).text;
}

const VIEWS = [
  { name: 'fleets', path: '/' },
  { name: 'fleet', path: '/fleets/drover-system/example' },
  { name: 'environment-staging', path: '/fleets/drover-system/example/environments/staging' },
  { name: 'cluster-script', path: `/fleets/drover-system/example/environments/staging/clusters/fleet-staging/${encodeURIComponent('<script>')}` },
];

describe('fleet page rendering', () => {
  it.each(VIEWS)('renders the $name view as its golden HTML', async ({ name, path }) => {
    await expect(page(path)).toMatchFileSnapshot(`${GOLDEN}/${name}.html`);
  });

  it.each(VIEWS)('escapes every name and description from the repository or the cluster in the $name view', ({ path }) => {
    const text = page(path);
    // The only script element is the page's own file; no markup from the fixtures survives.
    expect(text.match(/<script\b[^>]*>/g)).toEqual(['<script src="/page/page.js" defer>']);
    expect(text).not.toMatch(/<img|<b>|<em>ams|<script>alert/i);
    // No tag carries an event handler or an inline style (the CSP would refuse them anyway).
    const tags = text.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\s(on[a-z]+|style)\s*=/i.test(t))).toEqual([]);
  });

  it('shows the hostile cluster name as text, in its cell and its link', () => {
    const text = page('/fleets/drover-system/example');
    expect(text).toContain('>&lt;script&gt;</a>');
    expect(text).toContain('/clusters/fleet-staging/%3Cscript%3E"');
    expect(text).toContain('staging/&lt;script&gt;alert(1)&lt;/script&gt;: &lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
  });

  it('tells every state in words and an icon, not by colour alone', () => {
    const text = page('/fleets/drover-system/example');
    for (const word of ['Healthy', 'Pending', 'progressing', 'waiting', 'stalled']) expect(text).toContain(word);
    expect(text).toMatch(/<span class="icon" aria-hidden="true">✓<\/span> Healthy/);
  });

  it('makes blocked findings stand out above the plans', () => {
    const text = page('/fleets/drover-system/example/environments/staging');
    expect(text).toContain('<article class="plan is-blocked"');
    expect(text).toContain('⛔ Blocked');
    expect(page('/fleets/drover-system/example')).toContain('⛔ Blocked: ClusterDeletion');
  });

  it('answers unknown Fleets, environments and clusters with no view', () => {
    const src = sources();
    for (const p of ['/fleets/drover-system/other', '/fleets/drover-system/example/environments/nope', '/fleets/drover-system/example/environments/staging/clusters/x/y', '/fleets/%E0%A4%A', '/elsewhere']) expect(resolveView(p, src)).toBeUndefined();
  });
});

describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"'&\``, '&quot;&#39;&amp;&#96;'],
  ])('escapes %s', (input, out) => {
    expect(escapeHtml(input)).toBe(out);
    expect(html`<p title="${input}">${input}</p>`.text).toBe(`<p title="${out}">${out}</p>`);
  });

  it.each([
    ['javascript:alert(1)', '#'],
    ['data:text/html,x', '#'],
    ['//evil.example/x', '#'],
    ['/fleets/a/b', '/fleets/a/b'],
    ['https://gitea.example/o/r/commit/1a2b', 'https://gitea.example/o/r/commit/1a2b'],
  ])('lets only http(s) and same-site links through: %s', (url, out) => {
    expect(safeHref(url)).toBe(out);
  });
});

describe('markdownToHtml', () => {
  it('renders the plan comment subset: headings, tables, lists, quotes, code', () => {
    const md = '### Plan for `staging`\n\n> **Blocked:** 1 finding\n\n| | change | detail |\n|---|---|---|\n| ✏️ | pool md\\|0 | 3 → 5 |\n\n- ⛔ **block** `X`: _why_\n\n```\na < b\n```\n';
    expect(markdownToHtml(md).text).toBe([
      '<h4>Plan for <code>staging</code></h4>',
      '<blockquote><p><strong>Blocked:</strong> 1 finding</p></blockquote>',
      '<table><thead><tr><td></td><th scope="col">change</th><th scope="col">detail</th></tr></thead><tbody><tr><td>✏️</td><td>pool md|0</td><td>3 → 5</td></tr></tbody></table>',
      '<ul><li>⛔ <strong>block</strong> <code>X</code>: <em>why</em></li></ul>',
      '<pre><code>a &lt; b</code></pre>',
    ].join('\n'));
  });

  it('keeps markup in the markdown as text', () => {
    expect(markdownToHtml('<img src=x onerror=alert(1)> **<b>x</b>** `<i>`').text).toBe('<p>&lt;img src=x onerror=alert(1)&gt; <strong>&lt;b&gt;x&lt;/b&gt;</strong> <code>&lt;i&gt;</code></p>');
  });
});
