import type { ClusterObjects } from '../health/cluster-objects.js';
import type { CellState, ChangeRecord, ClusterEvent, PlanRecord } from './page-model.js';

/** What the page keeps about one cluster beyond the agent's Fleet state. */
export interface ClusterRecord {
  readonly namespace: string;
  readonly name: string;
  state: CellState;
  reason: string;
  description: string;
  /** The health message uncut. */
  message: string;
  /** When it entered `state` (ms). */
  since: number;
  /** The live objects from the health watch caches (references, not copies). */
  objects?: ClusterObjects | undefined;
  /** Newest last, at most MAX_EVENTS. */
  events: ClusterEvent[];
}

export interface EnvironmentRecord {
  after: readonly string[];
  /** In the order the environment declares them. */
  clusters: Map<string, ClusterRecord>;
  /** Newest first: branch revisions and pull request heads, at most MAX_PLANS. */
  plans: PlanRecord[];
  changeSet?: { readonly revision: string; readonly at: string; readonly changes: readonly ChangeRecord[] } | undefined;
  blocked: readonly string[];
  /** The revision `clusters` was read from. */
  clustersRevision?: string | undefined;
}

export interface FleetRecord {
  commitUrlPrefix?: string | undefined;
  readonly environments: Map<string, EnvironmentRecord>;
}

export const MAX_PLANS = 10;
export const MAX_EVENTS = 20;

/** Health of one cluster as the health watches last computed it. */
export interface ClusterHealthInput {
  readonly namespace: string;
  readonly name: string;
  readonly state: CellState;
  readonly reason: string;
  readonly description: string;
  readonly message: string;
  readonly objects?: ClusterObjects | undefined;
}

/**
 * What the page needs that the agent's Fleet state does not hold: per-cluster health and live
 * objects, the last plans (pull requests included), the last change set. Fed by the page
 * plug-in from the agent's hooks and the health watches; subscribers hear the Fleet key changed.
 */
export class PageStore {
  private readonly fleets = new Map<string, FleetRecord>();
  private readonly listeners = new Set<(key: string) => void>();

  get(key: string): FleetRecord | undefined {
    return this.fleets.get(key);
  }

  subscribe(listener: (key: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fleet(key: string): FleetRecord {
    let f = this.fleets.get(key);
    if (!f) {
      f = { environments: new Map() };
      this.fleets.set(key, f);
    }
    return f;
  }

  environment(key: string, env: string): EnvironmentRecord {
    const f = this.fleet(key);
    let e = f.environments.get(env);
    if (!e) {
      e = { after: [], clusters: new Map(), plans: [], blocked: [] };
      f.environments.set(env, e);
    }
    return e;
  }

  /** The clusters an environment declares now (from its desired objects): new ones start unknown, gone ones leave. */
  setClusters(key: string, env: string, clusters: readonly { namespace: string; name: string }[], now: number): void {
    const e = this.environment(key, env);
    const next = new Map<string, ClusterRecord>();
    for (const c of clusters) {
      const id = `${c.namespace}/${c.name}`;
      next.set(id, e.clusters.get(id) ?? { namespace: c.namespace, name: c.name, state: 'unknown', reason: 'NotSeen', description: `${env}/${c.name}: not seen yet`, message: '', since: now, events: [] });
    }
    e.clusters = next;
  }

  /** Health from the watches; a cluster that changed state gets an event. Only clusters the environment declares are kept. */
  updateHealth(key: string, env: string, clusters: readonly ClusterHealthInput[], now: number): boolean {
    const e = this.fleets.get(key)?.environments.get(env);
    if (!e) return false;
    let changed = false;
    for (const h of clusters) {
      const c = e.clusters.get(`${h.namespace}/${h.name}`);
      if (!c) continue;
      if (c.state !== h.state) {
        pushEvent(c, { at: new Date(now).toISOString(), kind: 'state', text: `${c.state} → ${h.state}: ${h.description}` });
        c.state = h.state;
        c.since = now;
        changed = true;
      }
      if (c.description !== h.description || c.reason !== h.reason || c.objects !== h.objects) changed = true;
      c.reason = h.reason;
      c.description = h.description;
      c.message = h.message;
      c.objects = h.objects;
    }
    return changed;
  }

  addPlan(key: string, plan: PlanRecord): void {
    const e = this.environment(key, plan.environment);
    const same = (p: PlanRecord) => (plan.pullRequest ? p.pullRequest?.number === plan.pullRequest.number : !p.pullRequest && p.revision === plan.revision);
    e.plans = [plan, ...e.plans.filter((p) => !same(p))].slice(0, MAX_PLANS);
  }

  addClusterEvent(key: string, env: string, cluster: string, event: ClusterEvent): void {
    const c = this.fleets.get(key)?.environments.get(env)?.clusters.get(cluster);
    if (c) pushEvent(c, event);
  }

  delete(key: string): void {
    if (this.fleets.delete(key)) this.changed(key);
  }

  /** Tells subscribers that a Fleet's page data changed. */
  changed(key: string): void {
    for (const l of [...this.listeners]) {
      try {
        l(key);
      } catch {
        // a broken subscriber (a closed stream) must not stop the others
      }
    }
  }
}

function pushEvent(c: ClusterRecord, event: ClusterEvent): void {
  c.events.push(event);
  if (c.events.length > MAX_EVENTS) c.events.splice(0, c.events.length - MAX_EVENTS);
}
