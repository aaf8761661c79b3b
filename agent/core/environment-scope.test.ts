import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { formatForeignOwner, outsideScope, type EnvironmentScope } from './environment-scope.js';

const scope: EnvironmentScope = { environment: 'staging', namespace: 'fleet-staging', namespaces: ['capi-shared'], clusterScoped: ['ClusterRole.rbac.authorization.k8s.io', 'PriorityClass'], allowAt: 'environments[0].allow' };
const o = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('outsideScope', () => {
  it.each([
    ['its own namespace', o('v1', 'ConfigMap', 'a', 'fleet-staging')],
    ['an allowed namespace', o('v1', 'ConfigMap', 'a', 'capi-shared')],
    ['its own Namespace object', o('v1', 'Namespace', 'fleet-staging')],
    ['the Namespace of an allowed namespace', o('v1', 'Namespace', 'capi-shared')],
    ['an allowed cluster-scoped kind named with its group', o('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r')],
    ['an allowed cluster-scoped kind named without a group', o('scheduling.k8s.io/v1', 'PriorityClass', 'p')],
  ])('allows %s', (_name, obj) => expect(outsideScope(obj, scope)).toBeUndefined());

  it.each([
    ["another environment's namespace", o('cluster.x-k8s.io/v1beta2', 'Cluster', 'eu-1', 'fleet-prod'), "Cluster/fleet-prod/eu-1 is outside environment staging's namespace fleet-staging: add fleet-prod to environments[0].allow.namespaces in drover.yaml to write there"],
    ["another environment's Namespace object", o('v1', 'Namespace', 'fleet-prod'), 'Namespace/fleet-prod is cluster-scoped: environment staging writes a cluster-scoped kind only when drover.yaml allows it (add Namespace to environments[0].allow.clusterScoped)'],
    ['a cluster-scoped kind not listed', o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'x.example.com'), 'CustomResourceDefinition/x.example.com is cluster-scoped: environment staging writes a cluster-scoped kind only when drover.yaml allows it (add CustomResourceDefinition.apiextensions.k8s.io to environments[0].allow.clusterScoped)'],
  ])('refuses %s, saying what to add', (_name, obj, message) => expect(outsideScope(obj, scope)).toBe(message));

  it('has no namespace rule for an environment without a namespace, but keeps the cluster-scoped one', () => {
    const none = { ...scope, namespace: undefined, namespaces: [], clusterScoped: [] };
    expect(outsideScope(o('v1', 'ConfigMap', 'a', 'anywhere'), none)).toBeUndefined();
    expect(outsideScope(o('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r'), none)).toContain('is cluster-scoped');
  });

  it('names both environments when another one owns the object', () => {
    expect(formatForeignOwner('ConfigMap/fleet-prod/settings', 'staging', 'prod', 'ConfigMap/drover-system/drover-inventory-prod')).toBe(
      'ConfigMap/fleet-prod/settings belongs to environment prod (listed in its inventory ConfigMap/drover-system/drover-inventory-prod): environment staging may not take it over; declare it in one environment only',
    );
  });
});
