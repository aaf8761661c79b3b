// manifests/ grants Drover exactly what it needs: applying, re-applying and pruning a Cluster API
// fleet works as the drover ServiceAccount (impersonated, so the real RBAC authorizer decides),
// and what it must not do — read Secrets, delete Namespaces, install CRDs, write outside its
// namespace's inventory — is denied.
import { join } from 'node:path';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { defaultApplyOptions } from '../../agent/apply/apply-options.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { buildKustomization } from '../../agent/render/index.js';
import { loadDirectoryTree } from '../../agent/render/load-directory.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const SERVICE_ACCOUNT = 'system:serviceaccount:drover-system:drover';

function impersonating(kubeconfigPath: string, user: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const current = kc.getCurrentUser()!;
  kc.users = kc.users.map((u) => (u.name === current.name ? { ...u, impersonateUser: user } : u));
  return kc;
}

describe('manifests/ RBAC', () => {
  const kubeconfigPath = inject('kubeconfigPath');
  let admin: KubeClient;
  let asDrover: KubeClient;
  let ns = '';

  beforeAll(async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    admin = createKubeClient(kc);
    for (const obj of buildKustomization(loadDirectoryTree(join(import.meta.dirname, '../../manifests')), '')) {
      await admin.apply(obj, { dryRun: false, force: true });
    }
    asDrover = createKubeClient(impersonating(kubeconfigPath, SERVICE_ACCOUNT));
    ns = await createTestNamespace(kubeconfigPath, 'rbac');
  });
  afterAll(async () => {
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('lets the service account apply, re-apply and prune a cluster fleet', async () => {
    const env = `rbac-${ns.slice(-5)}`;
    const input = (desired: ReturnType<typeof clusterObjects>) => ({ environment: env, desired, attribute: (o: Parameters<typeof attributeObjects>[0]) => attributeObjects(o) });
    const options = { ...defaultApplyOptions(), pollIntervalMs: 50 };
    const objects = clusterObjects(ns, 'eu-1');
    const first = await applyEnvironment(asDrover, input(objects), options);
    expect(first.error?.message).toBeUndefined();
    expect(first.changeSet.summary()).toEqual({ created: objects.length });

    const again = await applyEnvironment(asDrover, input(objects), options);
    expect(again.error).toBeUndefined();
    expect(again.changeSet.summary()).toEqual({ unchanged: objects.length });

    // A pool removed from Git is pruned (delete with UID precondition) by the service account.
    const withoutPool = objects.filter((o) => o.kind !== 'MachineDeployment');
    const pruned = await applyEnvironment(asDrover, input(withoutPool), { ...options, prune: { ...options.prune, overrideThreshold: true } });
    expect(pruned.error?.message).toBeUndefined();
    expect(pruned.changeSet.filter('deleted').map((e) => e.ref.kind)).toEqual(['MachineDeployment']);
  });

  it('is refused, through the same client, what the role does not grant', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, stringData: { token: 'x' } };
    await expect(asDrover.apply(secret, { dryRun: true, force: true })).rejects.toThrow(/Secret\/rbac-[a-z0-9-]+\/creds Forbidden/);
  });

  it.each([
    ['read Secrets', { verb: 'get', resource: 'secrets', namespace: 'default' }],
    ['delete Namespaces', { verb: 'delete', resource: 'namespaces' }],
    ['install CRDs', { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }],
    ['write RBAC', { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }],
    ['delete its own Lease', { verb: 'delete', group: 'coordination.k8s.io', resource: 'leases', namespace: 'drover-system' }],
    ['write Leases elsewhere', { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system' }],
  ])('denies the service account: %s', async (_what, attrs) => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const review = await kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: SERVICE_ACCOUNT, groups: ['system:serviceaccounts', 'system:serviceaccounts:drover-system', 'system:authenticated'], resourceAttributes: attrs },
      },
    });
    expect(review.status?.allowed).toBe(false);
  });
});
