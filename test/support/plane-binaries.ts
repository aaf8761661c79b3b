// The control plane's binaries and CRD directories, from the test prerequisites registry
// (test/support/build/binaries.ts): etcd and kube-apiserver built from the Go module proxy, and
// the CAPI/CAPP modules holding the CRDs. Cached entries cost a stat (the CRD download a `go mod
// download` of a cached module); under `npm test` the pre-test step has prepared all of them.
// A missing Go toolchain or an unreachable proxy fails here, with the script's own message.
import { crdsSpec, etcdSpec, kubeApiserverSpec, preparePrerequisites } from './build/binaries.js';

export interface PlaneVersionOptions {
  /** Kubernetes version of kube-apiserver, e.g. "1.36.3" (registry default when unset). */
  kubeVersion?: string;
  /** etcd server version, e.g. "3.6.16". */
  etcdVersion?: string;
  /** sigs.k8s.io/cluster-api version whose CRDs are installed, e.g. "1.14.2". */
  capiVersion?: string;
  /** sigs.k8s.io/cluster-api-provider-packet version, e.g. "0.9.0". */
  cappVersion?: string;
}

export interface PlaneBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  /** CRD base directories in the Go module cache: CAPI core, kubeadm bootstrap, kubeadm control plane, Packet. */
  readonly crdDirs: readonly string[];
  /** Wall time of each entry, in ms (about zero when cached). */
  readonly timingsMs: { readonly etcd: number; readonly kubeApiserver: number; readonly crds: number };
}

/** Builds (or finds cached) etcd and kube-apiserver and downloads the CRD modules, one after another. */
export async function ensurePlaneBinaries(opts: PlaneVersionOptions & { log?: (chunk: string) => void } = {}): Promise<PlaneBinaries> {
  const log = opts.log;
  const strip = (v: string | undefined) => v?.replace(/^v/, '');
  const specs = [etcdSpec(strip(opts.etcdVersion)), kubeApiserverSpec(strip(opts.kubeVersion)), crdsSpec(strip(opts.capiVersion), strip(opts.cappVersion))] as const;
  const r = await preparePrerequisites(specs, log ? { log: (line) => log(`${line}\n`) } : {});
  const etcd = r.get('etcd')!;
  const kubeApiserver = r.get('kube-apiserver')!;
  const crds = r.get('crds')!;
  if (!etcd.path || !kubeApiserver.path || crds.lines.length === 0) throw new Error('control plane build scripts printed no result path');
  return { etcd: etcd.path, kubeApiserver: kubeApiserver.path, crdDirs: crds.lines, timingsMs: { etcd: etcd.ms, kubeApiserver: kubeApiserver.ms, crds: crds.ms } };
}
