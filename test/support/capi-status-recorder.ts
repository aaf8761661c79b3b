// Records what the real CAPI controllers wrote during an e2e-capi run: the live objects of one
// namespace that health reads (Cluster, control plane, MachineDeployments, MachineSets, Machines,
// infrastructure machines and clusters), with managedFields dropped, as one JSON file per moment.
// Runs write into .cache/capi-status/<run>/; chosen moments are copied into
// test/fixtures/capi-status/ and checked against the health rule table by a unit test.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { endpointFromKubeconfig } from './capi-controllers.js';
import { closeKubeEndpoint, requestKube } from './kube-request.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RECORD_DIR = join(ROOT, '.cache', 'capi-status');

const RESOURCES = [
  'cluster.x-k8s.io/v1beta2/clusters',
  'controlplane.cluster.x-k8s.io/v1beta2/kubeadmcontrolplanes',
  'cluster.x-k8s.io/v1beta2/machinedeployments',
  'cluster.x-k8s.io/v1beta2/machinesets',
  'cluster.x-k8s.io/v1beta2/machines',
  'cluster.x-k8s.io/v1beta2/machinehealthchecks',
  'infrastructure.cluster.x-k8s.io/v1beta2/devclusters',
  'infrastructure.cluster.x-k8s.io/v1beta2/devmachines',
];

/** A recorded moment: the objects plus what the test knew at that time. */
export interface CapiStatusRecord {
  readonly scenario: string;
  readonly moment: string;
  readonly recordedAt: string;
  /** When Drover applied the revision under watch (the provisioning timeout counts from it). */
  readonly appliedAt?: string | undefined;
  /** What `drover status` said at this moment, one line per cluster. */
  readonly droverSaid?: readonly string[] | undefined;
  readonly objects: readonly KubeObject[];
}

/** The live objects of `namespace`, without managedFields, sorted by kind and name. */
export async function readCapiObjects(kubeconfigPath: string, namespace: string): Promise<KubeObject[]> {
  const ep = endpointFromKubeconfig(await readFile(kubeconfigPath, 'utf8'));
  try {
    const out: KubeObject[] = [];
    for (const r of RESOURCES) {
      const [group, version, plural] = r.split('/');
      const res = await requestKube(ep, { path: `/apis/${group}/${version}/namespaces/${namespace}/${plural}` });
      if (res.status !== 200) throw new Error(`list ${r} in ${namespace}: HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      const list = JSON.parse(res.body) as { items: KubeObject[] };
      for (const item of list.items) {
        const { managedFields: _dropped, ...metadata } = item.metadata;
        out.push({ ...item, apiVersion: `${group}/${version}`, kind: item.kind ?? kindOf(plural!), metadata });
      }
    }
    return out;
  } finally {
    closeKubeEndpoint(ep);
  }
}

function kindOf(plural: string): string {
  return plural.replace(/s$/, '');
}

/** Writes `<RECORD_DIR>/<scenario>/<nn>-<moment>.json`; resolves with the path. */
export async function recordCapiStatus(kubeconfigPath: string, namespace: string, record: Omit<CapiStatusRecord, 'objects' | 'recordedAt'>, seq: number): Promise<string> {
  const objects = await readCapiObjects(kubeconfigPath, namespace);
  const dir = join(RECORD_DIR, record.scenario);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${String(seq).padStart(3, '0')}-${record.moment}.json`);
  const full: CapiStatusRecord = { ...record, recordedAt: new Date().toISOString(), objects };
  await writeFile(file, JSON.stringify(full, null, 2) + '\n');
  return file;
}
