// The binaries of the real Cluster API controllers the e2e-capi tests and `npm run cluster -- up
// --capi` run: the CAPI core, kubeadm bootstrap and kubeadm control plane managers, CAPD (whose
// in-memory backend is the infrastructure provider) and kube-controller-manager (garbage collector
// and namespace controllers), each built from the Go module proxy by its script in build/ and
// cached in .cache/bin/<name>-v<version>/ (registry entries: build/binaries.ts capiControllerSpecs); plus the `config/` directories of the four managers
// (CRD kustomizations and admission webhook manifests), read from the Go module cache.
import { capiControllerSpecs, preparePrerequisites } from './build/binaries.js';

export const CAPI_MANAGERS = ['capi-core', 'capi-kubeadm-bootstrap', 'capi-kubeadm-control-plane', 'capd'] as const;
export type CapiManager = (typeof CAPI_MANAGERS)[number];

export interface CapiBinaries {
  readonly managers: Readonly<Record<CapiManager, string>>;
  /** Undefined when not asked for (`kubeControllerManager: false`). */
  readonly kubeControllerManager: string | undefined;
  /** `config/` directory of each manager: crd/kustomization.yaml and webhook/manifests.yaml. */
  readonly configDirs: Readonly<Record<CapiManager, string>>;
  /** e.g. "v1.14.2" */
  readonly capiVersion: string;
  /** Wall time of each script, in ms (a few ms when cached). */
  readonly timingsMs: Readonly<Record<string, number>>;
}

export interface CapiBinaryOptions {
  /** sigs.k8s.io/cluster-api version, e.g. "1.14.2" (script default when unset). */
  capiVersion?: string;
  /** kube-controller-manager version, e.g. "1.36.3". */
  kubeVersion?: string;
  log?: (chunk: string) => void;
  /** Build and run kube-controller-manager (default true); without it nothing is garbage collected. */
  kubeControllerManager?: boolean;
}

/** Builds (or finds cached) the five binaries one after another (registry entries in build/binaries.ts), then finds the config directories. */
export async function ensureCapiBinaries(opts: CapiBinaryOptions = {}): Promise<CapiBinaries> {
  const strip = (v: string | undefined) => v?.replace(/^v/, '');
  const specs = capiControllerSpecs(strip(opts.capiVersion), strip(opts.kubeVersion)).filter((s) => opts.kubeControllerManager !== false || s.name !== 'kube-controller-manager');
  const log = opts.log;
  const r = await preparePrerequisites(specs, log ? { log: (line) => log(`${line}\n`) } : {});
  const path = (name: string): string => {
    const p = r.get(name)?.path;
    if (!p) throw new Error(`${name}: its build script printed no result path`);
    return p;
  };
  const managers = Object.fromEntries(CAPI_MANAGERS.map((m) => [m, path(m)])) as Record<CapiManager, string>;
  const dirs = r.get('capi-config')?.lines ?? [];
  if (dirs.length !== CAPI_MANAGERS.length) throw new Error(`download-capi-config.sh printed ${dirs.length} directories, expected ${CAPI_MANAGERS.length}`);
  const configDirs = Object.fromEntries(CAPI_MANAGERS.map((m, i) => [m, dirs[i]!])) as Record<CapiManager, string>;
  const capiVersion = /\/cluster-api@(v[^/]+)\//.exec(dirs[0]!)?.[1] ?? 'unknown';
  const timingsMs = Object.fromEntries([...r].map(([name, res]) => [name, res.ms]));
  return { managers, kubeControllerManager: opts.kubeControllerManager === false ? undefined : path('kube-controller-manager'), configDirs, capiVersion, timingsMs };
}
