import { toRef } from '../core/kube-object.js';
import { formatRef, groupOf, refKey } from '../core/object-ref.js';
import type { Logger } from '../core/log.js';
import { groupClusterObjects, type ClusterObjects } from '../health/cluster-objects.js';
import { computeClusterHealth } from '../health/compute.js';
import { formatPlanCheckComment, toPlanCheckStatus, toPlanCounts } from '../reconcile/report-plan.js';
import type { PullRequestHead } from '../report/forge.js';
import type { AgentPlugin } from '../runtime/agent-plugin.js';
import { toForgeSettings } from '../runtime/fleet-forge.js';
import type { FollowTarget, HealthUpdate } from '../runtime/health-follower.js';
import { HttpServer } from '../runtime/http-server.js';
import type { PullRequestCheck } from '../runtime/pr-poller.js';
import type { FleetResource } from '../runtime/fleet-resource.js';
import { registerPageRoutes } from './page-routes.js';
import { PageStore, type ClusterHealthInput } from './page-store.js';
import { commitUrlPrefix, statusTargetUrl } from './page-urls.js';

export interface PagePluginOptions {
  /** The page's external URL (`--public-url`): commit statuses link to their cell or environment there. */
  readonly publicUrl?: string | undefined;
  /** Serve the page on a port of its own (`--page-listen`) instead of the agent's HTTP server. */
  readonly listen?: { readonly host: string; readonly port: number } | undefined;
  readonly debounceMs?: number | undefined;
}

/** The page plug-in, plus the observers the health and pull-request plug-ins feed it through. */
export interface PagePlugin extends AgentPlugin {
  readonly store: PageStore;
  /** For createHealthPlugin({ onEvaluated }): per-cluster health and live objects. */
  onHealthEvaluated(fleet: string, update: HealthUpdate, clusters: readonly ClusterObjects[], target: FollowTarget): void;
  /** For createPullRequestPlugin({ onChecked }): the pull request plans. */
  onPullRequestChecked(fleet: string, pr: PullRequestHead, checks: readonly PullRequestCheck[]): void;
  /** Base URL of the page's own server, when it has one. */
  url(): string | undefined;
}

const CAPI = 'cluster.x-k8s.io';

/**
 * The fleet page (issue 12) as an agent plug-in: keeps what the page shows beyond the agent's
 * Fleet state (per-cluster health and live objects from the health watches, the last plans of
 * each environment and of pull requests, the last change set) and serves the page, its JSON and
 * its live stream. Read-only: it writes nothing to the cluster or the forge.
 */
export function createPagePlugin(options: PagePluginOptions = {}): PagePlugin {
  const store = new PageStore();
  let now: () => number = Date.now;
  let log: Logger | undefined;
  let own: HttpServer | undefined;
  let ownUrl: string | undefined;

  const rememberFleet = (fleet: FleetResource) => {
    let forge;
    try {
      forge = toForgeSettings(fleet);
    } catch {
      forge = undefined;
    }
    store.fleet(fleet.key).commitUrlPrefix = commitUrlPrefix(forge, fleet.spec.url);
  };

  return {
    name: 'fleet-page',
    store,
    url: () => ownUrl,
    async start(ctx) {
      now = ctx.now;
      log = ctx.log.child({ component: 'page' });
      const deps = { state: ctx.state, store, now: ctx.now, log, debounceMs: options.debounceMs };
      if (options.listen) {
        own = new HttpServer({ host: options.listen.host, port: options.listen.port, log });
        registerPageRoutes(own, deps);
        ownUrl = (await own.start()).url;
        log.info({ url: ownUrl }, 'fleet page serving on its own port');
      } else {
        registerPageRoutes(ctx.http, deps);
      }
    },
    async stop() {
      await own?.stop();
    },
    statusTargetUrl(fleet, context) {
      return options.publicUrl ? statusTargetUrl(options.publicUrl, fleet.namespace, fleet.name, context) : undefined;
    },
    async onEnvironmentReconciled({ fleet, environment, result }) {
      rememberFleet(fleet);
      const key = fleet.key;
      const env = store.environment(key, environment.name);
      env.after = environment.after;
      const outcome = result.outcome;
      const at = new Date(now()).toISOString();
      const desired = outcome?.state?.desired;
      if (desired) {
        const clusters = desired.filter((o) => o.kind === 'Cluster' && groupOf(o.apiVersion) === CAPI).map((o) => ({ namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' }));
        store.setClusters(key, environment.name, clusters, now());
        env.clustersRevision = result.revision;
      }
      if (outcome?.plan || outcome?.failure) {
        const status = toPlanCheckStatus(outcome);
        const blocked: readonly string[] = (outcome.plan ? toPlanCounts(outcome.plan).blocked : undefined) ?? [];
        store.addPlan(key, { environment: environment.name, revision: result.revision, state: status.state, summary: status.description, markdown: formatPlanCheckComment(outcome), blocked, at });
        env.blocked = outcome.blocked ? blocked : [];
      } else if (!result.promotion) {
        env.blocked = [];
      }
      const entries = outcome?.apply?.changeSet.entries;
      if (entries) {
        env.changeSet = { revision: result.revision, at, changes: entries.map((e) => ({ object: formatRef(e.ref), action: e.action, ...(e.reason ? { reason: e.reason } : {}) })) };
        // Each written object's cluster hears what was done to it.
        const owner = new Map<string, string>();
        for (const b of groupClusterObjects(desired ?? [])) for (const o of [b.cluster, b.controlPlane, ...b.machineDeployments, ...b.machinePools, ...b.machineHealthChecks]) if (o) owner.set(refKey(toRef(o)), `${b.namespace}/${b.name}`);
        for (const e of entries) {
          const cluster = owner.get(refKey(e.ref));
          if (cluster && e.action !== 'unchanged' && e.action !== 'skipped') store.addClusterEvent(key, environment.name, cluster, { at, kind: 'apply', text: `${e.action} ${formatRef(e.ref)} at ${result.revision}` });
        }
      }
      store.changed(key);
    },
    async onPoll({ fleet, snapshot, config, reconcileDeps }) {
      // Environments the agent has not applied here yet (waiting for promotion, held, or after a
      // restart) still show their clusters: read from the revision's render (cached by tree).
      rememberFleet(fleet);
      let changed = false;
      for (const environment of config.environments) {
        const env = store.environment(fleet.key, environment.name);
        env.after = environment.after;
        if (env.clustersRevision === snapshot.revision) continue;
        env.clustersRevision = snapshot.revision;
        let objects;
        try {
          objects = reconcileDeps.render(snapshot, environment.path);
        } catch {
          continue; // the reconcile reports render failures; the page keeps what it knew
        }
        const clusters = objects.filter((o) => o.kind === 'Cluster' && groupOf(o.apiVersion) === CAPI).map((o) => ({ namespace: o.metadata.namespace ?? environment.namespace ?? '', name: o.metadata.name ?? '' }));
        store.setClusters(fleet.key, environment.name, clusters, now());
        changed = true;
      }
      if (changed) store.changed(fleet.key);
    },
    onFleetRemoved(key) {
      store.delete(key);
    },
    onHealthEvaluated(fleet, update, clusters, target) {
      const env = store.get(fleet)?.environments.get(update.env);
      if (!env) return;
      const touched = new Map(update.health.clusters.map((h) => [`${h.cluster.namespace}/${h.cluster.name}`, h]));
      const bundles = new Map(clusters.map((b) => [`${b.namespace}/${b.name}`, b]));
      const inputs: ClusterHealthInput[] = [];
      for (const id of env.clusters.keys()) {
        const objects = bundles.get(id);
        // Clusters this revision did not touch are judged on their own objects, as a status would.
        const h = touched.get(id) ?? (objects ? computeClusterHealth(objects, { env: update.env, now: now(), appliedAt: target.appliedAt, provisioningTimeoutSeconds: target.provisioningTimeoutSeconds }) : undefined);
        if (!h) continue;
        inputs.push({ namespace: h.cluster.namespace, name: h.cluster.name, state: h.state, reason: h.reason, description: h.description, message: h.message, objects });
      }
      if (store.updateHealth(fleet, update.env, inputs, now())) store.changed(fleet);
    },
    onPullRequestChecked(fleet, pr, checks) {
      const at = new Date(now()).toISOString();
      for (const c of checks) {
        store.addPlan(fleet, {
          environment: c.env,
          revision: `${pr.headRef || `pull/${pr.number}`}@sha1:${pr.headSha}`,
          pullRequest: { number: pr.number, title: pr.title },
          state: c.status.state,
          summary: c.status.description ?? '',
          markdown: c.comment,
          blocked: c.status.state === 'failure' ? [c.status.description.replace(/^blocked:\s*/, '')] : [],
          at,
        });
      }
      log?.debug({ fleet, pr: pr.number }, 'pull request plans kept for the page');
      store.changed(fleet);
    },
  };
}
