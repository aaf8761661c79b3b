import { isCluster, isPool } from '../core/capi-rules.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { formatRef, groupOf, refKey } from '../core/object-ref.js';
import type { InfrastructureProvider, MachineShape } from './provider.js';

/** How many machines of which shape one control plane or pool has live and asks for in Git. */
export interface MachineDemand {
  /** `namespace/name` of the Cluster. */
  readonly cluster: string;
  /** `Kind/ns/name` of the KubeadmControlPlane, MachineDeployment or MachinePool. */
  readonly owner: string;
  readonly provider: InfrastructureProvider;
  /** Live: undefined for a new pool (or one whose shape cannot be told). */
  readonly from?: { readonly shape: MachineShape; readonly replicas: number } | undefined;
  /** Desired: undefined for a pool Git no longer declares. */
  readonly to?: { readonly shape: MachineShape; readonly replicas: number } | undefined;
}

export interface DemandInput {
  readonly desired: readonly KubeObject[];
  readonly live: readonly KubeObject[];
  /** refKeys Drover owns: a live pool missing from Git counts as removed only when owned. */
  readonly owned?: ReadonlySet<string> | undefined;
  /** The provider for a group and kind, or undefined. */
  readonly providerFor: (group: string, kind: string) => InfrastructureProvider | undefined;
}

/**
 * Machines asked for per control plane and pool, desired against live, for the pools whose
 * infrastructure template belongs to a configured provider. Explicit objects only (KCP,
 * MachineDeployment, MachinePool); a ClusterClass topology is not expanded. Pure.
 */
export function computeMachineDemand(input: DemandInput): MachineDemand[] {
  const desiredSide = indexSide(input.desired);
  const liveSide = indexSide(input.live);
  const out: MachineDemand[] = [];
  const seen = new Set<string>();
  for (const o of input.desired) {
    if (!isMachineOwner(o)) continue;
    const key = refKey(toRef(o));
    seen.add(key);
    const to = shapeOf(o, desiredSide, input.providerFor);
    const liveObj = liveSide.byKey.get(key);
    const from = liveObj ? shapeOf(liveObj, liveSide, input.providerFor) : undefined;
    const provider = to?.provider ?? from?.provider;
    if (!provider) continue;
    out.push({ cluster: clusterOf(o, desiredSide), owner: formatRef(toRef(o)), provider, from: from && { shape: from.shape, replicas: from.replicas }, to: to && { shape: to.shape, replicas: to.replicas } });
  }
  for (const o of input.live) {
    if (!isMachineOwner(o)) continue;
    const key = refKey(toRef(o));
    if (seen.has(key) || (input.owned && !input.owned.has(key))) continue;
    const from = shapeOf(o, liveSide, input.providerFor);
    if (from) out.push({ cluster: clusterOf(o, liveSide), owner: formatRef(toRef(o)), provider: from.provider, from: { shape: from.shape, replicas: from.replicas } });
  }
  return out;
}

/** Machines of `shape` that must be found beyond what runs now: all of them for a new shape. */
export function addedMachines(d: MachineDemand): number {
  if (!d.to) return 0;
  const same = d.from && d.from.shape.type === d.to.shape.type && d.from.shape.location === d.to.shape.location;
  return Math.max(0, d.to.replicas - (same ? d.from!.replicas : 0));
}

interface Side {
  readonly byKey: Map<string, KubeObject>;
  /** `namespace/name` → Cluster. */
  readonly clusters: Map<string, KubeObject>;
  /** `namespace/name` of a control plane → the name of the Cluster whose controlPlaneRef names it. */
  readonly controlPlaneOf: Map<string, string>;
}

function indexSide(objects: readonly KubeObject[]): Side {
  const byKey = new Map<string, KubeObject>();
  const clusters = new Map<string, KubeObject>();
  const controlPlaneOf = new Map<string, string>();
  for (const o of objects) {
    byKey.set(refKey(toRef(o)), o);
    if (!isCluster(o)) continue;
    clusters.set(`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o);
    const cp = refAt(o, ['spec', 'controlPlaneRef']);
    if (cp) controlPlaneOf.set(`${o.metadata.namespace ?? ''}/${cp.name}`, o.metadata.name ?? '');
  }
  return { byKey, clusters, controlPlaneOf };
}

function isMachineOwner(o: KubeObject): boolean {
  return isPool(o) || (o.kind === 'KubeadmControlPlane' && groupOf(o.apiVersion).startsWith('controlplane.'));
}

function shapeOf(owner: KubeObject, side: Side, providerFor: DemandInput['providerFor']): { provider: InfrastructureProvider; shape: MachineShape; replicas: number } | undefined {
  const ref = templateRefOf(owner);
  if (!ref) return undefined;
  const provider = providerFor(ref.group, ref.kind);
  if (!provider) return undefined;
  const ns = owner.metadata.namespace ?? '';
  const template = findObject(side, ref.group, ref.kind, ns, ref.name);
  if (!template) return undefined;
  const cluster = side.clusters.get(`${ns}/${clusterNameOf(owner, side)}`);
  const infraRef = cluster ? refAt(cluster, ['spec', 'infrastructureRef']) : undefined;
  const infraCluster = infraRef ? findObject(side, infraRef.group, infraRef.kind, ns, infraRef.name) : undefined;
  const shape = provider.toMachineShape(template, infraCluster);
  if (!shape) return undefined;
  const replicas = (owner.spec as { replicas?: unknown } | undefined)?.replicas;
  return { provider, shape, replicas: typeof replicas === 'number' ? replicas : 1 };
}

function findObject(side: Side, group: string, kind: string, namespace: string, name: string): KubeObject | undefined {
  return side.byKey.get(`${group}|${kind}|${namespace}|${name}`);
}

function templateRefOf(owner: KubeObject): { group: string; kind: string; name: string } | undefined {
  if (owner.kind === 'KubeadmControlPlane') return refAt(owner, ['spec', 'machineTemplate', 'spec', 'infrastructureRef']) ?? refAt(owner, ['spec', 'machineTemplate', 'infrastructureRef']);
  return refAt(owner, ['spec', 'template', 'spec', 'infrastructureRef']);
}

/** A v1beta2 `{apiGroup, kind, name}` or v1beta1 `{apiVersion, kind, name}` reference. */
function refAt(o: KubeObject, path: readonly string[]): { group: string; kind: string; name: string } | undefined {
  let v: unknown = o;
  for (const seg of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as { apiGroup?: unknown; apiVersion?: unknown; kind?: unknown; name?: unknown };
  const group = typeof r.apiGroup === 'string' ? r.apiGroup : typeof r.apiVersion === 'string' ? groupOf(r.apiVersion) : undefined;
  if (group === undefined || typeof r.kind !== 'string' || typeof r.name !== 'string') return undefined;
  return { group, kind: r.kind, name: r.name };
}

function clusterNameOf(owner: KubeObject, side: Side): string {
  const viaCluster = side.controlPlaneOf.get(`${owner.metadata.namespace ?? ''}/${owner.metadata.name ?? ''}`);
  if (viaCluster !== undefined) return viaCluster;
  const spec = owner.spec as { clusterName?: unknown } | undefined;
  if (typeof spec?.clusterName === 'string') return spec.clusterName;
  const label = owner.metadata.labels?.['cluster.x-k8s.io/cluster-name'];
  if (label) return label;
  return owner.metadata.ownerReferences?.find((r) => r.kind === 'Cluster')?.name ?? '';
}

function clusterOf(owner: KubeObject, side: Side): string {
  return `${owner.metadata.namespace ?? ''}/${clusterNameOf(owner, side)}`;
}
