import { html, toId, type SafeHtml } from './html.js';
import { markdownToHtml } from './markdown-html.js';
import type { EnvironmentDetail, PlanRecord } from './page-model.js';
import { renderGrid, renderOverview, renderPromotion } from './render-fleet.js';
import { revisionLink, stateBadge, timeAgo, type RenderContext } from './render-common.js';

const PLAN_STATE: Record<string, 'success' | 'failure' | 'error' | 'pending'> = { success: 'success', failure: 'failure', error: 'error', pending: 'pending' };

function planTitle(p: PlanRecord): string {
  if (p.pullRequest) return `Pull request #${p.pullRequest.number}${p.pullRequest.title ? `: ${p.pullRequest.title}` : ''}`;
  return `Revision ${p.revision}`;
}

function renderPlan(d: EnvironmentDetail, p: PlanRecord, ctx: RenderContext): SafeHtml {
  const id = `plan-${toId(p.pullRequest ? `pr-${p.pullRequest.number}` : p.revision)}`;
  const blocked = p.blocked.length
    ? html`<div class="blocked-box"><p><strong>⛔ Blocked</strong>: nothing of this plan will be applied until these are resolved:</p><ul>${p.blocked.map((b) => html`<li>${b}</li>`)}</ul></div>`
    : '';
  return html`<article class="plan${p.blocked.length ? ' is-blocked' : ''}" aria-labelledby="${id}">
<h3 id="${id}">${planTitle(p)}</h3>
<p>${stateBadge(PLAN_STATE[p.state] ?? 'unknown', p.state === 'failure' ? 'Blocked' : p.state === 'error' ? 'Plan failed' : 'Planned')} ${p.summary} · ${revisionLink(p.revision, d.fleet.commitUrlPrefix)} · ${timeAgo(p.at, ctx)}</p>
${blocked}
<details id="${`${id}-details`}"${p.blocked.length || d.plans[0] === p ? ' open' : ''}><summary>The plan, as the pull request comment shows it</summary>
<div class="markdown">${markdownToHtml(p.markdown)}</div>
</details>
</article>`;
}

/** `/fleets/<ns>/<name>/environments/<env>`: the environment's overview, clusters, last plans (pull requests too) and last change set. */
export function renderEnvironmentMain(d: EnvironmentDetail, ctx: RenderContext): SafeHtml {
  const f = d.fleet;
  const e = d.environment;
  const only = { ...f, environments: [e] };
  const changes = d.changeSet
    ? html`<p>At ${revisionLink(d.changeSet.revision, f.commitUrlPrefix)}, ${timeAgo(d.changeSet.at, ctx)}: ${d.changeSet.changes.length} object${d.changeSet.changes.length === 1 ? '' : 's'}.</p>
${d.changeSet.changes.length ? html`<table class="changes"><caption class="sr-only">Change set</caption><thead><tr><th scope="col">Object</th><th scope="col">Action</th><th scope="col">Why</th></tr></thead><tbody>${d.changeSet.changes.map((c) => html`<tr class="action-${c.action}"><td><code>${c.object}</code></td><td>${c.action}</td><td>${c.reason ?? ''}</td></tr>`)}</tbody></table>` : ''}`
    : html`<p class="none">No reconcile of this environment wrote anything since the agent started.</p>`;
  return html`<h1>Environment ${e.name} <span class="sub">of ${f.namespace}/${f.name}</span></h1>
${e.message ? html`<p class="condition"><span class="reason">${e.reason}</span> <span class="message-full">${e.message}</span></p>` : ''}
${e.blocked.length ? html`<div class="blocked-box"><p><strong>⛔ Blocked</strong>: the last plan of this environment has findings that stop it:</p><ul>${e.blocked.map((b) => html`<li>${b}</li>`)}</ul></div>` : ''}
<section aria-labelledby="overview">
<h2 id="overview">Overview and clusters</h2>
${renderPromotion(f.environments)}
${renderOverview(only, ctx)}
${renderGrid(only, ctx)}
</section>
<section aria-labelledby="plans" id="plans-section">
<h2 id="plans">Last plans</h2>
${d.plans.length ? d.plans.map((p) => renderPlan(d, p, ctx)) : html`<p class="none">No plan of this environment since the agent started.</p>`}
</section>
<section aria-labelledby="changes">
<h2 id="changes">Last reconcile's change set</h2>
${changes}
</section>`;
}
