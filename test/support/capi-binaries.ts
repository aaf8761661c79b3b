// The binaries of the real Cluster API controllers the e2e-capi tests and `npm run cluster -- up
// --capi` run: the CAPI core, kubeadm bootstrap and kubeadm control plane managers, CAPD (whose
// in-memory backend is the infrastructure provider) and kube-controller-manager (garbage collector
// and namespace controllers), each built from the Go module proxy by its script in build/ and
// cached in .cache/bin/<name>-v<version>/; plus the `config/` directories of the four managers
// (CRD kustomizations and admission webhook manifests), read from the Go module cache.
import { runBuildScript } from './plane-binaries.js';

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

/** Builds (or finds cached) the five binaries one after another, then finds the config directories. */
export async function ensureCapiBinaries(opts: CapiBinaryOptions = {}): Promise<CapiBinaries> {
  const log = opts.log ?? ((chunk: string) => process.stderr.write(chunk));
  const capiArgs = opts.capiVersion ? [opts.capiVersion.replace(/^v/, '')] : [];
  const timingsMs: Record<string, number> = {};
  const timed = async (name: string, script: string, args: string[]): Promise<string[]> => {
    const t0 = Date.now();
    const out = await runBuildScript(script, args, log);
    timingsMs[name] = Date.now() - t0;
    if (out.length === 0) throw new Error(`${script} printed no result path`);
    return out;
  };
  const managers = {} as Record<CapiManager, string>;
  for (const m of CAPI_MANAGERS) managers[m] = (await timed(m, `build-${m}.sh`, capiArgs)).at(-1)!;
  const [kubeControllerManager] = opts.kubeControllerManager === false ? [] : await timed('kube-controller-manager', 'build-kube-controller-manager.sh', opts.kubeVersion ? [opts.kubeVersion.replace(/^v/, '')] : []);
  const dirs = await timed('config', 'download-capi-config.sh', capiArgs);
  if (dirs.length !== CAPI_MANAGERS.length) throw new Error(`download-capi-config.sh printed ${dirs.length} directories, expected ${CAPI_MANAGERS.length}`);
  const configDirs = Object.fromEntries(CAPI_MANAGERS.map((m, i) => [m, dirs[i]!])) as Record<CapiManager, string>;
  const capiVersion = /\/cluster-api@(v[^/]+)\//.exec(dirs[0]!)?.[1] ?? 'unknown';
  return { managers, kubeControllerManager, configDirs, capiVersion, timingsMs };
}
