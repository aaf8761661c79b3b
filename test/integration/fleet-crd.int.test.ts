// The Fleet CRD (manifests/crd-fleets.yaml) as the real apiserver serves it: the provider block of
// spec.providers is defaulted and validated by the structural schema, and what the agent parses
// from the stored object is what the README documents.
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { parseFleetResource } from '../../agent/runtime/fleet-resource.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');

describe('Fleet CRD: spec.providers', () => {
  let ns: string;
  let client: KubeClient;
  const fleet = (name: string, providers: unknown) => ({
    apiVersion: 'drover.dev/v1alpha1',
    kind: 'Fleet',
    metadata: { name, namespace: ns },
    spec: { source: { url: 'https://git.example/fleet.git', ref: 'main' }, providers },
  });

  beforeAll(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'fleet-crd');
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    client = createKubeClient(kc, { fieldManager: 'test' });
  });
  afterAll(async () => {
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('stores an Equinix Metal block with its defaults, and the agent reads its token Secret in the Fleet namespace', async () => {
    await client.apply(fleet('metal', { equinixMetal: { tokenSecretRef: { name: 'metal-token' }, projects: { staging: '7d1c0e7e-0000-4000-8000-000000000001' } } }), { dryRun: false, force: true });
    const stored = await client.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: ns, name: 'metal' });
    expect((stored!.spec as { providers: unknown }).providers).toEqual({
      equinixMetal: { tokenSecretRef: { name: 'metal-token', key: 'token' }, projects: { staging: '7d1c0e7e-0000-4000-8000-000000000001' }, capacity: 'block' },
    });
    expect(parseFleetResource(stored!).spec.providers?.equinixMetal?.token).toEqual({ secret: { namespace: ns, name: 'metal-token', key: 'token' } });
  });

  it('refuses a capacity policy it does not know and a block without its token Secret, naming the fields', async () => {
    await expect(client.apply(fleet('bad-policy', { equinixMetal: { tokenSecretRef: { name: 't' }, capacity: 'maybe' } }), { dryRun: false, force: true })).rejects.toThrow(/spec\.providers\.equinixMetal\.capacity/);
    await expect(client.apply(fleet('no-token', { equinixMetal: { projects: {} } }), { dryRun: false, force: true })).rejects.toThrow(/spec\.providers\.equinixMetal\.tokenSecretRef/);
  });
});
