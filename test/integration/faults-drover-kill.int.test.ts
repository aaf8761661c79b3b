// Fault injection (issue 8): Drover itself SIGKILLed mid-apply, at three exact moments seen from
// outside the process (test/support/fault-kube-proxy.ts holds the request, the test kills
// `drover apply`, the request is dropped unsent): after every dry-run, before the first write
// (the inventory's intent); after the intent, before the first object write; after the object
// writes, before the inventory store. Each time the environment is then reverted (the commit
// before) and applied again: the revert must delete exactly what the killed run wrote and
// nothing else, then the change applied cleanly must converge (live = desired, inventory = live
// owned set, nothing pending, the foreign object untouched). Private control plane, child process.
// Why from outside and not a debug pause option in the product: the proxy sees every request of
// the real client, so the moments are exact and deterministic, and product code gets no path
// that exists only for tests.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeExit, startDrover, summarizeExit, type DroverProcess } from '../support/fault-drover.js';
import { INVENTORY_NS, startFaultScene, type FaultScene } from '../support/fault-env.js';
import type { FaultFleetRevision } from '../support/fault-fleet.js';
import type { KubeRequestInfo } from '../support/fault-kube-proxy.js';

let scene: FaultScene;
let current: FaultFleetRevision = { clusters: 2, configMaps: 2, rev: 0 };
const table: string[] = [];

beforeAll(async () => {
  scene = await startFaultScene({ name: 'faults-kill', gitRoot: inject('gitRoot'), gitServerUrl: inject('gitServerUrl'), first: current });
}, 600_000);

afterAll(async () => {
  console.log(`faults × outcome (faults-drover-kill):\n${table.join('\n')}`);
  await scene?.close();
});

const isInventoryWrite = (r: KubeRequestInfo) => r.write && r.resource === 'configmaps' && r.namespace === INVENTORY_NS && r.name === `drover-inventory-${scene.environment}`;
const isObjectWrite = (r: KubeRequestInfo) => r.write && r.method !== 'DELETE' && r.resource !== 'leases' && !isInventoryWrite(r);

const moments: Array<{ name: string; at: (r: KubeRequestInfo, counts: { inventory: number; objects: number }) => boolean; wroteObjects: boolean }> = [
  { name: 'after the dry-runs, before the first write (the intent store)', at: (r, c) => isInventoryWrite(r) && c.inventory === 1, wroteObjects: false },
  { name: 'after the intent store, before the first object write', at: (r, c) => isObjectWrite(r) && c.objects === 1, wroteObjects: false },
  { name: 'after the object writes, before the inventory store', at: (r, c) => isInventoryWrite(r) && c.inventory === 2, wroteObjects: true },
];

describe('drover apply SIGKILLed mid-apply, then reverted and re-applied', () => {
  for (const moment of moments) {
    it(moment.name, async () => {
      const before = current;
      // Three new ConfigMaps and a changed one: a revert prunes three (within the prune limit).
      const next: FaultFleetRevision = { ...current, configMaps: current.configMaps + 3, rev: current.rev + 1 };
      await scene.commit(next, `rev ${next.rev}`);
      const from = scene.proxy.log.length;
      const counts = { inventory: 0, objects: 0 };
      const proc: { run?: DroverProcess } = {};
      let killed = false;
      scene.proxy.setHook(async (r) => {
        if (killed) return 'drop';
        if (isInventoryWrite(r)) counts.inventory++;
        if (isObjectWrite(r)) counts.objects++;
        if (!moment.at(r, counts)) return 'pass';
        killed = true;
        await proc.run!.kill();
        return 'drop';
      });
      proc.run = startDrover(scene.applyArgs(), { cwd: scene.work });
      const faulted = await proc.run.done;
      scene.proxy.setHook(undefined);
      expect(killed, `the moment was reached\n${describeExit(faulted)}`).toBe(true);
      expect(faulted.signal).toBe('SIGKILL');
      expect(await scene.writesNotInInventory(from)).toEqual([]);
      const pendingAfterKill = [...(await scene.inventoryNames())].length;

      // Revert: back to the commit before. What the killed run wrote goes; nothing else does.
      const owned = await scene.inventoryNames();
      const revertFrom = scene.proxy.log.length;
      await scene.commit({ ...before, rev: before.rev }, `revert rev ${next.rev}`);
      const reverted = await scene.rerun();
      expect(reverted.exit.code, describeExit(reverted.exit)).toBe(0);
      expect(await scene.problems(before)).toEqual([]);
      expect(scene.deletesOutside(owned, revertFrom)).toEqual([]);
      const newNames = Array.from({ length: 3 }, (_, i) => `ConfigMap/cm-${before.configMaps + i + 1}`);
      expect(scene.deletes(revertFrom).sort()).toEqual(moment.wroteObjects ? newNames.sort() : []);

      // The change again, without a fault.
      await scene.commit(next, `rev ${next.rev} again`);
      const again = await scene.rerun();
      expect(again.exit.code, describeExit(again.exit)).toBe(0);
      current = next;
      expect(await scene.problems(current)).toEqual([]);
      const foreign = await scene.admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: scene.namespace, name: 'foreign' });
      expect(foreign?.metadata.uid).toBe(scene.foreign.metadata.uid);
      table.push(`| SIGKILL drover ${moment.name} | killed (${pendingAfterKill} inventory entries, written ones pending) | revert ${reverted.refused ? `refused first (${summarizeExit(reverted.refused)}), after the Lease expired ` : ''}${summarizeExit(reverted.exit)}, deleted ${scene.deletes(revertFrom).length} (${moment.wroteObjects ? 'exactly the 3 written' : 'none: never written'}); re-apply ${summarizeExit(again.exit)}; converged |`);
    });
  }
});
