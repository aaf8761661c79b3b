import type { AgentStateStore } from '../runtime/agent-state.js';
import type { SafeHtml } from './html.js';
import type { PageStore } from './page-store.js';
import { pagePath } from './page-urls.js';
import type { Crumb, RenderContext } from './render-common.js';
import { renderClusterMain } from './render-cluster.js';
import { renderEnvironmentMain } from './render-environment.js';
import { renderFleetMain, renderFleetsMain } from './render-fleet.js';
import { toClusterDetail, toEnvironmentDetail, toFleetView } from './to-views.js';

/** One view of the page, resolved from its path: its data (JSON) and its markup. */
export interface ResolvedView {
  readonly title: string;
  readonly crumbs: readonly Crumb[];
  /** The Fleet whose changes change this view; undefined: every Fleet (`/`). */
  readonly fleetKey?: string | undefined;
  data(): unknown;
  main(ctx: RenderContext): SafeHtml;
}

export interface ViewSources {
  readonly state: AgentStateStore;
  readonly store: PageStore;
}

/**
 * The view a path names, or undefined: `/`, `/fleets/<ns>/<name>`,
 * `…/environments/<env>`, `…/environments/<env>/clusters/<ns>/<name>`. Segments are URL-decoded.
 * Each call reads the current state, so a resolved view re-renders whatever changed since.
 */
export function resolveView(path: string, src: ViewSources): ResolvedView | undefined {
  const home: Crumb = { label: 'Fleets', href: '/' };
  if (path === '/' || path === '') {
    const fleets = () => src.state.list().map((s) => toFleetView(s, src.store.get(s.key)));
    return { title: 'Fleets', crumbs: [home], data: fleets, main: (ctx) => renderFleetsMain(fleets(), ctx) };
  }
  let parts: string[];
  try {
    parts = path.replace(/^\/(api\/)?fleets\//, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (!/^\/(api\/)?fleets\//.test(path) || parts.length < 2) return undefined;
  const [ns, name, kind, env, kind2, clusterNs, cluster] = parts as [string, string, ...(string | undefined)[]];
  const key = `${ns}/${name}`;
  const state = () => src.state.get(key);
  if (!state()) return undefined;
  const fleetCrumb: Crumb = { label: key, href: pagePath.fleet(ns, name) };
  if (parts.length === 2) {
    const view = () => toFleetView(state()!, src.store.get(key));
    return { title: `Fleet ${key}`, crumbs: [home, fleetCrumb], fleetKey: key, data: view, main: (ctx) => renderFleetMain(view(), ctx) };
  }
  if (kind !== 'environments' || env === undefined) return undefined;
  const envCrumb: Crumb = { label: env, href: pagePath.environment(ns, name, env) };
  if (parts.length === 4) {
    const detail = () => toEnvironmentDetail(state()!, src.store.get(key), env);
    if (!detail()) return undefined;
    return { title: `${env} of ${key}`, crumbs: [home, fleetCrumb, envCrumb], fleetKey: key, data: detail, main: (ctx) => renderEnvironmentMain(detail()!, ctx) };
  }
  if (parts.length !== 7 || kind2 !== 'clusters' || clusterNs === undefined || cluster === undefined) return undefined;
  const detail = () => toClusterDetail(state()!, src.store.get(key), env, clusterNs, cluster);
  if (!detail()) return undefined;
  return {
    title: `${cluster} in ${env} of ${key}`,
    crumbs: [home, fleetCrumb, envCrumb, { label: cluster }],
    fleetKey: key,
    data: detail,
    main: (ctx) => renderClusterMain(detail()!, ctx),
  };
}
