import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inventoryKey, mergeInventories, sameInventory, withEntries, withoutKeys, withPending, type Inventory, type InventoryEntry } from './inventory.js';

// Properties of the inventory's three-way merge (issue 8 #2: the compare-and-swap store re-reads
// and merges on a conflict): whatever two writers did from the same base, the merge keeps every
// entry the other writer added, applies our additions, changes and removals, and with no
// concurrent change it is exactly ours. Entries are ConfigMaps of one namespace, by name.

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const entry = (name: string, uid: string, pending = false): InventoryEntry => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'fleet', name, uid, ...(pending ? { pending: true } : {}) });
const key = (name: string) => inventoryKey(entry(name, ''));

const entryArb = fc.record({ name: fc.constantFrom(...NAMES), uid: fc.constantFrom('u1', 'u2', 'u3', ''), pending: fc.boolean() });
const inventoryArb: fc.Arbitrary<Inventory> = fc.array(entryArb, { maxLength: 10 }).map((es) => withEntries(new Map(), es.map((e) => entry(e.name, e.uid, e.pending))));

/** What one writer does to the base: add or change some entries (settled or pending), remove others. */
const editArb = fc.record({
  add: fc.array(entryArb, { maxLength: 6 }),
  remove: fc.subarray(NAMES),
});
function edit(base: Inventory, e: { add: Array<{ name: string; uid: string; pending: boolean }>; remove: string[] }): Inventory {
  const removed = withoutKeys(base, e.remove.map(key));
  const settled = e.add.filter((a) => !a.pending).map((a) => entry(a.name, a.uid));
  const pending = e.add.filter((a) => a.pending).map((a) => entry(a.name, a.uid, true));
  return withPending(withEntries(removed, settled), pending);
}

describe('mergeInventories (properties)', () => {
  it('keeps what the other writer added and applies our additions, changes and removals', () => {
    fc.assert(
      fc.property(inventoryArb, editArb, editArb, (base, mine, theirsEdit) => {
        const ours = edit(base, mine);
        const theirs = edit(base, theirsEdit);
        const merged = mergeInventories(base, ours, theirs);
        for (const [k, e] of ours) {
          const b = base.get(k);
          const changedByUs = !b || b.uid !== e.uid || Boolean(b.pending) !== Boolean(e.pending);
          if (changedByUs) expect(merged.get(k)).toEqual(e);
        }
        for (const k of base.keys()) if (!ours.has(k)) expect(merged.has(k)).toBe(false);
        for (const [k, e] of theirs) {
          // An entry only they added or changed stays, unless we removed it from the base or changed it ourselves.
          const b = base.get(k);
          const changedByThem = !b || b.uid !== e.uid || Boolean(b.pending) !== Boolean(e.pending);
          const touchedByUs = !ours.has(k) ? base.has(k) : !sameEntry(base.get(k), ours.get(k));
          if (changedByThem && !touchedByUs) expect(merged.get(k)).toEqual(e);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('two applies of new objects from one base lose neither set (the 600-objects/300-entries bug)', () => {
    fc.assert(
      fc.property(inventoryArb, fc.subarray(NAMES), fc.subarray(NAMES), (base, mineNames, theirNames) => {
        const mine = mineNames.filter((n) => !base.has(key(n)));
        const their = theirNames.filter((n) => !base.has(key(n)) && !mine.includes(n));
        const ours = withEntries(base, mine.map((n) => entry(n, `ours-${n}`)));
        const theirs = withEntries(base, their.map((n) => entry(n, `theirs-${n}`)));
        const merged = mergeInventories(base, ours, theirs);
        for (const n of mine) expect(merged.get(key(n))?.uid).toBe(`ours-${n}`);
        for (const n of their) expect(merged.get(key(n))?.uid).toBe(`theirs-${n}`);
        for (const k of base.keys()) expect(merged.has(k)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('with no concurrent change the merge is ours, and with no change of ours it is theirs', () => {
    fc.assert(
      fc.property(inventoryArb, editArb, (base, e) => {
        const changed = edit(base, e);
        expect(sameInventory(mergeInventories(base, changed, base), changed)).toBe(true);
        expect(sameInventory(mergeInventories(base, base, changed), changed)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

function sameEntry(a: InventoryEntry | undefined, b: InventoryEntry | undefined): boolean {
  if (!a || !b) return a === b;
  return a.uid === b.uid && Boolean(a.pending) === Boolean(b.pending) && a.apiVersion === b.apiVersion;
}
