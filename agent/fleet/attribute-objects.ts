import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';
import { classRefOf, clusterNameOf, isCapiCluster, isClusterClass, refsOf, type CapiRef } from './capi-refs.js';

/** The objects of one workload cluster, as rendered or as read from the management cluster. */
export interface ClusterObjects {
  /** `namespace/name` of the Cluster (`name` when it has no namespace). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /**
   * The Cluster object; undefined when objects name this cluster (by `spec.clusterName`, label
   * or owner) but no Cluster of that name is among the input — e.g. a Cluster removed from Git
   * while its pools stay.
   */
  readonly cluster: KubeObject | undefined;
  /** Every object of the cluster, the Cluster itself first, then in input order. */
  readonly objects: readonly KubeObject[];
  /** The ClusterClass a topology cluster uses (`namespace/name`); its objects are environment objects. */
  readonly classKey: string | undefined;
}

export interface Attribution {
  /** By cluster key, in the order their Clusters (or first objects) appear in the input. */
  readonly clusters: ReadonlyMap<string, ClusterObjects>;
  /** Everything that belongs to no single cluster, in input order. */
  readonly environment: readonly KubeObject[];
  /** Objects that more than one cluster claims (they are in `environment`), with the claimants. */
  readonly shared: ReadonlyArray<{ readonly object: KubeObject; readonly clusters: readonly string[] }>;
}

export interface AttributeOptions {
  /** Namespace assumed for namespaced objects that name none (the environment's namespace). */
  readonly defaultNamespace?: string | undefined;
}

/**
 * Attributes every object to the workload cluster it builds, by following CAPI references from
 * each Cluster: its control plane and infrastructure cluster (`spec.controlPlaneRef`,
 * `spec.infrastructureRef`), the pools and health checks that name it (`spec.clusterName`),
 * objects labelled `cluster.x-k8s.io/cluster-name` or owned by it, and transitively the
 * templates those reference (machine templates, bootstrap config templates, remediation
 * templates). v1beta2 and v1beta1 reference shapes are both understood.
 *
 * Everything else belongs to the environment. Deliberately so:
 * - a ClusterClass and the templates it references are environment objects even when a single
 *   cluster uses it: changing them rolls every cluster of the class, now or later, and a plan
 *   should not move them between buckets when a second cluster starts using the class;
 * - an object claimed by two clusters (say a shared KubeadmConfigTemplate) is an environment
 *   object and listed in `shared`, so deleting one cluster never takes it from the other.
 */
export function attributeObjects(objects: readonly KubeObject[], options: AttributeOptions = {}): Attribution {
  const nsOf = (o: KubeObject): string => o.metadata.namespace || options.defaultNamespace || '';
  const index = new Map<string, number[]>();
  objects.forEach((o, i) => {
    const k = objectKey(groupOf(o.apiVersion), o.kind, nsOf(o), o.metadata.name ?? '');
    const at = index.get(k);
    if (at) at.push(i);
    else index.set(k, [i]);
  });
  const claims = objects.map(() => new Set<string>());
  const classIndexes = new Set(objects.flatMap((o, i) => (isClusterClass(o) ? [i] : [])));
  const order: string[] = [];
  const seen = new Set<string>();
  const noteCluster = (key: string): void => {
    if (!seen.has(key)) order.push(key);
    seen.add(key);
  };

  // Roots: the Clusters, and every object that names its cluster.
  const work: Array<[number, string]> = [];
  objects.forEach((o, i) => {
    if (isCapiCluster(o)) {
      const key = clusterKey(nsOf(o), o.metadata.name ?? '');
      noteCluster(key);
      work.push([i, key]);
    }
  });
  objects.forEach((o, i) => {
    if (isCapiCluster(o) || classIndexes.has(i)) return;
    const name = clusterNameOf(o);
    if (name === undefined) return;
    const key = clusterKey(nsOf(o), name);
    noteCluster(key);
    work.push([i, key]);
  });
  // Follow references; a ClusterClass (and so its templates) is never claimed by a cluster.
  while (work.length) {
    const [i, key] = work.pop()!;
    if (classIndexes.has(i) || claims[i]!.has(key)) continue;
    claims[i]!.add(key);
    for (const ref of refsOf(objects[i]!, nsOf(objects[i]!))) {
      for (const j of index.get(refKeyOf(ref)) ?? []) work.push([j, key]);
    }
  }

  const members = new Map<string, number[]>(order.map((k) => [k, []]));
  const environment: KubeObject[] = [];
  const shared: Array<{ object: KubeObject; clusters: string[] }> = [];
  const position = new Map(order.map((k, i) => [k, i]));
  objects.forEach((o, i) => {
    const owners = [...claims[i]!];
    if (owners.length === 1) members.get(owners[0]!)!.push(i);
    else {
      environment.push(o);
      // In `order`'s order (sorting the few claimants, not scanning every cluster: linear in the fleet).
      if (owners.length > 1) shared.push({ object: o, clusters: owners.sort((a, b) => position.get(a)! - position.get(b)!) });
    }
  });

  const clusters = new Map<string, ClusterObjects>();
  for (const key of order) {
    const idx = members.get(key)!;
    const clusterIdx = idx.find((i) => isCapiCluster(objects[i]!));
    const cluster = clusterIdx === undefined ? undefined : objects[clusterIdx];
    if (idx.length === 0) continue; // every object it named is shared
    const [namespace, name] = splitKey(key);
    const classRef = cluster ? classRefOf(cluster, namespace) : undefined;
    clusters.set(key, {
      key,
      namespace,
      name,
      cluster,
      objects: [...(clusterIdx === undefined ? [] : [clusterIdx]), ...idx.filter((i) => i !== clusterIdx)].map((i) => objects[i]!),
      classKey: classRef ? clusterKey(classRef.namespace, classRef.name) : undefined,
    });
  }
  return { clusters, environment, shared };
}

/** `namespace/name`, or `name` without a namespace. */
export function clusterKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
}

function objectKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}|${kind}|${namespace}|${name}`;
}

function refKeyOf(ref: CapiRef): string {
  return objectKey(ref.group, ref.kind, ref.namespace, ref.name);
}

