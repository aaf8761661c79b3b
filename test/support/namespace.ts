// One namespace per test (Flux's generateName pattern), and its cleanup. The test control plane
// runs no kube-controller-manager, so nothing empties and removes a deleted namespace: it would
// stay Terminating forever. deleteTestNamespace does the namespace controller's job in small:
// delete the custom resources, ConfigMaps and Secrets in it, delete it, then remove its
// `kubernetes` finalizer through the finalize subresource. Objects with their own finalizers
// stay until a test removes them; ownerReference garbage collection never happens here.
import { randomBytes } from 'node:crypto';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';

export const TEST_NAMESPACE_LABEL = 'drover.test/namespace';

function loadKubeConfig(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

/** Creates `<prefix>-<random>` (a valid DNS label) and returns its name. */
export async function createTestNamespace(kubeconfigPath: string, prefix: string): Promise<string> {
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'test';
  const name = `${base}-${randomBytes(4).toString('hex').slice(0, 6)}`;
  const core = loadKubeConfig(kubeconfigPath).makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } } });
  return name;
}

/** Empties and removes a namespace as the namespace controller would (see the file comment). */
export async function deleteTestNamespace(kubeconfigPath: string, name: string): Promise<void> {
  const kc = loadKubeConfig(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const crds = await kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
  await Promise.all([
    ...crds.items.filter((crd) => crd.spec.scope === 'Namespaced').map((crd) => {
      const version = crd.spec.versions.find((v) => v.storage && v.served) ?? crd.spec.versions.find((v) => v.served);
      if (!version) return Promise.resolve();
      return custom.deleteCollectionNamespacedCustomObject({ group: crd.spec.group, version: version.name, namespace: name, plural: crd.spec.names.plural })
        .catch(ignoreNotFound);
    }),
    core.deleteCollectionNamespacedConfigMap({ namespace: name }).catch(ignoreNotFound),
    core.deleteCollectionNamespacedSecret({ namespace: name }).catch(ignoreNotFound),
  ]);
  await finalizeNamespace(core, name);
}

/** Deletes a namespace and removes its finalizers, so it goes away without kube-controller-manager. */
export async function finalizeNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.deleteNamespace({ name });
    await core.replaceNamespaceFinalize({ name, body: { metadata: { name }, spec: { finalizers: [] } } });
  } catch (err) {
    ignoreNotFound(err);
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      await core.readNamespace({ name });
    } catch (err) {
      ignoreNotFound(err);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Namespace/${name}: still present after delete and finalize`);
}

function ignoreNotFound(err: unknown): void {
  if ((err as { code?: number }).code !== 404) throw err;
}
