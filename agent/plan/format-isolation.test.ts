import { describe, expect, it } from 'vitest';
import { outsideScope } from '../core/environment-scope.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';
import { computePlan } from './compute-plan.js';
import { formatPlanMarkdown } from './format-markdown.js';
import { formatPlanText } from './format-text.js';

// Golden texts of environment isolation (issue 8 #4): the block findings naming both
// environments, the outside-namespace and cluster-scoped refusals, and the adopt change.
describe('plan texts for environment isolation', () => {
  const cm = (ns: string, name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
  const live = (o: KubeObject, managers: string[], uid: string): KubeObject => ({ ...o, metadata: { ...o.metadata, uid, managedFields: managers.map((manager) => ({ manager, operation: 'Apply' })) } });
  const scope = { environment: 'staging', namespace: 'fleet-staging', namespaces: [], clusterScoped: [], allowAt: 'environments[0].allow' };

  it('renders the findings and the adopt change', async () => {
    const takeover = cm('fleet-prod', 'settings', { size: 'small' });
    const handmade = cm('fleet-staging', 'handmade', { by: 'git' });
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'capi-reader' }, rules: [] };
    const desired = [takeover, handmade, role];
    const plan = computePlan({
      environment: 'staging',
      revision: `main@sha1:${'b'.repeat(40)}`,
      desired,
      live: [live(cm('fleet-prod', 'settings', { size: 'large', replicas: '5' }), ['drover/prod'], 'u1'), live(cm('fleet-staging', 'handmade', { by: 'hand' }), ['kubectl'], 'u2')],
      dryRun: new Map([[refKey(toRef(handmade)), live(handmade, ['kubectl', 'drover/staging'], 'u2')]]),
      owned: new Set(),
      clusters: { clusters: new Map() },
      isolation: {
        foreignOwners: new Map([[refKey(toRef(takeover)), { environment: 'prod', where: 'ConfigMap/drover-system/drover-inventory-prod' }]]),
        outside: new Map(desired.map((o) => [refKey(toRef(o)), outsideScope(o, scope)] as const).filter((e): e is [string, string] => e[1] !== undefined)),
      },
    });
    await expect(`${formatPlanText(plan)}\n--- markdown ---\n${formatPlanMarkdown(plan)}`).toMatchFileSnapshot('../../test/golden/plan/isolation.txt');
  });
});
