import { html, type SafeHtml } from './html.js';
import type { ClusterDetail, ObjectView } from './page-model.js';
import { cellId, pagePath } from './page-urls.js';
import { revisionLink, stateBadge, timeAgo, type RenderContext } from './render-common.js';

function conditionState(status: string, type: string): 'success' | 'failure' | 'pending' {
  // Negative-polarity conditions (Paused, Deleting, RollingOut, ScalingUp…) are fine when False.
  const negative = /^(Paused|Deleting|RollingOut|ScalingUp|ScalingDown|Remediating|Stalled)$/.test(type);
  if (status === 'True') return negative ? 'pending' : 'success';
  if (status === 'False') return negative ? 'success' : 'failure';
  return 'pending';
}

function renderObject(o: ObjectView, ctx: RenderContext): SafeHtml {
  const gen = o.generation !== undefined ? `generation ${o.generation}${o.observedGeneration !== undefined ? `, observed ${o.observedGeneration}` : ''}` : '';
  const rows = o.conditions.map((c) => html`<tr><th scope="row">${c.type}</th><td>${stateBadge(conditionState(c.status, c.type), c.status)}</td><td>${c.reason ?? ''}</td><td>${c.message ?? ''}</td><td>${timeAgo(c.lastTransitionTime, ctx)}</td></tr>`);
  return html`<article class="object">
<h3><span class="role">${o.role}</span> <code>${o.kind}/${o.name}</code></h3>
<p class="sub"><code>${o.apiVersion}</code>${gen ? ` · ${gen}` : ''}${o.phase ? ` · phase ${o.phase}` : ''}</p>
${o.conditions.length
    ? html`<table class="conditions"><caption class="sr-only">Conditions of ${o.kind}/${o.name}</caption><thead><tr><th scope="col">Condition</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Changed</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="none">No conditions reported yet.</p>`}
</article>`;
}

/** `/fleets/<ns>/<name>/environments/<env>/clusters/<ns>/<name>`: the CAPI objects of one cluster, their conditions, the changes the agent saw. */
export function renderClusterMain(d: ClusterDetail, ctx: RenderContext): SafeHtml {
  const c = d.cell;
  const f = d.fleet;
  const count = (r: { ready?: number | undefined; desired?: number | undefined } | undefined) => (r ? `${r.ready ?? '?'}/${r.desired ?? '?'}` : '—');
  return html`<h1>Cluster ${c.name} <span class="sub">in ${c.environment} of ${f.namespace}/${f.name}</span></h1>
<section aria-labelledby="summary" class="cluster-summary state-${c.state}">
<h2 id="summary">Health</h2>
<p>${stateBadge(c.state)} <span class="reason">${c.reason}</span> ${timeAgo(c.since, ctx, 'for')}</p>
<p class="desc">${d.message}</p>
<dl class="facts">
<div><dt>Namespace</dt><dd>${c.namespace}</dd></div>
<div><dt>Kubernetes</dt><dd>${c.version ?? '—'}</dd></div>
<div><dt>Control plane ready/desired</dt><dd>${count(c.controlPlane)}</dd></div>
<div><dt>Workers ready/desired</dt><dd>${count(c.workers)}</dd></div>
<div><dt>Revision applied</dt><dd>${revisionLink(c.revision, f.commitUrlPrefix)}</dd></div>
</dl>
<p><a href="${`${pagePath.fleet(f.namespace, f.name)}#${cellId(f.namespace, f.name, c.environment, c.name)}`}">Back to its cell in the grid</a></p>
</section>
<section aria-labelledby="objects">
<h2 id="objects">Cluster API objects</h2>
${d.objects.length ? d.objects.map((o) => renderObject(o, ctx)) : html`<p class="none">The agent has not seen this cluster's objects yet.</p>`}
</section>
<section aria-labelledby="events">
<h2 id="events">What Drover recorded</h2>
${d.events.length
    ? html`<ol class="events">${d.events.map((e) => html`<li>${timeAgo(e.at, ctx)} <span class="kind">${e.kind}</span> ${e.text}</li>`)}</ol>`
    : html`<p class="none">Nothing yet.</p>`}
</section>`;
}
