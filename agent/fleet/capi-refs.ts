import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';

/** A reference from one CAPI object to another, resolved to group, kind, namespace and name. */
export interface CapiRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export const CAPI_GROUP = 'cluster.x-k8s.io';
export const CONTROL_PLANE_GROUP = 'controlplane.cluster.x-k8s.io';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

type FieldPath = readonly string[];

/**
 * Where each CAPI kind keeps references to the objects it needs, in both API versions.
 * v1beta2 refs are `{apiGroup, kind, name}` in the referrer's namespace; v1beta1 refs are
 * `{apiVersion, kind, name, namespace?}`; ClusterClass `templateRef`s are `{apiVersion, kind, name}`.
 * Checked against the cluster-api v1.14 CRD schemas (core, kubeadm bootstrap and control plane).
 */
const REF_FIELDS: Readonly<Record<string, readonly FieldPath[]>> = {
  [`${CAPI_GROUP}/Cluster`]: [
    ['spec', 'controlPlaneRef'],
    ['spec', 'infrastructureRef'],
  ],
  [`${CONTROL_PLANE_GROUP}/KubeadmControlPlane`]: [
    ['spec', 'machineTemplate', 'spec', 'infrastructureRef'], // v1beta2
    ['spec', 'machineTemplate', 'infrastructureRef'], // v1beta1
  ],
  [`${CAPI_GROUP}/MachineDeployment`]: poolRefs(),
  [`${CAPI_GROUP}/MachineSet`]: poolRefs(),
  [`${CAPI_GROUP}/MachinePool`]: poolRefs(),
  [`${CAPI_GROUP}/Machine`]: [
    ['spec', 'bootstrap', 'configRef'],
    ['spec', 'infrastructureRef'],
  ],
  [`${CAPI_GROUP}/MachineHealthCheck`]: [
    ['spec', 'remediation', 'templateRef'], // v1beta2
    ['spec', 'remediationTemplate'], // v1beta1
  ],
};

function poolRefs(): FieldPath[] {
  return [
    ['spec', 'template', 'spec', 'bootstrap', 'configRef'],
    ['spec', 'template', 'spec', 'infrastructureRef'],
  ];
}

/** `group/Kind` of an object, the key of REF_FIELDS. */
export function groupKind(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  return `${groupOf(obj.apiVersion)}/${obj.kind}`;
}

export function isCapiCluster(obj: KubeObject): boolean {
  return groupKind(obj) === `${CAPI_GROUP}/Cluster`;
}

export function isClusterClass(obj: KubeObject): boolean {
  return groupKind(obj) === `${CAPI_GROUP}/ClusterClass`;
}

/** The objects `obj` references through the CAPI fields of its kind (ClusterClass included). */
export function refsOf(obj: KubeObject, namespace: string): CapiRef[] {
  if (isClusterClass(obj)) return classTemplateRefs(obj, namespace);
  const fields = REF_FIELDS[groupKind(obj)] ?? [];
  return fields.map((f) => toCapiRef(valueAt(obj, f), namespace)).filter((r): r is CapiRef => r !== undefined);
}

/**
 * The cluster that `obj` names through `spec.clusterName` (MachineDeployment, MachineSet,
 * MachinePool, Machine, MachineHealthCheck), else through the `cluster.x-k8s.io/cluster-name`
 * label, else through an owner reference to a Cluster (live objects); undefined otherwise.
 */
export function clusterNameOf(obj: KubeObject): string | undefined {
  const spec = obj.spec as { clusterName?: unknown } | undefined;
  if (groupOf(obj.apiVersion) === CAPI_GROUP && typeof spec?.clusterName === 'string' && spec.clusterName) return spec.clusterName;
  const label = obj.metadata.labels?.[CLUSTER_NAME_LABEL];
  if (label) return label;
  const owner = obj.metadata.ownerReferences?.find((o) => o.kind === 'Cluster' && groupOf(o.apiVersion) === CAPI_GROUP);
  return owner?.name;
}

/** The ClusterClass a topology Cluster uses: v1beta2 `spec.topology.classRef`, v1beta1 `spec.topology.class`. */
export function classRefOf(cluster: KubeObject, namespace: string): { namespace: string; name: string } | undefined {
  const topology = (cluster.spec as { topology?: Record<string, unknown> } | undefined)?.topology;
  if (!topology) return undefined;
  const classRef = topology.classRef as { name?: unknown; namespace?: unknown } | undefined;
  if (typeof classRef?.name === 'string') {
    return { name: classRef.name, namespace: typeof classRef.namespace === 'string' ? classRef.namespace : namespace };
  }
  if (typeof topology.class === 'string') {
    return { name: topology.class, namespace: typeof topology.classNamespace === 'string' ? topology.classNamespace : namespace };
  }
  return undefined;
}

/** Every template a ClusterClass points at: any `templateRef` (v1beta2) or `ref` (v1beta1) object with a kind. */
function classTemplateRefs(obj: KubeObject, namespace: string): CapiRef[] {
  const refs: CapiRef[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'templateRef' || key === 'ref' || key === 'remediationTemplate') {
        const ref = toCapiRef(child, namespace);
        if (ref) refs.push(ref);
      } else if (key !== 'variables' && key !== 'patches') walk(child);
    }
  };
  walk(obj.spec);
  return refs;
}

function toCapiRef(value: unknown, namespace: string): CapiRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.kind !== 'string' || typeof v.name !== 'string') return undefined;
  const group = typeof v.apiGroup === 'string' ? v.apiGroup : typeof v.apiVersion === 'string' ? groupOf(v.apiVersion) : undefined;
  if (group === undefined) return undefined;
  return { group, kind: v.kind, name: v.name, namespace: typeof v.namespace === 'string' && v.namespace ? v.namespace : namespace };
}

function valueAt(obj: unknown, path: FieldPath): unknown {
  let v = obj;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}
