import type { KubeObject } from './kube-object.js';
import { formatRef, groupOf } from './object-ref.js';

/**
 * Where one environment may write: its own namespace, plus what drover.yaml allows it
 * explicitly (`environments[].allow`). The fleet stage fills it from drover.yaml; apply and plan
 * check every desired object against it. An environment without a `namespace` has no home to
 * compare with: only the cluster-scoped rule applies to it.
 */
export interface EnvironmentScope {
  readonly environment: string;
  /** The environment's namespace (drover.yaml `namespace`). */
  readonly namespace: string | undefined;
  /** Other namespaces it may write to (`allow.namespaces`). */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds it may write (`allow.clusterScoped`): `Kind` or `Kind.group`. */
  readonly clusterScoped: readonly string[];
  /** Where the allow-list is, for messages: `drover.yaml environments[1].allow`. */
  readonly allowAt: string;
}

/**
 * Why the environment may not write `obj` (undefined: it may). A cluster-scoped object is
 * allowed when its kind is listed, or when it is the Namespace of the environment or of an
 * allowed namespace; a namespaced one when its namespace is the environment's or listed.
 * Objects without a namespace whose kind the server does not serve count as cluster-scoped.
 */
export function outsideScope(obj: KubeObject, scope: EnvironmentScope): string | undefined {
  const ref = formatRef({ kind: obj.kind, namespace: obj.metadata.namespace || undefined, name: obj.metadata.name ?? '' });
  const ns = obj.metadata.namespace;
  if (!ns) {
    const group = groupOf(obj.apiVersion);
    if (obj.kind === 'Namespace' && group === '' && (obj.metadata.name === scope.namespace || scope.namespaces.includes(obj.metadata.name ?? ''))) return undefined;
    if (scope.clusterScoped.some((k) => k === obj.kind || k === `${obj.kind}.${group}`)) return undefined;
    const kind = group ? `${obj.kind}.${group}` : obj.kind;
    return `${ref} is cluster-scoped: environment ${scope.environment} writes a cluster-scoped kind only when drover.yaml allows it (add ${kind} to ${scope.allowAt}.clusterScoped)`;
  }
  if (!scope.namespace || ns === scope.namespace || scope.namespaces.includes(ns)) return undefined;
  return `${ref} is outside environment ${scope.environment}'s namespace ${scope.namespace}: add ${ns} to ${scope.allowAt}.namespaces in drover.yaml to write there`;
}

/** The message of an object another environment's inventory owns (plan finding and apply refusal alike). */
export function formatForeignOwner(ref: string, environment: string, owner: string, inventory: string): string {
  return `${ref} belongs to environment ${owner} (listed in its inventory ${inventory}): environment ${environment} may not take it over; declare it in one environment only`;
}
