import type { KubeObject } from '../core/kube-object.js';

/**
 * Gives every namespaced object that names no namespace the environment's default (what
 * `kubectl apply -n` does), and leaves cluster-scoped kinds alone. Pure: `isNamespaced` comes
 * from discovery. Objects of kinds the server does not know keep what they have; apply reports them.
 */
export function withDefaultNamespace(
  objects: readonly KubeObject[],
  namespace: string | undefined,
  isNamespaced: (apiVersion: string, kind: string) => boolean | undefined,
): KubeObject[] {
  if (!namespace) return [...objects];
  return objects.map((o) => {
    if (o.metadata.namespace || isNamespaced(o.apiVersion, o.kind) !== true) return o;
    return { ...o, metadata: { ...o.metadata, namespace } };
  });
}
