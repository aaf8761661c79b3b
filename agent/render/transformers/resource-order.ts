/**
 * Output order: kustomize's legacy order by default (Namespaces, ResourceQuotas, …, CRDs, …,
 * then every other kind by group/version/kind, webhooks last; within a kind by namespace then
 * name), or input order when `sortOptions.order` is `fifo`.
 */
import type { Resource } from '../kustomization/resource.js';
import { splitApiVersion } from '../kustomization/resource.js';

export const DEFAULT_ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole',
  'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
export const DEFAULT_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Go's string comparison: bytewise on UTF-8. UTF-16 order equals UTF-8 byte order except across
 * the surrogate range; `bytewise` says whether either string has a surrogate (known per sort key,
 * so the test is not repeated in every comparison of a sort).
 */
function goLess(a: string, b: string, bytewise: boolean): boolean {
  if (a === b) return false;
  if (bytewise) return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
  return a < b;
}

interface Key {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly gvkString: string;
  readonly idString: string;
  readonly rank: number;
  /** gvkString or idString has a UTF-16 surrogate: compare them as UTF-8 bytes. */
  readonly surrogate: boolean;
}

export function sortLegacy(resources: readonly Resource[], orderFirst = DEFAULT_ORDER_FIRST, orderLast = DEFAULT_ORDER_LAST): Resource[] {
  const ranks = new Map<string, number>();
  orderFirst.forEach((k, i) => ranks.set(k, -orderFirst.length + i));
  orderLast.forEach((k, i) => ranks.set(k, 1 + i));
  const keyed = resources.map((r) => {
    const id = r.curId();
    const { group, version } = splitApiVersion(r.apiVersion);
    const kind = id.kind;
    const gvkString = `${group || '~G'}_${version || '~V'}_${kind || '~K'}`;
    const idString = `${kind || '[noKind]'}.${version || '[noVer]'}.${group || '[noGrp]'}|${id.namespace || '~X'}|${id.name || '~N'}`;
    const key: Key = { group, version, kind, gvkString, idString, rank: ranks.get(kind) ?? 0, surrogate: SURROGATE.test(gvkString) || SURROGATE.test(idString) };
    return { r, key };
  });
  keyed.sort((x, y) => (less(x.key, y.key) ? -1 : less(y.key, x.key) ? 1 : 0));
  return keyed.map((k) => k.r);
}

function less(a: Key, b: Key): boolean {
  const sameGvk = a.group === b.group && a.version === b.version && a.kind === b.kind;
  if (!sameGvk) {
    if (a.rank !== b.rank) return a.rank < b.rank;
    const bytewise = a.surrogate || b.surrogate;
    if (a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '')) return goLess(b.gvkString, a.gvkString, bytewise);
    return goLess(a.gvkString, b.gvkString, bytewise);
  }
  return goLess(a.idString, b.idString, a.surrogate || b.surrogate);
}
