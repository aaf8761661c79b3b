import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { withDefaultNamespace } from './default-namespace.js';

const obj = (kind: string, namespace?: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name: 'x', ...(namespace ? { namespace } : {}) } });
const namespaced = (_: string, kind: string) => (kind === 'Unknown' ? undefined : kind !== 'Namespace');

describe('withDefaultNamespace', () => {
  it.each([
    ['fills a namespaced object without one', obj('ConfigMap'), 'fleet', 'fleet'],
    ['keeps an explicit namespace', obj('ConfigMap', 'other'), 'fleet', 'other'],
    ['leaves cluster-scoped kinds alone', obj('Namespace'), 'fleet', undefined],
    ['leaves kinds unknown to the server alone', obj('Unknown'), 'fleet', undefined],
    ['does nothing without a default', obj('ConfigMap'), undefined, undefined],
  ])('%s', (_name, input, ns, expected) => {
    expect(withDefaultNamespace([input], ns, namespaced)[0]!.metadata.namespace).toBe(expected);
  });
});
