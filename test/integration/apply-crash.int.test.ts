// Issue 8 #1 and #9 against the real kube-apiserver: the inventory records intent before the
// first write, so an apply interrupted between its writes and the inventory store leaves no
// orphan (a later run prunes or completes it); a failure to store the inventory is reported by
// name, never hidden behind the apply error; a write whose answer was lost is reported as
// unknown, not "skipped: failed". Faults are injected by wrapping the real client: the request
// reaches the real server (or not) and the answer is lost, as when the apiserver dies mid-call.
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { defaultApplyOptions, type ApplyOptions } from '../../agent/apply/apply-options.js';
import { inventoryName, parseInventory } from '../../agent/apply/inventory.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { toRef, type KubeObject } from '../../agent/core/kube-object.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { acquireEnvironmentLease } from '../../agent/reconcile/environment-lease.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const newClient = (): KubeClient => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return createKubeClient(kc);
};
const attribute = (objects: readonly KubeObject[]) => attributeObjects(objects);
const cm = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { name } });
const isInventory = (o: KubeObject) => o.kind === 'ConfigMap' && (o.metadata.name ?? '').startsWith('drover-inventory-');

/**
 * The real client with one fault: `lose(obj, n)` returns 'before' (the request never reaches
 * the server), 'after' (it is carried out, the answer is lost) or undefined (normal).
 */
function faulty(client: KubeClient, lose: (obj: KubeObject, n: number) => 'before' | 'after' | undefined): KubeClient {
  let n = 0;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'apply') return Reflect.get(target, prop, receiver) as unknown;
      return async (obj: KubeObject, options: { dryRun: boolean; force: boolean }) => {
        const fault = options.dryRun ? undefined : lose(obj, n++);
        if (fault === 'before') throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
        const stored = await target.apply(obj, options);
        if (fault === 'after') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return stored;
      };
    },
  });
}

async function storedInventory(ns: string) {
  const cmObj = await newClient().get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: inventoryName(ns) });
  return parseInventory((cmObj!.data as Record<string, string>)['inventory.json']!, 'inventory');
}

describe('apply interrupted', () => {
  let ns: string;
  let options: ApplyOptions;
  beforeEach(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'crash');
    options = { ...defaultApplyOptions(), inventoryNamespace: ns };
  });
  afterEach(async () => {
    await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('writes landed but the inventory store failed: named in the error, and a revert prunes them (no orphans)', async () => {
    const desired = ['keep', 'a', 'b', 'c'].map((n) => cm(ns, n));
    expect((await applyEnvironment(newClient(), { environment: ns, desired: desired.slice(0, 1), attribute }, options)).error).toBeUndefined();
    // The apiserver goes away right after the writes: the inventory store after them fails.
    let inventoryWrites = 0;
    const crashing = faulty(newClient(), (o) => (isInventory(o) && inventoryWrites++ >= 1 ? 'before' : undefined));
    const result = await applyEnvironment(crashing, { environment: ns, desired, attribute }, options);
    expect(result.error?.message).toContain(`ConfigMap/${ns}/${inventoryName(ns)} inventory not stored after the writes`);
    expect(result.changeSet.filter('created').map((e) => e.ref.name).sort()).toEqual(['a', 'b', 'c']);
    // The revert: Git goes back to `keep` alone. The three are pruned, not orphaned.
    const client = newClient();
    const revert = await applyEnvironment(client, { environment: ns, desired: desired.slice(0, 1), attribute }, options);
    expect(revert.error).toBeUndefined();
    expect(revert.changeSet.filter('deleted').map((e) => e.ref.name).sort()).toEqual(['a', 'b', 'c']);
    for (const n of ['a', 'b', 'c']) expect(await newClient().get(toRef(cm(ns, n)))).toBeUndefined();
    expect([...(await storedInventory(ns)).values()].map((e) => [e.name, Boolean(e.pending)])).toEqual([['keep', false]]);
  });

  it('an apply error and an inventory failure are both reported, the inventory by name', async () => {
    expect((await applyEnvironment(newClient(), { environment: ns, desired: [cm(ns, 'keep')], attribute }, options)).error).toBeUndefined();
    let inventoryWrites = 0;
    const crashing = faulty(newClient(), (o) => (o.metadata.name === 'b' ? 'before' : isInventory(o) && inventoryWrites++ >= 1 ? 'before' : undefined));
    const result = await applyEnvironment(crashing, { environment: ns, desired: ['keep', 'a', 'b'].map((n) => cm(ns, n)), attribute }, options);
    expect(result.error?.message).toContain(`ConfigMap/${ns}/b request failed`);
    expect(result.error?.message).toContain(`ConfigMap/${ns}/${inventoryName(ns)} inventory not stored after the writes`);
  });

  it('a write whose answer was lost is reported as unknown, and the next run finds it applied', async () => {
    const desired = ['a', 'b'].map((n) => cm(ns, n));
    const result = await applyEnvironment(faulty(newClient(), (o) => (o.metadata.name === 'b' ? 'after' : undefined)), { environment: ns, desired, attribute }, options);
    expect(result.changeSet.toMap()[`ConfigMap/${ns}/b`]).toMatch(/^unknown: no answer, the write may have landed/);
    expect(JSON.stringify(result.changeSet.toMap())).not.toContain('skipped: failed');
    const inv = await storedInventory(ns);
    expect([...inv.values()].find((e) => e.name === 'b')?.pending).toBe(true);
    const client = newClient();
    const again = await applyEnvironment(client, { environment: ns, desired, attribute }, options);
    expect(again.error).toBeUndefined();
    expect(again.changeSet.toMap()).toEqual({ [`ConfigMap/${ns}/a`]: 'unchanged', [`ConfigMap/${ns}/b`]: 'unchanged' });
    expect([...(await storedInventory(ns)).values()].every((e) => !e.pending)).toBe(true);
  });
});

describe('concurrent applies', () => {
  let ns: string;
  beforeEach(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'cas');
  });
  afterEach(async () => {
    await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('two applies of one environment at once both land in the inventory (compare-and-swap, issue 8 #2)', async () => {
    const options = { ...defaultApplyOptions(), inventoryNamespace: ns, prune: { ...defaultApplyOptions().prune, enabled: false } };
    const left = Array.from({ length: 15 }, (_, i) => cm(ns, `left-${i}`));
    const right = Array.from({ length: 15 }, (_, i) => cm(ns, `right-${i}`));
    const results = await Promise.all([
      applyEnvironment(newClient(), { environment: ns, desired: left, attribute }, options),
      applyEnvironment(newClient(), { environment: ns, desired: right, attribute }, options),
    ]);
    for (const r of results) expect(r.error).toBeUndefined();
    const inv = await storedInventory(ns);
    expect(inv.size).toBe(30);
    expect([...inv.values()].filter((e) => e.pending)).toEqual([]);
  });
});

describe('environment Lease (issue 8 #2)', () => {
  let ns: string;
  beforeEach(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'lease');
  });
  afterEach(async () => {
    await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('one writer at a time: a second holder is refused by name and time, and gets it once released', async () => {
    const first = await acquireEnvironmentLease(newClient(), 'staging', { namespace: ns, holder: 'drover-agent-0' });
    const lease = await newClient().get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: ns, name: 'drover-apply-staging' });
    const since = (lease!.spec as { acquireTime: string }).acquireTime;
    await expect(acquireEnvironmentLease(newClient(), 'staging', { namespace: ns, holder: 'drover-cli@laptop/42' })).rejects.toThrow(
      `environment staging is being applied by drover-agent-0 since ${since}`,
    );
    // When the holder died without giving it back, the refusal says when the Lease runs out.
    const renewed = Date.parse((lease!.spec as { renewTime: string }).renewTime);
    await expect(acquireEnvironmentLease(newClient(), 'staging', { namespace: ns, holder: 'drover-cli@laptop/42' })).rejects.toThrow(
      `expires at ${new Date(renewed + 60_000).toISOString()} unless renewed); try again when it is done, or after that time if the holder is gone`,
    );
    await first.release();
    const second = await acquireEnvironmentLease(newClient(), 'staging', { namespace: ns, holder: 'drover-cli@laptop/42' });
    await second.release();
  });

  it('takes over a Lease its holder left to expire (a crashed writer)', async () => {
    const old = new Date(Date.now() - 3600_000).toISOString().replace('Z', '000Z').replace(/\.(\d{3})000000Z$/, '.$1000Z');
    await newClient().create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'drover-apply-prod', namespace: ns }, spec: { holderIdentity: 'crashed', leaseDurationSeconds: 60, acquireTime: old, renewTime: old } } as KubeObject);
    const held = await acquireEnvironmentLease(newClient(), 'prod', { namespace: ns, holder: 'drover-agent-1' });
    const lease = await newClient().get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: ns, name: 'drover-apply-prod' });
    expect((lease!.spec as { holderIdentity: string }).holderIdentity).toBe('drover-agent-1');
    await held.release();
  });
});
