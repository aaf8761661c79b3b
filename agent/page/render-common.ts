import { html, safeHref, type SafeHtml } from './html.js';
import type { CellState } from './page-model.js';

/** What every view needs besides its data: the clock (times are relative to it) and where live updates come from. */
export interface RenderContext {
  readonly now: number;
  /** Path of the server-sent events stream that keeps this view live; absent: a static page. */
  readonly live?: string | undefined;
}

const STATES: Record<CellState, { icon: string; label: string }> = {
  success: { icon: '✓', label: 'Healthy' },
  pending: { icon: '◷', label: 'Pending' },
  failure: { icon: '✗', label: 'Failing' },
  error: { icon: '!', label: 'Error' },
  unknown: { icon: '?', label: 'Unknown' },
};

/** Agent phases as a health colour (phase words are shown as text beside it). */
const PHASE_STATE: Record<string, CellState> = {
  ready: 'success', progressing: 'pending', waiting: 'pending', held: 'pending', retrying: 'error', stalled: 'failure', failed: 'failure',
};

export function phaseState(phase: string): CellState {
  return PHASE_STATE[phase] ?? 'unknown';
}

/** A state as icon and word (never colour alone); the icon is hidden from screen readers, the word is not. */
export function stateBadge(state: CellState, text?: string): SafeHtml {
  const s = STATES[state];
  return html`<span class="badge state-${state}"><span class="icon" aria-hidden="true">${s.icon}</span> ${text ?? s.label}</span>`;
}

export function stateLabel(state: CellState): string {
  return STATES[state].label;
}

/** `3m`, `2h 5m`, `4d 1h`. Pure. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** A time as `<time>`: relative (`5m ago`, `in 2h 0m`) with the absolute time as its title; the page script keeps it current. */
export function timeAgo(iso: string | undefined, ctx: RenderContext, style: 'ago' | 'for' = 'ago'): SafeHtml {
  if (!iso) return html`<span class="none">—</span>`;
  const t = Date.parse(iso);
  const d = ctx.now - t;
  const text = style === 'for' ? `for ${formatAge(d)}` : d >= 0 ? `${formatAge(d)} ago` : `in ${formatAge(-d)}`;
  return html`<time datetime="${iso}" title="${iso}" data-rel="${style}">${text}</time>`;
}

/** `main@sha1:1a2b3c4d5e6f…` → `main@1a2b3c4`, linked to the forge's commit page when known. */
export function revisionLink(revision: string | undefined, commitUrlPrefix: string | undefined): SafeHtml {
  if (!revision) return html`<span class="none">—</span>`;
  const m = /^(.*)@sha1:([0-9a-f]{7,64})$/.exec(revision);
  if (!m) return html`<code>${revision}</code>`;
  const short = `${m[1]}@${m[2]!.slice(0, 7)}`;
  if (!commitUrlPrefix) return html`<code title="${revision}">${short}</code>`;
  return html`<a class="rev" href="${safeHref(`${commitUrlPrefix}${m[2]}`)}" title="${revision}"><code>${short}</code></a>`;
}

export interface Crumb {
  readonly label: string;
  readonly href?: string | undefined;
}

/** The document around a view: CSS and JS as files (the Content-Security-Policy allows no inline code), a skip link, breadcrumbs. */
export function renderDocument(title: string, crumbs: readonly Crumb[], main: SafeHtml, ctx: RenderContext): SafeHtml {
  const trail = crumbs.map((c, i) => (i === crumbs.length - 1 || !c.href ? html`<li><span aria-current="page">${c.label}</span></li>` : html`<li><a href="${safeHref(c.href)}">${c.label}</a></li>`));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Drover</title>
<link rel="stylesheet" href="/page/page.css">
<script src="/page/page.js" defer></script>
</head>
<body${ctx.live ? html` data-live="${ctx.live}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<p class="brand"><a href="/">Drover</a></p>
<nav aria-label="Breadcrumb"><ol class="crumbs">${trail}</ol></nav>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer>
<p>Snapshot rendered <time datetime="${new Date(ctx.now).toISOString()}" id="rendered-at">${new Date(ctx.now).toISOString()}</time>. <span id="live-status" role="status">Static page: reload for news.</span></p>
</footer>
</body>
</html>
`;
}
