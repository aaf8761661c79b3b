// Issue 8 #4 against the real kube-apiserver: environments are isolated. A staging overlay that
// drops its `namespace:` renders prod's objects; it must neither take them over (its plan blocks
// naming both environments, nothing is written) nor prune them while prod's inventory lists
// them. Each environment applies as `drover/<env>`; objects applied by the old `drover` manager
// are migrated so a field Git drops is really removed. An existing object in no inventory is
// adopted visibly. Writing outside the environment's namespace needs drover.yaml's allow-list.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { defaultApplyOptions } from '../../agent/apply/apply-options.js';
import { inventoryName, withEntries } from '../../agent/apply/inventory.js';
import { fetchStoredInventory, storeInventoryCas } from '../../agent/apply/inventory-store.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { silentLogger } from '../../agent/core/log.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { parseFleetConfig } from '../../agent/fleet/parse-fleet-config.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { formatPlanText } from '../../agent/plan/format-text.js';
import { reconcileEnvironment, ReconcileMode, type ReconcileOutcome } from '../../agent/reconcile/reconcile-environment.js';
import { createRenderer } from '../../agent/render/index.js';
import { createLocalSource } from '../../agent/source/local-source.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const newClient = (fieldManager = 'drover'): KubeClient => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return createKubeClient(kc, { fieldManager });
};
const cmRef = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
const managersOf = (o: KubeObject | undefined) => (o?.metadata.managedFields ?? []).map((m) => (m as { manager: string }).manager).sort();

describe('environment isolation', () => {
  let ns: { staging: string; prod: string; inv: string; shared: string };
  let dir: string;
  beforeEach(async () => {
    const [staging, prod, inv, shared] = await Promise.all(['iso-staging', 'iso-prod', 'iso-inv', 'iso-shared'].map((p) => createTestNamespace(kubeconfigPath, p)));
    ns = { staging: staging!, prod: prod!, inv: inv!, shared: shared! };
    dir = await mkdtemp(join(tmpdir(), 'drover-isolation-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await Promise.all(Object.values(ns).map((n) => deleteTestNamespace(kubeconfigPath, n)));
  });

  /** Writes the fleet: a base written for prod (its objects name prod's namespace), and overlays. */
  async function writeFleet(files: Record<string, string>): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  }

  function fleet(opts: { stagingNamespace: boolean; stagingAllow?: { namespaces?: string[] }; stagingExtra?: KubeObject[] }): Record<string, string> {
    const staging = { name: 'staging', path: 'environments/staging', namespace: ns.staging, ...(opts.stagingAllow ? { allow: opts.stagingAllow } : {}) };
    return {
      'drover.yaml': stringify({ environments: [staging, { name: 'prod', path: 'environments/prod', namespace: ns.prod }] }),
      'base/kustomization.yaml': stringify({ resources: ['settings.yaml'] }),
      'base/settings.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns.prod }, data: { size: 'large' } }),
      'environments/prod/kustomization.yaml': stringify({
        namespace: ns.prod,
        resources: ['../../base'],
        patches: [{ target: { kind: 'ConfigMap', name: 'settings' }, patch: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { replicas: '5' } }) }],
      }),
      'environments/staging/kustomization.yaml': stringify({
        // The defect: this line is what the staging overlay lost.
        ...(opts.stagingNamespace ? { namespace: ns.staging } : {}),
        resources: ['../../base', ...(opts.stagingExtra ? ['extra.yaml'] : [])],
        patches: [{ target: { kind: 'ConfigMap', name: 'settings' }, patch: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { size: 'small' } }) }],
      }),
      ...(opts.stagingExtra ? { 'environments/staging/extra.yaml': opts.stagingExtra.map((o) => stringify(o)).join('---\n') } : {}),
    };
  }

  async function reconcile(env: 'staging' | 'prod', mode: ReconcileMode): Promise<ReconcileOutcome> {
    const snapshot = await createLocalSource(dir).fetchRevision();
    const config = parseFleetConfig(snapshot.tree);
    const environment = config.environments.find((e) => e.name === env)!;
    const renderer = createRenderer();
    return reconcileEnvironment(
      { snapshot, config, environment, mode },
      { client: newClient(), render: (s, d) => renderer.build(s.tree, d), log: silentLogger, applyOptions: { inventoryNamespace: ns.inv }, lease: false },
    );
  }

  const inventoryKeys = async (env: string) => [...(await fetchStoredInventory(newClient(), { environment: env, namespace: ns.inv })).inventory.values()].map((e) => `${e.kind}/${e.namespace}/${e.name}`);

  it('a staging overlay that drops its namespace: is blocked naming both environments, and prod keeps its object and fields', async () => {
    await writeFleet(fleet({ stagingNamespace: true }));
    expect((await reconcile('prod', ReconcileMode.Apply)).failure).toBeUndefined();
    expect((await reconcile('staging', ReconcileMode.Apply)).failure).toBeUndefined();
    const prodLive = await newClient().get(cmRef(ns.prod, 'settings'));
    expect(prodLive?.data).toEqual({ size: 'large', replicas: '5' });
    // Each environment applies with a field manager of its own.
    expect(managersOf(prodLive)).toEqual(['drover/prod']);
    expect(managersOf(await newClient().get(cmRef(ns.staging, 'settings')))).toEqual(['drover/staging']);

    await writeFleet(fleet({ stagingNamespace: false }));
    const outcome = await reconcile('staging', ReconcileMode.Apply);
    expect(outcome.blocked).toBe(true);
    expect(outcome.apply).toBeUndefined();
    const text = formatPlanText(outcome.plan!);
    const where = `ConfigMap/${ns.inv}/${inventoryName('prod')}`;
    expect(text).toContain(`BLOCK owned-by-another-environment: ConfigMap/${ns.prod}/settings belongs to environment prod (listed in its inventory ${where}): environment staging may not take it over; declare it in one environment only`);
    expect(text).toContain(`BLOCK outside-environment: ConfigMap/${ns.prod}/settings is outside environment staging's namespace ${ns.staging}: add ${ns.prod} to environments[0].allow.namespaces in drover.yaml to write there`);
    // Nothing written: prod's object keeps prod's fields, staging's inventory never lists it.
    const after = await newClient().get(cmRef(ns.prod, 'settings'));
    expect(after?.data).toEqual({ size: 'large', replicas: '5' });
    expect(managersOf(after)).toEqual(['drover/prod']);
    expect(await inventoryKeys('staging')).toEqual([`ConfigMap/${ns.staging}/settings`]);

    // Applying without the plan (the library's apply alone) refuses too, naming both.
    const direct = await applyEnvironment(
      newClient(),
      { environment: 'staging', desired: [{ ...(after as KubeObject), data: { size: 'small' } }], attribute: (o) => attributeObjects(o) },
      { ...defaultApplyOptions(), inventoryNamespace: ns.inv },
    );
    expect(direct.error?.message).toContain(`ConfigMap/${ns.prod}/settings belongs to environment prod`);
    expect((await newClient().get(cmRef(ns.prod, 'settings')))?.data).toEqual({ size: 'large', replicas: '5' });
  });

  it("a takeover recorded before the fix: staging's prune leaves prod's object alone while prod's inventory lists it", async () => {
    await writeFleet(fleet({ stagingNamespace: true }));
    expect((await reconcile('prod', ReconcileMode.Apply)).failure).toBeUndefined();
    expect((await reconcile('staging', ReconcileMode.Apply)).failure).toBeUndefined();
    // What the old release left behind: staging's inventory lists prod's object too.
    const client = newClient();
    const prodObj = (await client.get(cmRef(ns.prod, 'settings')))!;
    const stored = await fetchStoredInventory(client, { environment: 'staging', namespace: ns.inv });
    const entry = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.prod, name: 'settings', uid: prodObj.metadata.uid! };
    await storeInventoryCas(client, { environment: 'staging', namespace: ns.inv }, stored, withEntries(stored.inventory, [entry]));
    // Staging's Git no longer declares it: the prune must not delete prod's object.
    const outcome = await reconcile('staging', ReconcileMode.Apply);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.plan?.counts.delete).toBe(0);
    expect(outcome.apply?.changeSet.filter('deleted')).toEqual([]);
    expect((await newClient().get(cmRef(ns.prod, 'settings')))?.metadata.uid).toBe(prodObj.metadata.uid);
    expect(await inventoryKeys('staging')).toEqual([`ConfigMap/${ns.staging}/settings`]);
    expect(await inventoryKeys('prod')).toEqual([`ConfigMap/${ns.prod}/settings`]);
  });

  it('migrates an object applied by the old drover manager, so a field dropped from git is removed', async () => {
    const env = 'mig';
    const options = { ...defaultApplyOptions(), inventoryNamespace: ns.inv };
    const attribute = (o: readonly KubeObject[]) => attributeObjects(o);
    const obj = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy', namespace: ns.staging }, data });
    // The old release: every environment applied as `drover`.
    const old = await applyEnvironment(newClient(), { environment: env, desired: [obj({ keep: '1', dropped: 'x' })], attribute }, { ...options, fieldManager: 'drover' });
    expect(old.error).toBeUndefined();
    expect(managersOf(await newClient().get(cmRef(ns.staging, 'legacy')))).toEqual(['drover']);
    // Unchanged in Git: the ownership moves, nothing else (no field change, no extra manager).
    const same = await applyEnvironment(newClient(), { environment: env, desired: [obj({ keep: '1', dropped: 'x' })], attribute }, options);
    expect(same.error).toBeUndefined();
    expect(same.changeSet.summary()).toEqual({ unchanged: 1 });
    const migrated = await newClient().get(cmRef(ns.staging, 'legacy'));
    expect(managersOf(migrated)).toEqual([`drover/${env}`]);
    expect(migrated?.data).toEqual({ keep: '1', dropped: 'x' });
    // Git drops a field: it is removed (no stale `drover` ownership keeps it).
    const dropped = await applyEnvironment(newClient(), { environment: env, desired: [obj({ keep: '1' })], attribute }, options);
    expect(dropped.error).toBeUndefined();
    const live = await newClient().get(cmRef(ns.staging, 'legacy'));
    expect(live?.data).toEqual({ keep: '1' });
    expect(managersOf(live)).toEqual([`drover/${env}`]);
  });

  it('migrates and changes at once: a legacy object whose git version drops a field', async () => {
    const env = 'mig2';
    const options = { ...defaultApplyOptions(), inventoryNamespace: ns.inv };
    const attribute = (o: readonly KubeObject[]) => attributeObjects(o);
    const obj = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy2', namespace: ns.staging }, data });
    expect((await applyEnvironment(newClient(), { environment: env, desired: [obj({ keep: '1', dropped: 'x' })], attribute }, { ...options, fieldManager: 'drover' })).error).toBeUndefined();
    const result = await applyEnvironment(newClient(), { environment: env, desired: [obj({ keep: '2' })], attribute }, options);
    expect(result.error).toBeUndefined();
    expect(result.changeSet.summary()).toEqual({ configured: 1 });
    const live = await newClient().get(cmRef(ns.staging, 'legacy2'));
    expect(live?.data).toEqual({ keep: '2' });
    expect(managersOf(live)).toEqual([`drover/${env}`]);
  });

  it('adopting an object that exists in no inventory is a visible adopt change, then recorded', async () => {
    const kubectl = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'handmade', namespace: ns.staging }, data: { by: 'hand' } };
    await newClient('kubectl').apply(kubectl, { dryRun: false, force: false });
    await writeFleet(fleet({ stagingNamespace: true, stagingExtra: [{ ...kubectl, data: { by: 'git' } }] }));
    const plan = await reconcile('staging', ReconcileMode.Plan);
    expect(plan.plan?.blocked).toBe(false);
    expect(plan.plan?.counts).toMatchObject({ create: 1, adopt: 1 });
    const text = formatPlanText(plan.plan!);
    expect(text).toContain(`~ adopt ConfigMap/${ns.staging}/handmade: exists in no environment's inventory, written by kubectl; changes data.by`);
    expect(text).toContain('1 to create, 0 to update, 0 to delete, 1 to adopt, 0 unchanged, 0 skipped');
    expect((await reconcile('staging', ReconcileMode.Apply)).failure).toBeUndefined();
    expect((await inventoryKeys('staging')).sort()).toEqual([`ConfigMap/${ns.staging}/handmade`, `ConfigMap/${ns.staging}/settings`]);
    const again = await reconcile('staging', ReconcileMode.Plan);
    expect(again.plan?.counts).toMatchObject({ adopt: 0, create: 0, update: 0, unchanged: 2 });
  });

  it("writes to a foreign namespace only when drover.yaml's allow-list names it", async () => {
    const files = (allow?: { namespaces: string[] }) => ({
      'drover.yaml': stringify({ environments: [{ name: 'staging', path: 'environments/staging', namespace: ns.staging, ...(allow ? { allow } : {}) }] }),
      'environments/staging/kustomization.yaml': stringify({ resources: ['objects.yaml'] }),
      'environments/staging/objects.yaml': [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' }, data: { a: '1' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns.shared }, data: { a: '1' } },
      ].map((o) => stringify(o)).join('---\n'),
    });
    await writeFleet(files());
    const refused = await reconcile('staging', ReconcileMode.Apply);
    expect(refused.blocked).toBe(true);
    expect(formatPlanText(refused.plan!)).toContain(`BLOCK outside-environment: ConfigMap/${ns.shared}/shared is outside environment staging's namespace ${ns.staging}: add ${ns.shared} to environments[0].allow.namespaces in drover.yaml to write there`);
    expect(await newClient().get(cmRef(ns.shared, 'shared'))).toBeUndefined();
    expect(await newClient().get(cmRef(ns.staging, 'own'))).toBeUndefined();
    await writeFleet(files({ namespaces: [ns.shared] }));
    const allowed = await reconcile('staging', ReconcileMode.Apply);
    expect(allowed.failure).toBeUndefined();
    expect(allowed.blocked).toBe(false);
    expect((await newClient().get(cmRef(ns.shared, 'shared')))?.data).toEqual({ a: '1' });
    expect((await newClient().get(cmRef(ns.staging, 'own')))?.data).toEqual({ a: '1' });
  });
});
