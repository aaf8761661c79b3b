import { html, safeHref, toId, type SafeHtml } from './html.js';
import type { ClusterCell, EnvironmentView, FleetView, Replicas } from './page-model.js';
import { cellId, pagePath } from './page-urls.js';
import { phaseState, revisionLink, stateBadge, timeAgo, type RenderContext } from './render-common.js';

/** Long condition messages (a dry-run failure of every object) are cut here; the environment view and the JSON have them whole. */
const clip = (text: string, max = 280) => ([...text].length <= max ? text : `${[...text].slice(0, max - 1).join('').trimEnd()}…`);
const count = (r: Replicas | undefined) => (r ? `${r.ready ?? '?'}/${r.desired ?? '?'}` : '—');

/** The Fleet's line under its name: repository, newest revision, and what is wrong with the Fleet itself. */
function fleetMeta(f: FleetView, ctx: RenderContext): SafeHtml {
  const notes: SafeHtml[] = [];
  if (f.suspended) notes.push(html`<li>${stateBadge('pending', 'Suspended')} nothing is applied until resumed</li>`);
  if (f.failure) notes.push(html`<li class="alert">${stateBadge('failure', f.failure.reason)} ${f.failure.message}</li>`);
  if (f.sourceStaleSince) notes.push(html`<li class="alert">${stateBadge('error', 'Source stale')} since ${timeAgo(f.sourceStaleSince, ctx)}: ${f.sourceMessage ?? ''}</li>`);
  return html`<dl class="meta">
<div><dt>Repository</dt><dd><code>${f.repository}</code></dd></div>
<div><dt>Newest revision</dt><dd>${revisionLink(f.revision, f.commitUrlPrefix)}</dd></div>
<div><dt>Last reconcile</dt><dd>${f.reconciling ? 'reconciling now' : timeAgo(f.lastReconcileAt, ctx)}</dd></div>
</dl>${notes.length ? html`<ul class="notes">${notes}</ul>` : ''}`;
}

/** Promotion order as a row of arrows: each chain `staging → prod`; environments outside any chain stand alone. */
export function renderPromotion(envs: readonly EnvironmentView[]): SafeHtml {
  const items = envs.map((e) => {
    const from = e.after.length ? html`<span class="after">${e.after.join(', ')}</span> <span class="arrow" aria-hidden="true">→</span> ` : '';
    const sr = e.after.length ? html`<span class="sr-only"> after ${e.after.join(' and ')}</span>` : '';
    return html`<li>${from}<strong>${e.name}</strong>${sr} ${stateBadge(phaseState(e.phase), e.phase)}</li>`;
  });
  return html`<ol class="promotion" aria-label="Promotion order">${items}</ol>`;
}

/** Above the grid: one row per environment with its revisions, condition and next apply window. */
export function renderOverview(f: FleetView, ctx: RenderContext): SafeHtml {
  const rows = f.environments.map((e) => html`<tr id="${`env-${toId(f.namespace, f.name, e.name)}`}">
<th scope="row"><a href="${pagePath.environment(f.namespace, f.name, e.name)}">${e.name}</a></th>
<td>${stateBadge(phaseState(e.phase), e.phase)}</td>
<td>${revisionLink(e.lastAppliedRevision, f.commitUrlPrefix)} ${e.lastAppliedAt ? html`<span class="sub">${timeAgo(e.lastAppliedAt, ctx)}</span>` : ''}</td>
<td>${revisionLink(e.lastAttemptedRevision, f.commitUrlPrefix)}</td>
<td><span class="reason">${e.reason}</span>${e.message ? html`<span class="message">${clip(e.message)}</span>` : ''}${e.blocked.length ? html`<strong class="blocked">⛔ Blocked: ${e.blocked[0]}${e.blocked.length > 1 ? ` (+${e.blocked.length - 1} more)` : ''}</strong>` : ''}</td>
<td>${e.nextApplyWindow ? timeAgo(e.nextApplyWindow, ctx) : html`<span class="none">—</span>`}</td>
</tr>`);
  return html`<table class="overview">
<caption>Environments of ${f.namespace}/${f.name}, in promotion order</caption>
<thead><tr><th scope="col">Environment</th><th scope="col">Phase</th><th scope="col">Last applied</th><th scope="col">Last attempted</th><th scope="col">Condition</th><th scope="col">Next apply window</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** One cluster's cell: state as icon and word, the status description, version, counts, revision, time in state. */
export function renderCell(f: FleetView, c: ClusterCell, ctx: RenderContext): SafeHtml {
  return html`<li class="cell state-${c.state}" id="${cellId(f.namespace, f.name, c.environment, c.name)}">
<h4 class="cell-name"><a href="${pagePath.cluster(f.namespace, f.name, c.environment, c.namespace, c.name)}">${c.name}</a></h4>
<p class="cell-state">${stateBadge(c.state)} <span class="since">${timeAgo(c.since, ctx, 'for')}</span></p>
<p class="desc">${c.description}</p>
<dl class="facts">
<div><dt>Kubernetes</dt><dd>${c.version ?? '—'}</dd></div>
<div><dt>Control plane</dt><dd>${count(c.controlPlane)}</dd></div>
<div><dt>Workers</dt><dd>${count(c.workers)}</dd></div>
<div><dt>Revision</dt><dd>${revisionLink(c.revision, f.commitUrlPrefix)}</dd></div>
</dl>
</li>`;
}

/** The grid: one row per environment, its clusters as cells. */
export function renderGrid(f: FleetView, ctx: RenderContext, only?: string): SafeHtml {
  const envs = only ? f.environments.filter((e) => e.name === only) : f.environments;
  const rows = envs.map((e) => {
    const cells = e.clusters.length
      ? html`<ul class="cells">${e.clusters.map((c) => renderCell(f, c, ctx))}</ul>`
      : html`<p class="none">No clusters known yet (${e.reason}).</p>`;
    return html`<tr id="${`row-${toId(f.namespace, f.name, e.name)}`}">
<th scope="row"><h3><a href="${safeHref(pagePath.environment(f.namespace, f.name, e.name))}">${e.name}</a></h3>${stateBadge(phaseState(e.phase), e.phase)}</th>
<td>${cells}</td>
</tr>`;
  });
  return html`<table class="grid" data-grid>
<caption>Clusters of ${f.namespace}/${f.name} by environment</caption>
<thead><tr><th scope="col">Environment</th><th scope="col">Clusters</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** One Fleet's section: name, meta, promotion, overview table, grid. */
export function renderFleetSection(f: FleetView, ctx: RenderContext): SafeHtml {
  const id = `fleet-${toId(f.namespace, f.name)}`;
  return html`<section class="fleet" aria-labelledby="${id}" id="${`${id}-section`}">
<h2 id="${id}"><a href="${pagePath.fleet(f.namespace, f.name)}">${f.namespace}/${f.name}</a></h2>
${fleetMeta(f, ctx)}
${renderPromotion(f.environments)}
${renderOverview(f, ctx)}
${renderGrid(f, ctx)}
</section>`;
}

/** `/`: every Fleet the agent serves. */
export function renderFleetsMain(fleets: readonly FleetView[], ctx: RenderContext): SafeHtml {
  if (!fleets.length) return html`<h1>Fleets</h1><p>This agent serves no Fleet yet.</p>`;
  return html`<h1>Fleets</h1>${fleets.map((f) => renderFleetSection(f, ctx))}`;
}

/** `/fleets/<ns>/<name>`: one Fleet. */
export function renderFleetMain(f: FleetView, ctx: RenderContext): SafeHtml {
  return html`<h1>Fleet ${f.namespace}/${f.name}</h1>${renderFleetSection(f, ctx)}`;
}
