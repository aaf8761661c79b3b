import type { Logger } from '../core/log.js';
import type { HttpServer, ResponseStream, RouteRequest, RouteResponse } from '../runtime/http-server.js';
import { PAGE_CSS } from './asset-css.js';
import { PAGE_JS } from './asset-js.js';
import { html } from './html.js';
import { renderDocument } from './render-common.js';
import { resolveView, type ResolvedView, type ViewSources } from './page-views.js';

/** No inline code at all: scripts and styles only from this origin, nothing framed, no forms, no base. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;

export interface PageRouteDeps extends ViewSources {
  readonly now: () => number;
  readonly log: Logger;
  /** Coalesce changes arriving within this window into one event per stream. Default 250 ms. */
  readonly debounceMs?: number | undefined;
  /** A comment line every so often keeps proxies from closing an idle stream. Default 25 s. */
  readonly keepAliveMs?: number | undefined;
}

const EVENTS_PATH = '/page/events';

/**
 * Registers the fleet page on an HTTP server: the HTML views (`/`, `/fleets/…`), their JSON
 * (`/api/fleets/<ns>/<name>…`), the stylesheet and script as files, and one server-sent events
 * stream per open page (`/page/events?view=<path>`) that sends the view's new markup whenever the
 * agent's state or the page's store changes (coalesced; nothing polls).
 */
export function registerPageRoutes(http: Pick<HttpServer, 'route'>, deps: PageRouteDeps): void {
  const htmlView = (req: RouteRequest): RouteResponse => {
    const view = resolveView(req.path, deps);
    if (!view) return notFound(req.path);
    const ctx = { now: deps.now(), live: `${EVENTS_PATH}?view=${encodeURIComponent(req.path)}` };
    return { headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: renderDocument(view.title, view.crumbs, view.main(ctx), ctx).text };
  };
  http.route('GET', '/', htmlView);
  http.route('GET', '/fleets/', htmlView);
  http.route('GET', '/api/fleets/', (req): RouteResponse => {
    const view = resolveView(req.path, deps);
    if (!view) return { status: 404, headers: { 'X-Content-Type-Options': 'nosniff' }, body: { error: `${req.path}: no such Fleet, environment or cluster on this agent` } };
    return { headers: { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }, body: view.data() };
  });
  http.route('GET', '/page/page.css', () => ({ headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=300' }, body: PAGE_CSS }));
  http.route('GET', '/page/page.js', () => ({ headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=300' }, body: PAGE_JS }));
  http.route('GET', EVENTS_PATH, (req) => {
    const path = req.query.get('view') ?? '/';
    const view = resolveView(path, deps);
    if (!view) return notFound(path);
    return { headers: { 'X-Content-Type-Options': 'nosniff' }, stream: (sink) => streamView(sink, path, view, deps) };
  });
}

function notFound(path: string): RouteResponse {
  const ctx = { now: Date.now() };
  const main = html`<h1>Not found</h1><p>Nothing at <code>${path}</code> on this agent: the Fleet, environment or cluster is not served here (yet).</p><p><a href="/">All Fleets</a></p>`;
  return { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }, body: renderDocument('Not found', [{ label: 'Fleets', href: '/' }, { label: 'Not found' }], main, ctx).text };
}

/** One open page: its view re-rendered after each change of its Fleet, sent when the markup differs. */
function streamView(sink: ResponseStream, path: string, view: ResolvedView, deps: PageRouteDeps): void {
  const debounceMs = deps.debounceMs ?? 250;
  let last = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    timer = undefined;
    let markup: string;
    try {
      const current = resolveView(path, deps) ?? view;
      markup = resolveView(path, deps) ? current.main({ now: deps.now() }).text : '<h1>Gone</h1><p>This Fleet, environment or cluster is no longer served by the agent.</p><p><a href="/">All Fleets</a></p>';
    } catch (e) {
      deps.log.warn({ path, error: (e as Error).message }, 'page view not rendered');
      return;
    }
    if (markup === last) return;
    last = markup;
    sink.write(`event: update\n${markup.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`);
  };
  const schedule = (key: string) => {
    if (view.fleetKey !== undefined && key !== view.fleetKey) return;
    timer ??= setTimeout(send, debounceMs);
  };
  const offState = deps.state.subscribe((e) => schedule(e.key));
  const offStore = deps.store.subscribe(schedule);
  const keepAlive = setInterval(() => sink.write(': keep-alive\n\n'), deps.keepAliveMs ?? 25_000);
  sink.onClose(() => {
    offState();
    offStore();
    clearInterval(keepAlive);
    if (timer) clearTimeout(timer);
  });
  sink.write('retry: 3000\n\n');
  // What changed between the page's load and this stream's start is sent at once.
  send();
}
