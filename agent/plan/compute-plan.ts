import { clusterHold, hasDeleteTombstone, isCluster } from '../core/capi-rules.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { formatForeignOwner } from '../core/environment-scope.js';
import { dryRunManager } from '../core/field-manager.js';
import { formatPath } from '../core/errors.js';
import { formatRef, refKey } from '../core/object-ref.js';
import { classifyChanges } from './capi-changes.js';
import { summarizeCluster } from './cluster-summary.js';
import { diffObjects } from './object-diff.js';
import { findObjectFindings } from './plan-findings.js';
import { ChangeType, FindingCode, Severity, type Change, type ClusterPlan, type CostDelta, type Finding, type Plan } from './plan.js';

/**
 * Which workload cluster each object belongs to (a structural subset of the fleet stage's
 * `Attribution`): cluster key `namespace/name` → its objects. Attribute desired and live objects
 * together so objects removed from Git keep their cluster.
 */
export interface ClusterAttribution {
  readonly clusters: ReadonlyMap<string, { readonly objects: readonly KubeObject[] }>;
}

export interface PlanInput {
  readonly environment: string;
  /** `<ref>@sha1:<hash>`. */
  readonly revision: string;
  readonly desired: readonly KubeObject[];
  /** Live objects in play (from one LIST per kind and namespace). */
  readonly live: readonly KubeObject[];
  /**
   * refKey → what a server-side apply would store (the dry-run result; the live object itself
   * when nothing would change). An object missing here is taken as rendered.
   */
  readonly dryRun: ReadonlyMap<string, KubeObject>;
  /** refKey → why its dry-run failed. */
  readonly dryRunErrors?: ReadonlyMap<string, { readonly message: string }> | undefined;
  /** refKeys Drover owns (its inventory): only these are ever deleted. Undefined: every live object given. */
  readonly owned?: ReadonlySet<string> | undefined;
  readonly clusters: ClusterAttribution;
  readonly protections?: PlanProtections | undefined;
  /** Server-side apply field manager, to tell which fields Drover owns. */
  readonly fieldManager?: string | undefined;
  /**
   * What the infrastructure providers said (agent/providers `ProviderReport`, fetched by the
   * orchestrator): findings per cluster and the hourly cost change. Undefined: no provider.
   */
  readonly providers?: ProviderPlanInput | undefined;
  /**
   * Environment isolation, from what apply read (EnvironmentState): objects another
   * environment's inventory owns (refKey → that environment and its inventory), and desired
   * objects outside the environment's scope (refKey → why). Both block. Undefined: not checked.
   */
  readonly isolation?: PlanIsolation | undefined;
}

export interface PlanIsolation {
  readonly foreignOwners: ReadonlyMap<string, { readonly environment: string; readonly where: string }>;
  readonly outside: ReadonlyMap<string, string>;
}

/** The structural shape of a provider report, as the plan reads it. */
export interface ProviderPlanInput {
  readonly findings: readonly { readonly cluster?: string | undefined; readonly severity: Severity; readonly code: string; readonly message: string }[];
  readonly costs: readonly ({ readonly cluster: string } & CostDelta)[];
}

export interface PlanProtections {
  readonly clusterDeletion?: 'annotation' | 'never';
  readonly prune?: {
    readonly enabled: boolean;
    readonly maxDeletions: number;
    readonly maxFraction: number;
    readonly allowEmpty: boolean;
    readonly overrideThreshold?: boolean;
    /** Tombstoned Clusters allowed past the limit; more than these count against it (default 0). */
    readonly allowClusterDeletions?: number;
  };
}

/** Desired vs live, in Cluster API terms: see plan.ts. Pure. */
export function computePlan(input: PlanInput): Plan {
  const fieldManager = input.fieldManager ?? 'drover';
  const desiredKeys = new Set(input.desired.map((o) => refKey(toRef(o))));
  const live = new Map(input.live.map((o) => [refKey(toRef(o)), o] as const));
  const liveObjects = [...live.values()];
  const owned = input.owned ?? new Set(live.keys());
  const clusterOf = clusterLookup(input.clusters);
  const holds = new Map<string, { hold: 'paused' | 'moving'; cluster: KubeObject; objects: number }>();
  for (const o of input.live) {
    const hold = isCluster(o) ? clusterHold(o) : undefined;
    if (hold) holds.set(clusterKeyOf(o), { hold, cluster: o, objects: 0 });
  }
  const tombstones = new Map(input.desired.filter((o) => isCluster(o) && hasDeleteTombstone(o)).map((o) => [clusterKeyOf(o), o] as const));

  const plans = new Map<string, ClusterPlan>();
  const env = { changes: [] as Change[], findings: [] as Finding[] };
  const bucket = (cluster: string | undefined) => {
    if (!cluster) return env;
    let p = plans.get(cluster);
    if (!p) plans.set(cluster, (p = { name: cluster, changes: [], findings: [], skipped: false }));
    return p;
  };
  const counts = { desired: input.desired.length, create: 0, update: 0, delete: 0, unchanged: 0, skipped: 0, adopt: 0 };
  // Objects by cluster, grouped once per source when first asked (a fleet creating 1000 clusters asks 1000 times).
  const grouped = new Map<Iterable<KubeObject>, Map<string, KubeObject[]>>();
  const membersOf = (cluster: string, from: Iterable<KubeObject>): KubeObject[] => {
    let groups = grouped.get(from);
    if (!groups) {
      groups = new Map();
      for (const o of from) {
        const c = clusterOf(refKey(toRef(o)));
        if (c === undefined) continue;
        const list = groups.get(c);
        if (list) list.push(o);
        else groups.set(c, [o]);
      }
      grouped.set(from, groups);
    }
    return groups.get(cluster) ?? [];
  };
  let staleDeletes = 0;
  let tombstoneDeletes = 0;
  const tombstonedDeleted = new Set<string>();

  for (const desired of input.desired) {
    const key = refKey(toRef(desired));
    const ref = formatRef(toRef(desired));
    const cluster = clusterOf(key);
    const b = bucket(cluster);
    const current = live.get(key);
    if (cluster && holds.has(cluster)) {
      holds.get(cluster)!.objects++;
      counts.skipped++;
      continue;
    }
    if (cluster && tombstones.has(cluster)) {
      if (current && owned.has(key)) {
        counts.delete++;
        tombstoneDeletes++;
        if (isCluster(desired)) tombstonedDeleted.add(cluster);
        if (isCluster(desired)) b.changes.unshift({ type: ChangeType.DeleteCluster, object: ref, from: summarizeCluster(membersOf(cluster, liveObjects)) });
        else b.changes.push({ type: ChangeType.Delete, object: ref });
      }
      continue;
    }
    const owner = input.isolation?.foreignOwners.get(key);
    if (owner) b.findings.push({ severity: Severity.Block, code: FindingCode.OwnedByAnotherEnvironment, message: formatForeignOwner(ref, input.environment, owner.environment, owner.where) });
    const outside = input.isolation?.outside.get(key);
    if (outside) b.findings.push({ severity: Severity.Block, code: FindingCode.OutsideEnvironment, message: outside });
    const failure = input.dryRunErrors?.get(key);
    if (failure) {
      b.findings.push({ severity: Severity.Block, code: FindingCode.DryRunFailed, message: failure.message });
      continue;
    }
    const after = input.dryRun.get(key) ?? desired;
    if (!current) {
      counts.create++;
      if (isCluster(desired)) b.changes.unshift({ type: ChangeType.CreateCluster, object: ref, to: summarizeCluster(membersOf(cluster ?? '', input.desired)) });
      else b.changes.push({ type: ChangeType.Create, object: ref });
      b.findings.push(...findObjectFindings(desired, undefined, undefined, fieldManager));
      continue;
    }
    const diffs = diffObjects(current, after);
    if (input.owned && !owned.has(key) && !owner) {
      // Exists, but no inventory lists it: applying takes it over. Said, never silent.
      counts.adopt++;
      b.changes.push({ type: ChangeType.Adopt, object: ref, paths: diffs.map((d) => formatPath(d.path)), managers: managersOf(current) });
    } else if (diffs.length === 0) counts.unchanged++;
    else {
      counts.update++;
      b.changes.push(...classifyChanges(ref, current, after, diffs));
    }
    b.findings.push(...findObjectFindings(desired, current, diffs, dryRunManager(current, fieldManager)));
  }

  // Sorted: live objects arrive in whatever order the LISTs answered.
  for (const key of [...live.keys()].sort()) {
    const obj = live.get(key)!;
    if (desiredKeys.has(key) || !owned.has(key)) continue;
    const ref = formatRef(toRef(obj));
    const cluster = clusterOf(key);
    const foreign = input.isolation?.foreignOwners.get(key);
    if (foreign) {
      // Listed by this environment too (a takeover recorded before isolation): never deleted here.
      bucket(cluster).findings.push({ severity: Severity.Warn, code: FindingCode.OwnedByAnotherEnvironment, message: `${ref} is not deleted: environment ${foreign.environment} owns it (${foreign.where}); environment ${input.environment} forgets it` });
      continue;
    }
    if (cluster && holds.has(cluster)) {
      holds.get(cluster)!.objects++;
      counts.skipped++;
      continue;
    }
    counts.delete++;
    const b = bucket(cluster);
    if (!(cluster && tombstones.has(cluster))) staleDeletes++;
    else tombstoneDeletes++;
    if (isCluster(obj)) {
      b.changes.unshift({ type: ChangeType.DeleteCluster, object: ref, from: summarizeCluster(membersOf(cluster ?? clusterKeyOf(obj), liveObjects)) });
      b.findings.push({
        severity: Severity.Block,
        code: FindingCode.ClusterRemovedWithoutTombstone,
        message: `${ref} was removed from git: deleting a Cluster deletes its machines; to delete it, keep it in git with the annotation drover.dev/delete: "true"`,
      });
    } else {
      b.changes.push({ type: ChangeType.Delete, object: ref });
    }
  }

  for (const [cluster, h] of holds) {
    if (h.objects === 0) continue;
    const p = bucket(cluster) as ClusterPlan;
    plans.set(cluster, { ...p, skipped: true });
    plans.get(cluster)!.findings.push({
      severity: Severity.Warn,
      code: h.hold === 'paused' ? FindingCode.ClusterPaused : FindingCode.ClusterMoving,
      message: `${formatRef(toRef(h.cluster))} ${h.hold === 'paused' ? 'is paused (spec.paused or cluster.x-k8s.io/paused)' : 'is being moved by clusterctl (delete-for-move or block-move)'}: its ${h.objects} objects are skipped`,
    });
  }
  if (input.protections?.clusterDeletion === 'never') {
    for (const [cluster, obj] of tombstones) {
      if (!live.has(refKey(toRef(obj)))) continue;
      bucket(cluster).findings.push({
        severity: Severity.Block,
        code: FindingCode.ClusterDeletionDisabled,
        message: `${formatRef(toRef(obj))} carries drover.dev/delete but this fleet never deletes clusters (protections.clusterDeletion: never)`,
      });
    }
  }
  env.findings.push(...pruneFindings(input, owned.size, staleDeletes, { clusters: tombstonedDeleted.size, objects: tombstoneDeletes }));
  const cost = addProviderResults(input.providers, bucket, (cluster) => (cluster !== undefined && holds.has(cluster)) || false, plans);

  const clusters = [...plans.values()].filter((p) => p.changes.length || p.findings.length || p.skipped).sort((a, b) => a.name.localeCompare(b.name));
  const blocked = [...clusters.flatMap((c) => c.findings), ...env.findings].some((f) => f.severity === Severity.Block);
  return { environment: input.environment, revision: input.revision, clusters, changes: env.changes, findings: env.findings, counts, blocked, ...(cost ? { cost } : {}) };
}

/**
 * Provider findings go to their cluster (or the environment); a cluster's cost change is kept
 * when the cluster has changes (a cost without a change is a price drift, not this plan's).
 * Skipped (paused, moving) clusters take none. Returns the environment's total cost change.
 */
function addProviderResults(
  providers: ProviderPlanInput | undefined,
  bucket: (cluster: string | undefined) => { changes: Change[]; findings: Finding[] },
  held: (cluster: string | undefined) => boolean,
  plans: Map<string, ClusterPlan>,
): CostDelta | undefined {
  if (!providers) return undefined;
  const known = new Set<string>(Object.values(FindingCode));
  for (const f of providers.findings) {
    if (held(f.cluster)) continue;
    const code = (known.has(f.code) ? f.code : FindingCode.ProviderUnavailable) as FindingCode;
    bucket(f.cluster).findings.push({ severity: f.severity, code, message: f.message });
  }
  let total: CostDelta | undefined;
  for (const c of providers.costs) {
    const p = plans.get(c.cluster);
    if (!p || held(c.cluster) || !p.changes.length) continue;
    const cost: CostDelta = { perHour: c.perHour, currency: c.currency, items: c.items };
    plans.set(c.cluster, { ...p, cost });
    total = {
      perHour: Math.round(((total?.perHour ?? 0) + c.perHour) * 10_000) / 10_000,
      currency: c.currency,
      items: mergeItems(total?.items ?? [], c.items),
    };
  }
  return total;
}

function mergeItems(a: CostDelta['items'], b: CostDelta['items']): CostDelta['items'] {
  const out = new Map<string, { count: number; type: string; location: string; perHour?: number | undefined }>();
  for (const i of [...a, ...b]) {
    const key = `${i.type}|${i.location}`;
    const e = out.get(key);
    out.set(key, e ? { ...e, count: e.count + i.count } : { ...i });
  }
  return [...out.values()].filter((i) => i.count !== 0);
}

function pruneFindings(input: PlanInput, ownedCount: number, stale: number, tombstoned: { clusters: number; objects: number }): Finding[] {
  const prune = input.protections?.prune;
  if (!prune) return [];
  const limit = Math.max(prune.maxDeletions, Math.floor(prune.maxFraction * ownedCount));
  const counted = prune.enabled ? stale : 0;
  // Tombstoned clusters go even with prune disabled, so their limit holds either way.
  if (tombstoned.clusters > (prune.allowClusterDeletions ?? 0) && counted + tombstoned.objects > limit) {
    return [{ severity: Severity.Block, code: FindingCode.PruneThreshold, message: formatClusterDeletionRefusal(tombstoned.clusters, tombstoned.objects, counted, ownedCount, limit) }];
  }
  if (!prune.enabled) return [];
  if (input.desired.length === 0 && ownedCount > 0 && !prune.allowEmpty) {
    return [{ severity: Severity.Block, code: FindingCode.EmptyRender, message: `the environment renders no objects: refusing to prune all ${ownedCount} objects Drover applied (a broken render?)` }];
  }
  if (stale > limit && !prune.overrideThreshold) {
    return [{ severity: Severity.Block, code: FindingCode.PruneThreshold, message: `would prune ${stale} of ${ownedCount} objects Drover applied, more than the limit of ${limit}` }];
  }
  return [];
}

/** The field managers of a live object, for an adopt change: who wrote it so far. */
function managersOf(obj: KubeObject): string[] {
  const names = (obj.metadata.managedFields ?? []).map((m) => (m as { manager?: string }).manager).filter((m): m is string => typeof m === 'string');
  return [...new Set(names)].sort();
}

function clusterKeyOf(cluster: KubeObject): string {
  const ns = cluster.metadata.namespace;
  return ns ? `${ns}/${cluster.metadata.name ?? ''}` : (cluster.metadata.name ?? '');
}

function clusterLookup(attribution: ClusterAttribution): (key: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const [cluster, members] of attribution.clusters) for (const o of members.objects) byKey.set(refKey(toRef(o)), cluster);
  return (key) => {
    const hit = byKey.get(key);
    if (hit) return hit;
    const m = /^cluster\.x-k8s\.io\|Cluster\|([^|]*)\|(.*)$/.exec(key);
    return m ? (m[1] ? `${m[1]}/${m[2]}` : m[2]) : undefined;
  };
}

/** Same words as apply's prune refusal (apply/prune-plan.ts), so plan and apply say one thing. */
function formatClusterDeletionRefusal(clusters: number, tombstoneDeletes: number, stale: number, inventorySize: number, limit: number): string {
  const what = `${clusters} cluster${clusters === 1 ? '' : 's'}`;
  return `refusing to delete ${what} marked drover.dev/delete (${tombstoneDeletes} objects${stale ? `, plus ${stale} other stale objects` : ''}) of ${inventorySize} inventory objects: more than the limit of ${limit}; allow with --allow-cluster-deletions ${clusters} or prune.allowClusterDeletions: ${clusters} in drover.yaml`;
}
