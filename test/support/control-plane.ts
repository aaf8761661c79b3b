// A real, local Kubernetes control plane for Drover's integration tests and `npm run cluster`:
// etcd and kube-apiserver built from their Go modules by test/support/build/*.sh, started
// envtest-style on free loopback ports with client-certificate auth, and the Cluster API v1beta2
// CRDs (core, kubeadm bootstrap, kubeadm control plane) plus the Packet provider CRDs installed.
//
// What this plane does NOT do, because no kube-controller-manager runs: namespace deletion
// (namespaces stay Terminating; test/support/namespace.ts finalizes them), ownerReference garbage
// collection (dependents stay; Foreground deletes hang on their finalizer), service-account and
// token creation. No CAPI controllers run either: objects are stored and validated by the CRD
// schemas, and nothing reconciles them (tests write `status` themselves where needed).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toAdminKubeconfig } from './admin-kubeconfig.js';
import { installCrds, loadCrdFile, loadCrdManifests, withUnservedVersions, type CrdManifest } from './crd-install.js';
import { findFreePorts } from './free-ports.js';
import { closeKubeEndpoint, requestKube, type KubeEndpoint } from './kube-request.js';
import { createPlaneCertificates, type PlaneCertificates } from './plane-certificates.js';
import { ensurePlaneBinaries, type PlaneBinaries, type PlaneVersionOptions } from './plane-binaries.js';
import { isProcessAlive, readLogTail, spawnPlaneProcess, type PlaneProcess } from './plane-process.js';
import { waitUntil } from './wait-until.js';

export interface ControlPlaneOptions extends PlaneVersionOptions {
  /** Directory for certificates, etcd data, logs and the kubeconfig; a new temp dir when unset. */
  dir?: string;
  /** Where to write the admin kubeconfig; `<dir>/kubeconfig` when unset. */
  kubeconfigPath?: string;
  /** Keep etcd and kube-apiserver running after this process exits (`npm run cluster -- up`). */
  survivesParent?: boolean;
  /** Receives the build scripts' progress output (default: stderr). */
  log?: (chunk: string) => void;
  /** Upper bound for each readiness wait; 120 s unless set. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags (fault tests: a short `--request-timeout`). */
  apiserverArgs?: readonly string[];
}

export interface ControlPlaneVersions {
  /** As reported by the running server's /version, e.g. "v1.36.3". */
  readonly kubeApiserver: string;
  /** As reported by the running etcd's /version, e.g. "v3.6.16". */
  readonly etcd: string;
  /** sigs.k8s.io/cluster-api module version the CRDs come from, e.g. "v1.14.2". */
  readonly capi: string;
  /** sigs.k8s.io/cluster-api-provider-packet module version, e.g. "v0.9.0". */
  readonly capp: string;
}

export interface ControlPlaneTimings {
  readonly buildMs: PlaneBinaries['timingsMs'];
  readonly certificatesMs: number;
  /** From spawning etcd until kube-apiserver is ready and the `default` namespace exists. */
  readonly startToReadyMs: number;
  readonly crdInstallMs: number;
  readonly totalMs: number;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  readonly kubeconfigPath: string;
  /** The admin kubeconfig (YAML) also written to `kubeconfigPath`. */
  readonly kubeconfig: string;
  readonly dir: string;
  readonly versions: ControlPlaneVersions;
  /** The current processes' ids (kube-apiserver's changes with each restart). */
  readonly pids: { readonly etcd: number; readonly kubeApiserver: number };
  /**
   * Sends a signal to one of the plane's processes (its whole process group): fault tests kill
   * kube-apiserver (SIGKILL) or pause etcd (SIGSTOP, then SIGCONT). Only for a plane of one's own.
   */
  signal(which: 'etcd' | 'kubeApiserver', signal: NodeJS.Signals): void;
  /**
   * Starts kube-apiserver again on the same port, with the same certificates and etcd (killing
   * the running one first if it is alive), and waits until it is ready.
   */
  restartKubeApiserver(): Promise<void>;
  readonly crdNames: readonly string[];
  readonly timings: ControlPlaneTimings;
  /** Stops kube-apiserver and etcd (whole process groups) and removes `dir` if it was created here. */
  stop(): Promise<void>;
}

/** Drover's Fleet CRD, installed with the CAPI ones. */
const FLEET_CRD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'manifests', 'crd-fleets.yaml');

/** CAPI versions that this plane does not serve: there is no conversion webhook to convert them. */
const UNSERVED_CAPI_VERSIONS = ['v1alpha1', 'v1beta1'] as const;
const START_ATTEMPTS = 3;
const TEMP_PREFIX = 'drover-plane-';
const OWNER_FILE = 'owner.pid';

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const t0 = Date.now();
  const binaries = await ensurePlaneBinaries(opts);
  const crds = await loadPlaneCrds(binaries.crdDirs);
  const ownDir = opts.dir === undefined;
  if (ownDir) await removeAbandonedPlaneDirs();
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), TEMP_PREFIX)));
  // A plane that outlives this process has no owner to outlive; its dir is never swept.
  if (ownDir && !opts.survivesParent) await writeFile(join(dir, OWNER_FILE), String(process.pid));
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  let processes: PlaneProcess[] = [];
  let endpoint: KubeEndpoint | undefined;
  const cleanup = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    if (endpoint) closeKubeEndpoint(endpoint);
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(dir, { recursive: true });
    const tCerts = Date.now();
    const certs = await createPlaneCertificates(join(dir, 'pki'));
    const tStart = Date.now();
    let started: StartedProcesses | undefined;
    for (let attempt = 1; !started; attempt++) {
      try {
        started = await startProcesses(binaries, certs, dir, opts.survivesParent ?? false, readyTimeoutMs, (p) => processes.push(p), opts.apiserverArgs ?? []);
      } catch (err) {
        for (const p of [...processes].reverse()) await p.stop();
        processes = [];
        if (attempt >= START_ATTEMPTS || !String(err).includes('address already in use')) throw err;
      }
    }
    endpoint = started.endpoint;
    const tCrds = Date.now();
    await installCrds(endpoint, crds.map((c) => c.crd), { timeoutMs: readyTimeoutMs });
    const tDone = Date.now();

    const kubeconfigPath = opts.kubeconfigPath ?? join(dir, 'kubeconfig');
    const kubeconfig = toAdminKubeconfig({ server: endpoint.server, caCert: certs.caCert, clientCert: certs.clientCert, clientKey: certs.clientKey });
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const versions: ControlPlaneVersions = {
      kubeApiserver: await fetchKubeVersion(endpoint),
      etcd: await fetchEtcdVersion(started.etcdUrl),
      capi: moduleVersion(binaries.crdDirs, 'sigs.k8s.io/cluster-api'),
      capp: moduleVersion(binaries.crdDirs, 'sigs.k8s.io/cluster-api-provider-packet'),
    };
    closeKubeEndpoint(endpoint);
    const ready = started;
    const current = (which: 'etcd' | 'kubeApiserver'): PlaneProcess => processes[which === 'etcd' ? 0 : 1]!;
    return {
      server: endpoint.server,
      kubeconfigPath,
      kubeconfig,
      dir,
      versions,
      get pids() {
        return { etcd: current('etcd').pid, kubeApiserver: current('kubeApiserver').pid };
      },
      signal(which, signal) {
        const p = current(which);
        if (!p.hasExited()) {
          try {
            process.kill(-p.pid, signal);
          } catch {
            // already gone
          }
        }
      },
      async restartKubeApiserver() {
        const old = current('kubeApiserver');
        if (!old.hasExited()) {
          process.kill(-old.pid, 'SIGKILL');
          await old.exited;
        }
        const etcd = current('etcd');
        const kas = await startKubeApiserver(binaries, certs, dir, ready.securePort, ready.etcdUrl, opts.survivesParent ?? false, readyTimeoutMs, opts.apiserverArgs ?? [], etcd);
        processes[1] = kas.process;
        closeKubeEndpoint(kas.endpoint);
      },
      crdNames: crds.map((c) => c.crd.metadata.name),
      timings: {
        buildMs: binaries.timingsMs,
        certificatesMs: tStart - tCerts,
        startToReadyMs: tCrds - tStart,
        crdInstallMs: tDone - tCrds,
        totalMs: Date.now() - t0,
      },
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** CAPI CRDs lose their unserved versions; the Packet CRDs (v1beta1 only) are installed as they are. */
async function loadPlaneCrds(dirs: readonly string[]): Promise<Array<{ file: string; crd: CrdManifest }>> {
  const out: Array<{ file: string; crd: CrdManifest }> = [];
  for (const dir of dirs) {
    const isCapi = dir.includes('/sigs.k8s.io/cluster-api@');
    for (const { file, crd } of await loadCrdManifests(dir)) {
      out.push({ file, crd: isCapi ? withUnservedVersions(crd, UNSERVED_CAPI_VERSIONS) : crd });
    }
  }
  // Drover's own: the Fleet resource the agent watches.
  out.push(...(await loadCrdFile(FLEET_CRD)));
  return out;
}

interface StartedProcesses {
  endpoint: KubeEndpoint;
  etcdUrl: string;
  securePort: number;
}

async function startProcesses(
  binaries: PlaneBinaries, certs: PlaneCertificates, dir: string, survivesParent: boolean, timeoutMs: number,
  track: (p: PlaneProcess) => void, apiserverArgs: readonly string[],
): Promise<StartedProcesses> {
  const [etcdPort, peerPort, securePort] = await findFreePorts(3);
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const dataDir = join(dir, 'etcd');
  await rm(dataDir, { recursive: true, force: true });
  const etcd = spawnPlaneProcess('etcd', binaries.etcd, [
    `--data-dir=${dataDir}`,
    '--name=default',
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ], { logPath: join(dir, 'etcd.log'), survivesParent });
  track(etcd);
  await writeFile(join(dir, 'etcd.pid'), String(etcd.pid));
  await waitUntil(async () => {
    const res = await fetch(`${etcdUrl}/health`);
    return ((await res.json()) as { health?: string }).health === 'true' ? true : undefined;
  }, { what: `etcd ${etcdUrl}/health`, timeoutMs, abort: () => exitedError(etcd) });
  const kas = await startKubeApiserver(binaries, certs, dir, securePort!, etcdUrl, survivesParent, timeoutMs, apiserverArgs, etcd, track);
  return { endpoint: kas.endpoint, etcdUrl, securePort: securePort! };
}

async function startKubeApiserver(
  binaries: PlaneBinaries, certs: PlaneCertificates, dir: string, securePort: number, etcdUrl: string, survivesParent: boolean,
  timeoutMs: number, extraArgs: readonly string[], etcd: PlaneProcess, track?: (p: PlaneProcess) => void,
): Promise<{ endpoint: KubeEndpoint; process: PlaneProcess }> {
  const server = `https://127.0.0.1:${securePort}`;
  const kas = spawnPlaneProcess('kube-apiserver', binaries.kubeApiserver, [
    `--etcd-servers=${etcdUrl}`,
    `--secure-port=${securePort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--tls-cert-file=${certs.servingCertPath}`,
    `--tls-private-key-file=${certs.servingKeyPath}`,
    `--client-ca-file=${certs.caCertPath}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    `--service-account-issuer=${server}/`,
    `--service-account-key-file=${certs.saPublicKeyPath}`,
    `--service-account-signing-key-file=${certs.saKeyPath}`,
    '--disable-admission-plugins=ServiceAccount',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    ...extraArgs,
  ], { logPath: join(dir, 'kube-apiserver.log'), survivesParent });
  track?.(kas);
  await writeFile(join(dir, 'kube-apiserver.pid'), String(kas.pid));
  const endpoint: KubeEndpoint = { server, caCert: certs.caCert, clientCert: certs.clientCert, clientKey: certs.clientKey };
  const abort = () => exitedError(kas) ?? exitedError(etcd);
  try {
    await waitUntil(async () => {
      const res = await requestKube(endpoint, { path: '/readyz', timeoutMs: 5_000 });
      if (res.status !== 200) throw new Error(`/readyz HTTP ${res.status}: ${res.body.split('\n').filter((l) => l.includes('failed')).join('; ')}`);
      return true;
    }, { what: `kube-apiserver ${server}/readyz`, timeoutMs, abort });
    // The `default` namespace is created by a post-start hook shortly after readiness (envtest waits too).
    await waitUntil(async () => {
      const res = await requestKube(endpoint, { path: '/api/v1/namespaces/default' });
      return res.status === 200 ? true : undefined;
    }, { what: 'namespace default', timeoutMs, abort });
  } catch (err) {
    if (!track) await kas.stop();
    throw err;
  }
  return { endpoint, process: kas };
}

function exitedError(p: PlaneProcess): Error | undefined {
  if (!p.hasExited()) return undefined;
  return new Error(`${p.name} exited during startup; last lines of ${p.logPath}:\n${readLogTail(p.logPath)}`);
}

async function fetchKubeVersion(ep: KubeEndpoint): Promise<string> {
  const res = await requestKube(ep, { path: '/version' });
  return (JSON.parse(res.body) as { gitVersion: string }).gitVersion;
}

async function fetchEtcdVersion(etcdUrl: string): Promise<string> {
  const res = await fetch(`${etcdUrl}/version`);
  return `v${((await res.json()) as { etcdserver: string }).etcdserver}`;
}

/** The module version in a module-cache path: ".../sigs.k8s.io/cluster-api@v1.14.2/core/..." → "v1.14.2". */
function moduleVersion(dirs: readonly string[], module: string): string {
  for (const d of dirs) {
    const m = d.match(new RegExp(`/${module.replace(/\./g, '\\.')}@(v[^/]+)/`));
    if (m?.[1]) return m[1];
  }
  return 'unknown';
}

/**
 * Removes temp dirs of planes whose owning process died without stopping them (SIGKILL, OOM);
 * their etcd and kube-apiserver died with it (see plane-process.ts), the files stayed.
 */
async function removeAbandonedPlaneDirs(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => 'NaN'));
    if (Number.isInteger(owner) && owner > 0 && !isProcessAlive(owner)) await rm(dir, { recursive: true, force: true });
  }
}
