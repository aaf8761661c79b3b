// The agent's watch-cached reads of live state (agent/runtime/watch-cached-client.ts) against the
// real kube-apiserver: one LIST per kind and namespace, then every read from the watch; what
// another writer changes shows up without a new LIST; the client's own writes are read back at
// once; and the reads equal a LIST from the server.
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { createWatchCachedClient, type WatchCachedClient } from '../../agent/runtime/watch-cached-client.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const kubeconfigPath = inject('kubeconfigPath');

const cm = (namespace: string, name: string, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { value } });
const byName = (items: readonly KubeObject[]) =>
  Object.fromEntries(items.map((o) => [o.metadata.name!, { value: (o.data as Record<string, string> | undefined)?.value, rv: o.metadata.resourceVersion, managers: ((o.metadata.managedFields ?? []) as Array<{ manager?: string }>).map((m) => m.manager) }]));

describe('watch-cached client: live state from watches, not re-lists', () => {
  let ns: string;
  let direct: KubeClient;
  let other: KubeClient;
  let cached: WatchCachedClient;

  beforeAll(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'live-cache');
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    direct = createKubeClient(kc);
    other = createKubeClient(kc, { fieldManager: 'someone-else' });
    cached = createWatchCachedClient(createKubeClient(kc));
    for (const name of ['a', 'b', 'c']) await direct.apply(cm(ns, name, `${name}-1`), { dryRun: false, force: true });
  }, 120_000);

  afterAll(async () => {
    cached?.close();
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  }, 120_000);

  it('lists once per kind and namespace, then answers from the watch with what the server holds', async () => {
    const first = await cached.list('v1', 'ConfigMap', ns);
    expect(first.requests).toBe(1);
    const fromServer = await direct.list('v1', 'ConfigMap', ns);
    expect(byName(first.items)).toEqual(byName(fromServer.items));
    expect((first.items.find((o) => o.metadata.name === 'a')!.metadata.managedFields as unknown[] | undefined)?.length).toBeGreaterThan(0);

    const listsBefore = cached.requests.get('list');
    const again = await cached.list('v1', 'ConfigMap', ns);
    expect(again.requests).toBe(0);
    expect(cached.requests.get('list')).toBe(listsBefore);
    expect(byName(again.items)).toEqual(byName(fromServer.items));
  }, 120_000);

  it("sees another writer's change and deletion through the watch, with no new LIST", async () => {
    await cached.list('v1', 'ConfigMap', ns);
    const lists = cached.requests.get('list');
    await other.apply(cm(ns, 'b', 'b-2'), { dryRun: false, force: true });
    const c = (await direct.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' }))!;
    await other.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' }, { uid: c.metadata.uid! });
    await other.apply(cm(ns, 'd', 'd-1'), { dryRun: false, force: true });
    await waitUntil(async () => {
      const items = byName((await cached.list('v1', 'ConfigMap', ns)).items);
      return items.b?.value === 'b-2' && !items.c && items.d?.value === 'd-1' ? true : undefined;
    }, { timeoutMs: 60_000, what: 'the watch to bring the changes' });
    expect(cached.requests.get('list')).toBe(lists);
    expect(byName((await cached.list('v1', 'ConfigMap', ns)).items)).toEqual(byName((await direct.list('v1', 'ConfigMap', ns)).items));
  }, 120_000);

  it('reads its own write back at once, before the watch event could arrive', async () => {
    await cached.list('v1', 'ConfigMap', ns);
    const stored = await cached.apply(cm(ns, 'a', 'a-2'), { dryRun: false, force: true });
    const items = byName((await cached.list('v1', 'ConfigMap', ns)).items);
    expect(items.a).toMatchObject({ value: 'a-2', rv: stored.metadata.resourceVersion });
    // A dry-run changes nothing, in the cluster or in the cache.
    await cached.apply(cm(ns, 'a', 'a-dry'), { dryRun: true, force: true });
    expect(byName((await cached.list('v1', 'ConfigMap', ns)).items).a?.value).toBe('a-2');
  }, 120_000);

  it('answers equality label selectors from the watch, and passes any other selector to the server', async () => {
    const lists = cached.requests.get('list');
    expect((await cached.list('v1', 'ConfigMap', ns, { labelSelector: 'app=none' })).items).toEqual([]);
    expect(cached.requests.get('list')).toBe(lists);
    await cached.list('v1', 'ConfigMap', ns, { labelSelector: 'app notin (none)' });
    expect(cached.requests.get('list')).toBe(lists + 1);
  }, 120_000);
});
