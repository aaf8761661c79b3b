// One fault-injection scene: a private control plane (its own etcd and kube-apiserver, which the
// test may kill), the TLS pass-through Drover talks to it through (fault-kube-proxy.ts), a fleet
// repository on the run's git server, and `drover apply` as a child process. The checks after a
// fault and a re-run live here too, so every faults-*.int.test.ts asserts the same things.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchInventory } from '../../agent/apply/inventory-store.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import type { KubeClient } from '../../agent/kube/kube-client.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { acceptedDeletes, adminClient, convergenceProblems, runDrover, type DroverExit } from './fault-drover.js';
import { FLEET_KINDS, fleetFiles, fleetObjects, type FaultFleetRevision } from './fault-fleet.js';
import { startFaultKubeProxy, type FaultKubeProxy } from './fault-kube-proxy.js';
import { expireEnvironmentLease } from './fault-lease.js';
import { commitFiles, createRepo } from './git-repo.js';

export const INVENTORY_NS = 'drover-system';

const PLURAL_KIND: Record<string, string> = {
  configmaps: 'ConfigMap', clusters: 'Cluster', machinedeployments: 'MachineDeployment', kubeadmcontrolplanes: 'KubeadmControlPlane',
  kubeadmconfigtemplates: 'KubeadmConfigTemplate', packetclusters: 'PacketCluster', packetmachinetemplates: 'PacketMachineTemplate', namespaces: 'Namespace',
};

export interface FaultScene {
  readonly plane: ControlPlane;
  readonly proxy: FaultKubeProxy;
  readonly admin: KubeClient;
  readonly work: string;
  readonly environment: string;
  readonly namespace: string;
  readonly repoUrl: string;
  /** Commits revision `r` on main. */
  commit(r: FaultFleetRevision, message: string): Promise<void>;
  /** `drover apply` of main through the proxy, to its end. */
  apply(extra?: readonly string[], env?: Record<string, string>): Promise<DroverExit>;
  /** The argv `apply` uses (for runs the test starts itself). */
  applyArgs(extra?: readonly string[]): string[];
  /**
   * A re-run after a fault. A Drover that could not give its environment Lease back leaves it
   * held for its 60 s: a re-run inside that time is refused naming the holder (exit 1); then the
   * Lease's expiry is simulated by back-dating it, and the run is made again.
   */
  rerun(extra?: readonly string[], env?: Record<string, string>, options?: { expireLeaseFirst?: boolean }): Promise<{ refused?: DroverExit | undefined; leaseExpired: boolean; exit: DroverExit }>;
  /** convergenceProblems for revision `r`. */
  problems(r: FaultFleetRevision): Promise<string[]>;
  /** `Kind/name` of every inventory entry (pending ones included). */
  inventoryNames(): Promise<Set<string>>;
  /** Objects a write was sent for since log index `from` that the inventory does not hold. */
  writesNotInInventory(from: number): Promise<string[]>;
  /** Accepted DELETEs since `from` of objects not in `owned` (Leases aside). */
  deletesOutside(owned: ReadonlySet<string>, from: number): string[];
  /** Accepted DELETEs since `from`, as `Kind/name`. */
  deletes(from: number): string[];
  /** A ConfigMap in the environment's namespace that Drover never wrote. */
  readonly foreign: KubeObject;
  close(): Promise<void>;
}

export async function startFaultScene(options: { name: string; gitRoot: string; gitServerUrl: string; first: FaultFleetRevision; apiserverArgs?: readonly string[] }): Promise<FaultScene> {
  const id = Date.now().toString(36);
  const environment = 'faults';
  const namespace = `${options.name}-${id}`;
  const repo = `${options.name}-${id}`;
  const work = await mkdtemp(join(tmpdir(), `drover-${options.name}-`));
  const plane = await startControlPlane({ ...(options.apiserverArgs ? { apiserverArgs: options.apiserverArgs } : {}) });
  const proxy = await startFaultKubeProxy(plane);
  const admin = adminClient(plane.kubeconfigPath);
  const repoUrl = `${options.gitServerUrl}/${repo}.git`;
  const applyArgs = (extra: readonly string[] = []) => ['apply', '--repo', repoUrl, '--ref', 'main', '--env', environment, '--kubeconfig', proxy.kubeconfigPath, '--cache-dir', join(work, 'cache'), ...extra];
  const apply = (extra: readonly string[] = [], env: Record<string, string> = {}) => runDrover(applyArgs(extra), { cwd: work, env });
  const inventoryNames = async () => {
    const inv = await fetchInventory(admin, { environment, namespace: INVENTORY_NS });
    return new Set([...inv.values()].map((e) => `${e.kind}/${e.name}`));
  };
  const nameOf = (resource: string | undefined, name: string | undefined) => `${PLURAL_KIND[resource ?? ''] ?? resource}/${name ?? ''}`;
  await createRepo(options.gitRoot, repo, fleetFiles(environment, namespace, options.first), { message: 'first' });
  const first = await apply();
  if (first.code !== 0) throw new Error(`the first apply failed: exit ${first.code}\n${first.stderr}`);
  const foreign = await admin.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foreign', namespace }, data: { owner: 'someone else' } }, { dryRun: false, force: true });
  const scene: FaultScene = {
    plane, proxy, admin, work, environment, namespace, repoUrl, foreign, applyArgs, apply, inventoryNames,
    commit: async (r, message) => {
      await commitFiles(options.gitRoot, repo, fleetFiles(environment, namespace, r), { message });
    },
    async rerun(extra = [], env = {}, opts = {}) {
      // Saves a run where the refusal was asserted once already: the Lease expires first.
      const held = opts.expireLeaseFirst ? await expireEnvironmentLease(admin, INVENTORY_NS, environment) : false;
      let exit = await apply(extra, env);
      let refused: DroverExit | undefined;
      if (exit.code !== 0 && /is being applied by drover-cli@/.test(exit.stderr)) {
        refused = exit;
        await expireEnvironmentLease(admin, INVENTORY_NS, environment);
        exit = await apply(extra, env);
      }
      return { refused, leaseExpired: held || refused !== undefined, exit };
    },
    problems: (r) => convergenceProblems({ client: admin, environment, inventoryNamespace: INVENTORY_NS, desired: fleetObjects(namespace, r), kinds: FLEET_KINDS, namespace }),
    async writesNotInInventory(from) {
      const owned = await inventoryNames();
      const sent = proxy.log.slice(from).filter((r) => r.write && r.method !== 'DELETE' && r.name && PLURAL_KIND[r.resource ?? ''] && !(r.resource === 'configmaps' && r.namespace === INVENTORY_NS));
      return [...new Set(sent.map((r) => nameOf(r.resource, r.name)))].filter((k) => !owned.has(k));
    },
    deletesOutside: (owned, from) => scene.deletes(from).filter((d) => !owned.has(d)),
    deletes: (from) => acceptedDeletes(proxy.log.slice(from)).filter((d) => !d.startsWith('leases/')).map((d) => {
      const [plural, , name] = d.split('/');
      return nameOf(plural, name);
    }),
    async close() {
      await proxy.close();
      await plane.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
  return scene;
}
