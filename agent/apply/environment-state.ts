import { ApplyError } from '../core/errors.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { formatRef, groupOf, refKey } from '../core/object-ref.js';
import { outsideScope, type EnvironmentScope } from '../core/environment-scope.js';
import { dryRunManager, needsMigration } from '../core/field-manager.js';
import { fieldManagerOf, type ApplyOptions } from './apply-options.js';
import { withoutAutoscaledReplicas } from './autoscaler-replicas.js';
import { computeClusterScope, holdReasons, type ClusterAttribution, type ClusterScope } from './cluster-scope.js';
import { isUnchangedBySsa } from './drift.js';
import { dryRunAll } from './dry-run.js';
import type { Inventory } from './inventory.js';
import { fetchOtherInventories, fetchStoredInventory } from './inventory-store.js';
import { findForeignOwners, type ForeignOwner } from './ownership.js';
import type { KubeClient } from '../kube/kube-client.js';
import { fetchLiveState } from './live-state.js';

export interface EnvironmentInput {
  readonly environment: string;
  /** The rendered objects, each with its namespace set when its kind is namespaced. */
  readonly desired: readonly KubeObject[];
  /**
   * Attributes objects to workload clusters (the fleet stage's `attributeObjects`). Called once
   * with the desired and live objects together, so objects removed from Git keep their cluster.
   */
  readonly attribute: (objects: readonly KubeObject[]) => ClusterAttribution;
  /** Where the environment may write (its namespace and drover.yaml's allow-list); undefined: anywhere. */
  readonly scope?: EnvironmentScope | undefined;
}

/**
 * Everything apply (and plan) needs to know before writing, read without writing anything: the
 * inventory, the live objects in play (one LIST per kind and namespace), and what a server-side
 * apply of each desired object would produce. Objects whose live state already matches what
 * Drover applied (see drift.ts) are not dry-run: SSA would leave them as they are, so their
 * live object stands in for the dry-run result. Every object that may change is dry-run.
 */
export interface EnvironmentState {
  readonly environment: string;
  readonly inventory: Inventory;
  /** The inventory ConfigMap's resourceVersion when read (undefined: none yet): apply stores with it as a compare-and-swap. */
  readonly inventoryVersion?: string | undefined;
  /** refKey → live object, for desired and inventory objects. */
  readonly live: ReadonlyMap<string, KubeObject>;
  /** Desired and live objects by workload cluster: give it to computePlan. */
  readonly attribution: ClusterAttribution;
  readonly scope: ClusterScope;
  readonly desired: readonly KubeObject[];
  /** refKey → the object as apply sends it (autoscaled replicas stripped), for objects to apply. */
  readonly toApply: ReadonlyMap<string, KubeObject>;
  /** refKey → why a desired object is left alone (its cluster is paused or being moved). */
  readonly held: ReadonlyMap<string, string>;
  /** refKeys of desired objects that belong to a tombstoned cluster: deleted, not applied. */
  readonly deleting: ReadonlySet<string>;
  /** refKey → what SSA would store; the live object itself when nothing would change. */
  readonly dryRun: ReadonlyMap<string, KubeObject>;
  readonly dryRunErrors: ReadonlyMap<string, ApplyError>;
  /** Objects in a namespace or of a kind this apply creates: dry-run after the first stage. */
  readonly deferred: readonly KubeObject[];
  /** The field manager this environment applies with (`drover/<env>`). */
  readonly fieldManager: string;
  /** refKey → the other environment whose inventory owns it (desired and inventory objects): never written or pruned here. */
  readonly foreignOwners: ReadonlyMap<string, ForeignOwner>;
  /** refKey → why the environment may not write a desired object there (outside its namespace, cluster-scoped). */
  readonly outside: ReadonlyMap<string, string>;
  /** refKeys of desired objects that exist but are in no inventory: applying adopts them. */
  readonly adopted: ReadonlySet<string>;
  /** refKeys of objects to apply still owned by the legacy manager `drover`: their apply migrates them. */
  readonly migrations: ReadonlySet<string>;
  readonly stats: { readonly lists: number; readonly dryRuns: number; readonly unchangedWithoutDryRun: number };
}

export async function fetchEnvironmentState(
  client: KubeClient,
  input: EnvironmentInput,
  options: Pick<ApplyOptions, 'inventoryNamespace' | 'force' | 'concurrency' | 'transientRetry' | 'fieldManager'>,
): Promise<EnvironmentState> {
  const at = { environment: input.environment, namespace: options.inventoryNamespace };
  const fieldManager = fieldManagerOf(options, input.environment);
  const [{ inventory, resourceVersion: inventoryVersion }, others] = await Promise.all([fetchStoredInventory(client, at), fetchOtherInventories(client, at)]);
  const dryRunErrors = new Map<string, ApplyError>();
  const byKey = new Map<string, KubeObject>();
  for (const obj of input.desired) {
    const key = refKey(toRef(obj));
    if (!obj.metadata.name) dryRunErrors.set(key, new ApplyError(`${obj.kind} Invalid: metadata.name: required`));
    else if (byKey.has(key)) dryRunErrors.set(key, new ApplyError(`${formatRef(toRef(obj))} Duplicate: declared twice in the rendered environment`));
    else byKey.set(key, obj);
  }
  const { objects: live, unserved, lists } = await fetchLiveState(client, [...[...byKey.values()].map(toRef), ...inventory.values()], options.concurrency);
  const attribution = input.attribute([...input.desired, ...live.values()]);
  const foreignOwners = findForeignOwners([...byKey.keys(), ...inventory.keys()], live, others);
  const outside = new Map<string, string>();
  const adopted = new Set<string>();
  for (const [key, obj] of byKey) {
    const why = input.scope ? outsideScope(obj, input.scope) : undefined;
    if (why) outside.set(key, why);
    if (live.has(key) && !inventory.has(key) && !foreignOwners.has(key)) adopted.add(key);
  }
  const scope = computeClusterScope(input.desired, live, attribution);

  const toApply = new Map<string, KubeObject>();
  const held = new Map<string, string>();
  const deleting = new Set<string>();
  const dryRun = new Map<string, KubeObject>();
  const migrations = new Set<string>();
  const toDryRun: KubeObject[] = [];
  for (const [key, obj] of byKey) {
    const clusterKey = scope.clusterOf(key);
    const hold = clusterKey ? scope.holds.get(clusterKey) : undefined;
    if (hold) held.set(key, holdReasons[hold]);
    else if (clusterKey && scope.tombstones.has(clusterKey)) deleting.add(key);
    if (hold || deleting.has(key)) continue;
    const current = live.get(key);
    const sent = withoutAutoscaledReplicas(obj, current);
    toApply.set(key, sent);
    if (current && needsMigration(current, fieldManager)) migrations.add(key);
    if (current && isUnchangedBySsa(sent, current, fieldManager)) dryRun.set(key, current);
    else toDryRun.push(sent);
  }

  const pendingNamespaces = new Set<string>();
  const pendingKinds = new Set<string>();
  for (const obj of toApply.values()) {
    const key = refKey(toRef(obj));
    if (live.has(key)) continue;
    if (obj.kind === 'Namespace' && groupOf(obj.apiVersion) === '') pendingNamespaces.add(obj.metadata.name!);
    if (obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io') {
      const spec = obj.spec as { group?: string; names?: { kind?: string } } | undefined;
      const gk = `${spec?.group ?? ''}|${spec?.names?.kind ?? ''}`;
      if (unserved.has(gk)) pendingKinds.add(gk);
    }
  }
  // An object the legacy manager still owns alone is dry-run as that manager: its apply first
  // moves that ownership to this environment's manager, so the outcome is the same.
  const managerFor = (obj: KubeObject) => dryRunManager(live.get(refKey(toRef(obj))), fieldManager);
  const outcome = await dryRunAll(client, toDryRun, { force: options.force, concurrency: options.concurrency, pendingNamespaces, pendingKinds, fieldManager: managerFor, retry: options.transientRetry });
  for (const [k, v] of outcome.results) dryRun.set(k, v);
  for (const [k, e] of outcome.errors) dryRunErrors.set(k, e);
  return {
    environment: input.environment,
    inventory,
    inventoryVersion,
    live,
    attribution,
    scope,
    desired: input.desired,
    toApply,
    held,
    deleting,
    dryRun,
    dryRunErrors,
    deferred: outcome.deferred,
    fieldManager,
    foreignOwners,
    outside,
    adopted,
    migrations,
    stats: { lists, dryRuns: toDryRun.length - outcome.deferred.length, unchangedWithoutDryRun: toApply.size - toDryRun.length },
  };
}
