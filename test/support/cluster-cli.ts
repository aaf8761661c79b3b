// `npm run cluster -- up [--capi]|down|env|status`: the integration tests' control plane (etcd +
// kube-apiserver + CAPI v1beta2 and Packet CRDs) for people, running in the background until
// `down`; with --capi also the real Cluster API controllers of the e2e-capi tests (core, kubeadm
// bootstrap and control plane, CAPD's in-memory backend, kube-controller-manager), so clusters
// applied with drover really come up. State lives in .cache/cluster/: state.json, kubeconfig, and
// run/ (certificates, etcd data, logs, pid files; run/capi/ for the controllers).
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCapiControllers, stopCapiControllersByPid } from './capi-controllers.js';
import { startControlPlane, type ControlPlaneVersions } from './control-plane.js';
import { closeKubeEndpoint, requestKube } from './kube-request.js';
import { isProcessAlive, stopProcessGroups } from './plane-process.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STATE_DIR = join(ROOT, '.cache', 'cluster');
const RUN_DIR = join(STATE_DIR, 'run');
const STATE_FILE = join(STATE_DIR, 'state.json');
const KUBECONFIG = join(STATE_DIR, 'kubeconfig');

interface ClusterState {
  server: string;
  pids: { etcd: number; kubeApiserver: number };
  versions: ControlPlaneVersions;
  startedAt: string;
  /** Set by `up --capi`: the controllers' pids (stopped first, after their webhooks are removed). */
  capi?: { version: string; pids: Record<string, number> };
}

const USAGE = `usage: npm run cluster -- <command>

  up      build (first time) and start etcd + kube-apiserver with the Cluster API CRDs in the background
  up --capi   the same plus the real CAPI controllers (core, kubeadm bootstrap and control plane,
          CAPD's in-memory provider) and kube-controller-manager: DevCluster clusters really come up
          (first run: ~15-30 min of Go builds)
  down    stop them and delete their state (${relative(ROOT, STATE_DIR)}/)
  env     print the shell line that points kubectl and drover at the cluster
  status  say whether the cluster is up (exit 0) or down (exit 1)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const capi = command === 'up' && rest[0] === '--capi';
  if (capi) rest.shift();
  if (rest.length > 0 || command === undefined) return usage(command === undefined ? 'missing command' : `unexpected arguments: ${rest.join(' ')}`);
  switch (command) {
    case 'up': return up(capi);
    case 'down': return down();
    case 'env': return env();
    case 'status': return status();
    case '-h': case '--help': case 'help': process.stdout.write(USAGE); return 0;
    default: return usage(`unknown command "${command}"`);
  }
}

function usage(problem: string): number {
  process.stderr.write(`cluster: ${problem}\n\n${USAGE}`);
  return 1;
}

async function readState(): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(STATE_FILE, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Up when both processes run and kube-apiserver answers /readyz with the admin certificate. */
async function isUp(state: ClusterState | undefined): Promise<boolean> {
  if (!state || !isProcessAlive(state.pids.etcd) || !isProcessAlive(state.pids.kubeApiserver)) return false;
  const pki = join(RUN_DIR, 'pki');
  const ep = {
    server: state.server,
    caCert: await readFile(join(pki, 'ca.crt'), 'utf8'),
    clientCert: await readFile(join(pki, 'admin.crt'), 'utf8'),
    clientKey: await readFile(join(pki, 'admin.key'), 'utf8'),
  };
  try {
    return (await requestKube(ep, { path: '/readyz', timeoutMs: 5_000 })).status === 200;
  } catch {
    return false;
  } finally {
    closeKubeEndpoint(ep);
  }
}

/** Every pid the state file or the pid files name (pid files cover an `up` interrupted before state.json). */
async function knownPids(state: ClusterState | undefined): Promise<number[]> {
  const pids = new Set<number>(state ? [state.pids.etcd, state.pids.kubeApiserver] : []);
  for (const dir of [RUN_DIR, join(RUN_DIR, 'capi')]) {
    const files = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.pid')) : [];
    for (const f of files) {
      const pid = Number((await readFile(join(dir, f), 'utf8')).trim());
      if (Number.isInteger(pid) && pid > 0) pids.add(pid);
    }
  }
  return [...pids];
}

function describe(state: ClusterState): string {
  const v = state.versions;
  const crds = `kube-apiserver ${v.kubeApiserver} at ${state.server}, etcd ${v.etcd}, CRDs cluster-api ${v.capi}`;
  return state.capi
    ? `${crds} + cluster-api-provider-packet ${v.capp}; cluster-api ${state.capi.version} controllers (core, kubeadm bootstrap, kubeadm control plane, CAPD in-memory) and kube-controller-manager`
    : `${crds} (v1beta2 only) + cluster-api-provider-packet ${v.capp}`;
}

function printHowTo(state: ClusterState | undefined): void {
  process.stdout.write(`
export KUBECONFIG=${KUBECONFIG}

Then kubectl and drover talk to it, e.g.:
  kubectl get crds
  bin/drover --help          (drover reads KUBECONFIG like kubectl)
Stop it with: npm run cluster -- down
${state?.capi
    ? `The CAPI controllers reconcile what you apply: fleet-example's in-memory environment (DevCluster/DevMachine)
really provisions; Packet clusters stay Provisioning (no Packet provider runs). Logs: ${relative(ROOT, join(RUN_DIR, 'capi'))}/`
    : 'No kube-controller-manager or CAPI controllers run: objects are stored and validated, not reconciled (up --capi runs them).'}
`);
}

async function up(capi: boolean): Promise<number> {
  const previous = await readState();
  if (await isUp(previous) && (!capi || previous!.capi)) {
    process.stdout.write(`cluster is already up: ${describe(previous!)}\n`);
    printHowTo(previous);
    return 0;
  }
  if (previous?.capi) await stopCapiControllersByPid(KUBECONFIG, Object.values(previous.capi.pids)).catch(() => undefined);
  await stopProcessGroups(await knownPids(previous)); // leftovers of a crashed or interrupted run
  await rm(STATE_DIR, { recursive: true, force: true });
  await mkdir(RUN_DIR, { recursive: true });

  // An interrupt while starting must not leave detached processes behind.
  const onSignal = () => {
    void knownPids(undefined).then((pids) => stopProcessGroups(pids, 2_000)).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stderr.write('cluster: starting etcd and kube-apiserver (the first run builds them from the Go module proxy, a few minutes)\n');
  const plane = await startControlPlane({ dir: RUN_DIR, kubeconfigPath: KUBECONFIG, survivesParent: true });
  const state: ClusterState = { server: plane.server, pids: plane.pids, versions: plane.versions, startedAt: new Date().toISOString() };
  await writeFile(STATE_FILE, JSON.stringify(state, null, 2) + '\n');
  if (capi) {
    process.stderr.write('cluster: starting the Cluster API controllers (the first run builds five Go binaries, 15-30 min on 2 cores)\n');
    const controllers = await startCapiControllers({ kubeconfigPath: KUBECONFIG, dir: join(RUN_DIR, 'capi'), survivesParent: true });
    state.capi = { version: controllers.capiVersion, pids: { ...controllers.pids } };
    await writeFile(STATE_FILE, JSON.stringify(state, null, 2) + '\n');
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const t = plane.timings;
  process.stdout.write(`cluster is up: ${describe(state)} (plane ready in ${(t.totalMs / 1000).toFixed(1)} s)\n`);
  printHowTo(state);
  return 0;
}

async function down(): Promise<number> {
  const state = await readState();
  const pids = await knownPids(state);
  if (pids.length === 0 && !existsSync(STATE_DIR)) {
    process.stdout.write('cluster is not running\n');
    return 0;
  }
  if (state?.capi) await stopCapiControllersByPid(KUBECONFIG, Object.values(state.capi.pids)).catch(() => undefined);
  await stopProcessGroups(pids);
  await rm(STATE_DIR, { recursive: true, force: true });
  process.stdout.write('cluster is down\n');
  return 0;
}

async function env(): Promise<number> {
  const state = await readState();
  if (!(await isUp(state))) {
    process.stderr.write('cluster: the cluster is down; start it with: npm run cluster -- up\n');
    return 1;
  }
  process.stdout.write(`export KUBECONFIG=${KUBECONFIG}\n`);
  return 0;
}

async function status(): Promise<number> {
  const state = await readState();
  if (await isUp(state)) {
    process.stdout.write(`up: ${describe(state!)}\nKUBECONFIG=${KUBECONFIG}\n`);
    return 0;
  }
  process.stdout.write(state ? 'down (stale state from an earlier run; `up` replaces it, `down` removes it)\n' : 'down\n');
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
