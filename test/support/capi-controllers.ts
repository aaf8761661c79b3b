// The real Cluster API controllers against the local control plane (control-plane.ts): CAPI core,
// kubeadm bootstrap (CABPK), kubeadm control plane (KCP) and CAPD with its in-memory backend
// (DevCluster/DevMachine: fake machines and fake workload-cluster apiservers, no Docker), plus
// kube-controller-manager with only the garbage-collector and namespace controllers, so that
// deleting a Cluster cascades through ownerReferences and namespaces really go away.
//
// Start: CRDs rendered from each component's config/crd kustomization (conversion webhook and
// contract labels) replace the plane's v1beta2-only CRDs, so v1beta1 objects are converted by the
// real webhooks; the managers start with one self-signed serving certificate (SAN 127.0.0.1); once
// each answers /readyz (which includes its webhook server) the 42 admission webhooks are
// registered. Stop: the webhook configurations go first, then the processes.
//
// CAPD binds fixed ports (:19000 and the workload apiservers' :20000–30000), so only one set of
// controllers can run per machine: the e2e-capi vitest project runs its files one at a time, and
// a machine-wide lock makes a second run (tests, the demo) wait until the first one's
// controllers stop. Controllers that outlive their process (`npm run cluster -- up --capi`) take
// no lock: stop them with `npm run cluster -- down` before running the e2e tests.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CAPI_MANAGERS, ensureCapiBinaries, type CapiBinaryOptions, type CapiManager } from './capi-binaries.js';
import { applyWebhookConfiguration, deleteWebhookConfigurations, labelPacketCrds, readWebhookConfigurations, renderWebhookCrds } from './capi-webhooks.js';
import { installCrds } from './crd-install.js';
import { findFreePorts } from './free-ports.js';
import { acquireMachineLock, type MachineLock } from './machine-lock.js';
import { closeKubeEndpoint, type KubeEndpoint } from './kube-request.js';
import { createPlaneCertificates } from './plane-certificates.js';
import { readLogTail, spawnPlaneProcess, stopProcessGroups, type PlaneProcess } from './plane-process.js';
import { waitUntil } from './wait-until.js';

export interface CapiControllersOptions extends CapiBinaryOptions {
  /** Admin kubeconfig of the control plane the controllers reconcile. */
  kubeconfigPath: string;
  /** Directory for certificates, logs and pid files (<dir>/<name>.log, <dir>/<name>.pid). */
  dir: string;
  /** Keep the controllers running after this process exits (`npm run cluster -- up --capi`). */
  survivesParent?: boolean;
  /** Upper bound for each readiness wait; 180 s unless set. */
  readyTimeoutMs?: number;
}

export type CapiProcessName = CapiManager | 'kube-controller-manager';

export interface CapiControllers {
  readonly capiVersion: string;
  readonly pids: Readonly<Record<CapiProcessName, number>>;
  readonly logs: Readonly<Record<CapiProcessName, string>>;
  readonly timings: { readonly buildMs: Readonly<Record<string, number>>; readonly startToReadyMs: number };
  /** Deletes the webhook configurations, then stops the managers and kube-controller-manager. */
  stop(): Promise<void>;
}

/** https endpoint and admin credentials of an admin kubeconfig written by admin-kubeconfig.ts. */
export function endpointFromKubeconfig(text: string): KubeEndpoint {
  const kc = parse(text) as { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }> };
  const cluster = kc.clusters[0]?.cluster;
  const user = kc.users[0]?.user;
  const b64 = (v: string | undefined, what: string) => {
    if (!v) throw new Error(`kubeconfig has no ${what}`);
    return Buffer.from(v, 'base64').toString('utf8');
  };
  return { server: cluster?.server ?? '', caCert: b64(cluster?.['certificate-authority-data'], 'certificate-authority-data'), clientCert: b64(user?.['client-certificate-data'], 'client-certificate-data'), clientKey: b64(user?.['client-key-data'], 'client-key-data') };
}

export async function startCapiControllers(opts: CapiControllersOptions): Promise<CapiControllers> {
  const binaries = await ensureCapiBinaries(opts);
  const lock: MachineLock | undefined = opts.survivesParent
    ? undefined
    : await acquireMachineLock('capd-ports', (path) => console.error(`drover: waiting for another run's Cluster API controllers to stop (CAPD binds fixed ports; lock ${path})`));
  const ep = endpointFromKubeconfig(await readFile(opts.kubeconfigPath, 'utf8'));
  const timeoutMs = opts.readyTimeoutMs ?? 180_000;
  const processes: PlaneProcess[] = [];
  const pidFiles: Array<Promise<void>> = [];
  const stop = async () => {
    try {
      await deleteWebhookConfigurations(ep);
    } finally {
      for (const p of [...processes].reverse()) await p.stop();
      closeKubeEndpoint(ep);
      await lock?.release();
    }
  };
  try {
    const t0 = Date.now();
    await mkdir(opts.dir, { recursive: true });
    const certs = await createPlaneCertificates(join(opts.dir, 'webhook-pki'));
    const certDir = join(opts.dir, 'webhook-certs');
    await mkdir(certDir, { recursive: true });
    await copyFile(certs.servingCertPath, join(certDir, 'tls.crt'));
    await copyFile(certs.servingKeyPath, join(certDir, 'tls.key'));
    const ports = await findFreePorts(CAPI_MANAGERS.length * 3 + 1);
    const port = (i: number) => ports[i]!;
    const webhookUrl = (i: number) => `https://127.0.0.1:${port(i * 3)}`;

    const crds = CAPI_MANAGERS.flatMap((m, i) => renderWebhookCrds(binaries.configDirs[m], webhookUrl(i), certs.caCert));
    await installCrds(ep, crds, { timeoutMs });
    await labelPacketCrds(ep);

    const spawn = (name: CapiProcessName, binary: string, args: string[], env?: Record<string, string>) => {
      const p = spawnPlaneProcess(name, binary, args, { logPath: join(opts.dir, `${name}.log`), survivesParent: opts.survivesParent ?? false, ...(env ? { env } : {}) });
      processes.push(p);
      pidFiles.push(writeFile(join(opts.dir, `${name}.pid`), String(p.pid)));
      return p;
    };
    const managers = CAPI_MANAGERS.map((m, i) => {
      const args = [
        `--kubeconfig=${opts.kubeconfigPath}`,
        `--webhook-port=${port(i * 3)}`,
        `--webhook-cert-dir=${certDir}`,
        `--health-addr=127.0.0.1:${port(i * 3 + 1)}`,
        `--diagnostics-address=127.0.0.1:${port(i * 3 + 2)}`,
        '--insecure-diagnostics',
        '--leader-elect=false',
        ...(m === 'capi-core' ? ['--feature-gates=ClusterTopology=true'] : []),
      ];
      // CAPD's in-memory backend serves the fake workload apiservers on POD_IP.
      return { name: m, process: spawn(m, binaries.managers[m], args, m === 'capd' ? { POD_IP: '127.0.0.1' } : undefined), health: port(i * 3 + 1) };
    });
    const kcmPort = port(CAPI_MANAGERS.length * 3);
    if (binaries.kubeControllerManager) spawn('kube-controller-manager', binaries.kubeControllerManager, [
      `--kubeconfig=${opts.kubeconfigPath}`,
      '--controllers=garbage-collector-controller,namespace-controller',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      '--use-service-account-credentials=false',
      `--cert-dir=${join(opts.dir, 'kube-controller-manager-certs')}`,
    ]);

    const exited = () => {
      const dead = processes.find((p) => p.hasExited());
      return dead ? new Error(`${dead.name} exited during startup; last lines of ${dead.logPath}:\n${readLogTail(dead.logPath)}`) : undefined;
    };
    await Promise.all(managers.map((m) => waitUntil(async () => {
      const res = await fetch(`http://127.0.0.1:${m.health}/readyz`);
      if (res.status !== 200) throw new Error(`/readyz HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return true;
    }, { what: `${m.name} 127.0.0.1:${m.health}/readyz`, timeoutMs, intervalMs: 250, abort: exited })));
    if (binaries.kubeControllerManager) await waitUntil(() => probeHealthz(kcmPort), { what: `kube-controller-manager 127.0.0.1:${kcmPort}/healthz`, timeoutMs, intervalMs: 250, abort: exited });
    for (const [i, m] of CAPI_MANAGERS.entries()) {
      for (const cfg of await readWebhookConfigurations(m, binaries.configDirs[m], webhookUrl(i), certs.caCert)) await applyWebhookConfiguration(ep, cfg);
    }
    await Promise.all(pidFiles);
    const pids = Object.fromEntries(processes.map((p) => [p.name, p.pid])) as Record<CapiProcessName, number>;
    const logs = Object.fromEntries(processes.map((p) => [p.name, p.logPath])) as Record<CapiProcessName, string>;
    return { capiVersion: binaries.capiVersion, pids, logs, timings: { buildMs: binaries.timingsMs, startToReadyMs: Date.now() - t0 }, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** For controllers started by an earlier process (`npm run cluster -- down`): webhooks first, then the processes. */
export async function stopCapiControllersByPid(kubeconfigPath: string, pids: readonly number[]): Promise<void> {
  const ep = endpointFromKubeconfig(await readFile(kubeconfigPath, 'utf8'));
  try {
    await deleteWebhookConfigurations(ep);
  } finally {
    closeKubeEndpoint(ep);
    await stopProcessGroups(pids);
  }
}

/** kube-controller-manager serves /healthz over TLS with its own self-signed certificate (loopback only). */
function probeHealthz(port: number): Promise<true | undefined> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? true : undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
