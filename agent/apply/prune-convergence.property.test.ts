import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { defaultApplyOptions } from './apply-options.js';
import { computeClusterScope } from './cluster-scope.js';
import { emptyInventory, inventoryKey, parseInventory, serializeInventory, withEntries, withoutKeys, withPending, type Inventory, type InventoryEntry } from './inventory.js';
import { planPrune } from './prune-plan.js';

// A model of one environment's apply, step by step as apply-environment does it, over the real
// pure pieces (withPending, withEntries, planPrune, the inventory's serialization): record
// intent, write, store the inventory, plan the prune, delete, store again. A crash may stop a run
// after any step; other writers may delete and recreate objects between runs. Whatever happens,
// two clean runs converge (live owned set = desired, inventory = desired, nothing pending), and
// no object is ever deleted that Drover did not write.

const NS = 'fleet';
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const FOREIGN = ['x', 'y'];
const MANAGER = 'drover';

interface LiveObject {
  uid: string;
  managers: Set<string>;
}

class World {
  live = new Map<string, LiveObject>();
  stored = ''; // the inventory ConfigMap's inventory.json ('' = none)
  nextUid = 1;
  violations: string[] = [];
  constructor() {
    for (const n of FOREIGN) this.live.set(n, { uid: this.uid(), managers: new Set(['kubectl']) });
  }
  uid(): string {
    return `uid-${this.nextUid++}`;
  }
  inventory(): Inventory {
    return this.stored ? parseInventory(this.stored, 'ConfigMap/drover-system/drover-inventory-model') : emptyInventory();
  }
  store(inv: Inventory): void {
    this.stored = serializeInventory(inv);
  }
  obj(name: string): KubeObject {
    const l = this.live.get(name);
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: NS, ...(l ? { uid: l.uid, managedFields: [...l.managers].map((manager) => ({ manager, operation: 'Apply' })) } : {}) },
    };
  }
}

const entry = (name: string, uid: string): InventoryEntry => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name, uid });
const keyOf = (name: string) => inventoryKey(entry(name, ''));
const nameOfKey = (key: string) => key.split('|').pop()!;

class Crash extends Error {}

/** One apply of `desired`, crashing before step `crashAt` (never when undefined). */
function apply(world: World, desired: readonly string[], crashAt: number | undefined): void {
  let steps = 0;
  const step = () => {
    if (steps++ === crashAt) throw new Crash();
  };
  try {
    const before = world.inventory();
    step();
    // Intent before the first write: everything about to be written is pending.
    world.store(withPending(before, desired.map((n) => entry(n, world.live.get(n)?.uid ?? ''))));
    const written: InventoryEntry[] = [];
    for (const n of desired) {
      step();
      const l = world.live.get(n) ?? { uid: world.uid(), managers: new Set<string>() };
      l.managers.add(MANAGER);
      world.live.set(n, l);
      written.push(entry(n, l.uid));
    }
    step();
    let inv = withEntries(world.inventory(), written);
    world.store(inv);
    const live = new Map<string, KubeObject>();
    for (const key of inv.keys()) if (world.live.has(nameOfKey(key))) live.set(key, world.obj(nameOfKey(key)));
    const desiredKeys = new Set(desired.map(keyOf));
    const options = { ...defaultApplyOptions(), prune: { ...defaultApplyOptions().prune, overrideThreshold: true, allowEmpty: true } };
    const plan = planPrune({ inventory: inv, desiredKeys, live, scope: computeClusterScope([], live, { clusters: new Map() }), options, fieldManager: MANAGER });
    expect(plan.refusals).toEqual([]);
    const removed = [...plan.forget];
    for (const t of plan.objects) {
      step();
      const name = nameOfKey(t.key);
      const l = world.live.get(name);
      if (desiredKeys.has(t.key)) world.violations.push(`pruned desired ${name}`);
      if (l && l.uid === t.entry.uid) {
        if (!l.managers.has(MANAGER)) world.violations.push(`deleted ${name}, which Drover never wrote`);
        world.live.delete(name);
      }
      removed.push(t.key);
    }
    step();
    inv = withoutKeys(world.inventory(), removed);
    world.store(inv);
  } catch (e) {
    if (!(e instanceof Crash)) throw e;
  }
}

type Op = { kind: 'apply'; desired: string[]; crashAt: number | undefined } | { kind: 'recreate'; name: string } | { kind: 'delete'; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('apply' as const), desired: fc.subarray([...NAMES, ...FOREIGN]), crashAt: fc.option(fc.nat({ max: 14 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recreate' as const), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), name: fc.constantFrom(...NAMES) }) },
);

describe('apply, crash and re-apply (properties)', { timeout: 120_000 }, () => {
  it('converge to the desired set with no delete of anything Drover did not write', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), fc.subarray(NAMES), (ops, final) => {
        const world = new World();
        for (const op of ops) {
          if (op.kind === 'apply') apply(world, op.desired, op.crashAt);
          else if (op.kind === 'delete') world.live.delete(op.name);
          else world.live.set(op.name, { uid: world.uid(), managers: new Set(['kubectl']) }); // someone else's object now
        }
        apply(world, final, undefined);
        apply(world, final, undefined);
        expect(world.violations).toEqual([]);
        const owned = [...world.live].filter(([, l]) => l.managers.has(MANAGER)).map(([n]) => n).sort();
        expect(owned).toEqual([...final].sort());
        const inv = world.inventory();
        expect([...inv.keys()].sort()).toEqual(final.map(keyOf).sort());
        expect([...inv.values()].filter((e) => e.pending)).toEqual([]);
        for (const n of final) expect(inv.get(keyOf(n))!.uid).toBe(world.live.get(n)!.uid);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('planPrune only ever targets inventory objects Git no longer declares, with the UID Drover saw', () => {
    const liveArb = fc.dictionary(fc.constantFrom(...NAMES), fc.record({ uid: fc.constantFrom('u1', 'u2', 'u3'), drover: fc.boolean() }));
    const invArb = fc.dictionary(fc.constantFrom(...NAMES), fc.record({ uid: fc.constantFrom('', 'u1', 'u2', 'u3'), pending: fc.boolean() }));
    fc.assert(
      fc.property(liveArb, invArb, fc.subarray(NAMES), (liveSpec, invSpec, desired) => {
        const live = new Map<string, KubeObject>();
        for (const [n, l] of Object.entries(liveSpec)) {
          live.set(keyOf(n), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: NS, uid: l.uid, managedFields: [{ manager: l.drover ? MANAGER : 'kubectl' }] } });
        }
        const inventory: Inventory = new Map(Object.entries(invSpec).map(([n, e]) => [keyOf(n), { ...entry(n, e.uid), ...(e.pending ? { pending: true } : {}) }]));
        const desiredKeys = new Set(desired.map(keyOf));
        const options = { ...defaultApplyOptions(), prune: { ...defaultApplyOptions().prune, overrideThreshold: true } };
        const plan = planPrune({ inventory, desiredKeys, live, scope: computeClusterScope([], live, { clusters: new Map() }), options, fieldManager: MANAGER });
        for (const t of [...plan.clusters, ...plan.objects]) {
          const had = inventory.get(t.key)!;
          expect(had).toBeDefined();
          expect(desiredKeys.has(t.key)).toBe(false);
          expect(t.entry.uid).toBe(t.live.metadata.uid);
          if (had.pending) expect(t.live.metadata.managedFields).toEqual([{ manager: MANAGER }]);
          else expect(had.uid).toBe(t.live.metadata.uid);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads back every inventory it writes, pending entries included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...NAMES), fc.record({ uid: fc.string({ maxLength: 8 }), pending: fc.boolean() })), (spec) => {
        const inv: Inventory = new Map(Object.entries(spec).map(([n, e]) => [keyOf(n), { ...entry(n, e.uid), ...(e.pending ? { pending: true } : {}) }]));
        const back = parseInventory(serializeInventory(inv), 'ConfigMap/x/y');
        expect([...back.entries()].map(([k, e]) => [k, e.uid, Boolean(e.pending)])).toEqual([...inv.entries()].map(([k, e]) => [k, e.uid, Boolean(e.pending)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
      }),
    );
  });
});
