// Fault injection (issue 8): `drover apply` as a child process against a PRIVATE control plane
// (this file kills its kube-apiserver and pauses its etcd; the shared plane is never touched).
// Drover talks to the apiserver through a TLS pass-through (test/support/fault-kube-proxy.ts)
// that shows the test each request, so a fault lands at an exact moment: the kube-apiserver is
// SIGKILLed at the second write of each apply stage and at the first DELETE of a prune, etcd is
// SIGSTOPped for longer than the apiserver's request timeout. After each fault: everything a
// write was sent for is in the inventory (pending) before any re-run; after the re-run: live
// objects = desired, inventory = live owned set (nothing pending), no DELETE of anything the
// inventory did not hold, the foreign object untouched; exit 1 for the faulted run, 0 for the
// re-run. A Drover that lost the apiserver cannot give its environment Lease back: the first
// re-run shows the refusal (exit 1, holder and expiry named); later ones expire the Lease first.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeExit, startDrover, summarizeExit, type DroverExit } from '../support/fault-drover.js';
import { startFaultScene, type FaultScene } from '../support/fault-env.js';
import { revision, stageOfResource, type FaultFleetRevision } from '../support/fault-fleet.js';

/** The private apiserver answers 504 after this long when etcd does not answer. */
const REQUEST_TIMEOUT_S = 8;

let scene: FaultScene;
let current: FaultFleetRevision = revision(0);
const table: string[] = [];
let refusalSeen = false;

beforeAll(async () => {
  scene = await startFaultScene({ name: 'faults-api', gitRoot: inject('gitRoot'), gitServerUrl: inject('gitServerUrl'), first: current, apiserverArgs: [`--request-timeout=${REQUEST_TIMEOUT_S}s`] });
  expect(await scene.problems(current)).toEqual([]);
}, 600_000);

afterAll(async () => {
  console.log(`faults × outcome (faults-apiserver):\n${table.join('\n')}`);
  await scene?.close();
});

/** Re-run after the fault and the common checks; returns the table's outcome cell. */
async function rerunAndCheck(next: FaultFleetRevision, owned: ReadonlySet<string>, from: number): Promise<string> {
  const { refused, leaseExpired, exit } = await scene.rerun([], {}, { expireLeaseFirst: refusalSeen });
  if (refused) {
    refusalSeen = true;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is being applied by drover-cli@\S+ since \S+ \(Lease drover-system\/drover-apply-faults, expires at \S+ unless renewed\)/);
  }
  expect(exit.code, describeExit(exit)).toBe(0);
  current = next;
  expect(await scene.problems(current)).toEqual([]);
  expect(scene.deletesOutside(owned, from)).toEqual([]);
  const foreign = await scene.admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: scene.namespace, name: 'foreign' });
  expect(foreign?.metadata.uid).toBe(scene.foreign.metadata.uid);
  const lease = refused ? `re-run refused (${summarizeExit(refused)}); after the Lease expired: ` : leaseExpired ? 'Lease left held (expired by the test); ' : '';
  return `${lease}re-run ${summarizeExit(exit)}; converged`;
}

describe('kube-apiserver SIGKILLed during each apply stage, restarted, re-run', () => {
  const stages = ['namespaces and CRDs', 'ClusterClasses and templates', 'Clusters, control planes and pools', 'the rest'];
  for (let stage = 0; stage < 4; stage++) {
    it(`stage ${stage} (${stages[stage]}): what was sent is in the inventory, the re-run converges`, async () => {
      const next = revision(current.rev + 1);
      await scene.commit(next, `rev ${next.rev}`);
      const owned = await scene.inventoryNames();
      const from = scene.proxy.log.length;
      let writes = 0;
      // The second write of the stage (its only one for the Namespace): some writes landed, some did not.
      const killAt = stage === 0 ? 1 : 2;
      scene.proxy.setHook((req) => {
        if (!req.write || req.method === 'DELETE' || stageOfResource(req.resource) !== stage) return 'pass';
        if (req.resource === 'configmaps' && req.namespace !== scene.namespace) return 'pass';
        if (++writes === killAt) scene.plane.signal('kubeApiserver', 'SIGKILL');
        return 'pass';
      });
      const faulted = await scene.apply();
      scene.proxy.setHook(undefined);
      await scene.plane.restartKubeApiserver();
      expect(writes, 'the fault was reached').toBeGreaterThanOrEqual(killAt);
      expect(faulted.code, describeExit(faulted)).toBe(1);
      // Crash safety: whatever was sent is in the inventory (pending) before the re-run.
      expect(await scene.writesNotInInventory(from)).toEqual([]);
      const named = faulted.stderr.includes(`ConfigMap/drover-system/drover-inventory-${scene.environment}`);
      const outcome = await rerunAndCheck(next, owned, from);
      table.push(`| SIGKILL kube-apiserver at write ${killAt} of stage ${stage} (${stages[stage]}), restart | faulted ${summarizeExit(faulted)}${named ? ' (the inventory store failure named too)' : ''} | ${outcome} |`);
    });
  }

  it('during prune (first DELETE): the re-run finishes the prune and deletes only inventory objects', async () => {
    // Three ConfigMaps go (within the prune limit); the clusters stay.
    const next: FaultFleetRevision = { ...current, configMaps: current.configMaps - 3, rev: current.rev + 1 };
    await scene.commit(next, `rev ${next.rev}: three ConfigMaps less`);
    const owned = await scene.inventoryNames();
    const from = scene.proxy.log.length;
    let deletes = 0;
    scene.proxy.setHook((req) => {
      if (req.method === 'DELETE' && !req.dryRun && req.resource === 'configmaps' && ++deletes === 1) scene.plane.signal('kubeApiserver', 'SIGKILL');
      return 'pass';
    });
    const faulted = await scene.apply();
    scene.proxy.setHook(undefined);
    await scene.plane.restartKubeApiserver();
    expect(deletes).toBeGreaterThanOrEqual(1);
    expect(faulted.code, describeExit(faulted)).toBe(1);
    const outcome = await rerunAndCheck(next, owned, from);
    expect(scene.deletes(from).filter((d) => d.startsWith('ConfigMap/')).length).toBeLessThanOrEqual(3);
    table.push(`| SIGKILL kube-apiserver at the first DELETE of a prune (3 stale ConfigMaps), restart | faulted ${summarizeExit(faulted)} | ${outcome}; every DELETE was of an inventory object |`);
  });
});

describe('etcd paused (SIGSTOP) longer than the request timeout', () => {
  it('the writes answer 504 (outcome unknown), the run exits 1; after SIGCONT the re-run converges', async () => {
    const next = revision(current.rev + 1);
    await scene.commit(next, `rev ${next.rev}`);
    const owned = await scene.inventoryNames();
    const from = scene.proxy.log.length;
    let resumed: Promise<void> | undefined;
    const pauseS = REQUEST_TIMEOUT_S + 7;
    scene.proxy.setHook((req) => {
      if (!resumed && req.write && req.resource === 'configmaps' && req.namespace === scene.namespace) {
        scene.plane.signal('etcd', 'SIGSTOP');
        resumed = new Promise((r) => setTimeout(() => {
          scene.plane.signal('etcd', 'SIGCONT');
          r();
        }, pauseS * 1000));
      }
      return 'pass';
    });
    let faulted: DroverExit;
    try {
      faulted = await startDrover(scene.applyArgs(), { cwd: scene.work }).done;
    } finally {
      scene.proxy.setHook(undefined);
      await resumed;
    }
    expect(faulted.code, describeExit(faulted)).toBe(1);
    expect(faulted.stderr).toMatch(/504|Timeout|timeout/);
    expect(await scene.writesNotInInventory(from)).toEqual([]);
    const outcome = await rerunAndCheck(next, owned, from);
    table.push(`| etcd SIGSTOP for ${pauseS} s (apiserver --request-timeout=${REQUEST_TIMEOUT_S}s) at the first ConfigMap write, then SIGCONT | faulted ${summarizeExit(faulted)} | ${outcome} |`);
  });
});

describe('kube-apiserver paused (SIGSTOP): it accepts connections and never answers', () => {
  it('each request gives up after --request-timeout, the run exits 1 naming the silence; after SIGCONT the re-run converges', async () => {
    const next = revision(current.rev + 1);
    await scene.commit(next, `rev ${next.rev}`);
    const owned = await scene.inventoryNames();
    const from = scene.proxy.log.length;
    let paused = false;
    scene.proxy.setHook((req) => {
      if (!paused && req.write && req.resource === 'configmaps' && req.namespace === scene.namespace) {
        paused = true;
        scene.plane.signal('kubeApiserver', 'SIGSTOP');
      }
      return 'pass';
    });
    let faulted: DroverExit;
    const t0 = Date.now();
    try {
      faulted = await startDrover(scene.applyArgs(['--request-timeout', '3']), { cwd: scene.work }).done;
    } finally {
      scene.proxy.setHook(undefined);
      if (paused) scene.plane.signal('kubeApiserver', 'SIGCONT');
    }
    const heldMs = Date.now() - t0;
    expect(paused).toBe(true);
    expect(faulted.code, describeExit(faulted)).toBe(1);
    expect(faulted.stderr).toContain('got no answer within 3 s (the apiserver is not answering)');
    expect(await scene.writesNotInInventory(from)).toEqual([]);
    const outcome = await rerunAndCheck(next, owned, from);
    table.push(`| kube-apiserver SIGSTOP at the first ConfigMap write (drover --request-timeout 3), SIGCONT when drover exited after ${(heldMs / 1000).toFixed(0)} s | faulted ${summarizeExit(faulted)} | ${outcome} |`);
  });
});
