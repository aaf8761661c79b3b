// API priority and fairness against a real kube-apiserver (issue 14: "its priority-and-fairness
// signals respected"). A PRIVATE plane with APF on and small in-flight limits; a FlowSchema puts
// one impersonated user into a priority level of its own with one seat and `Reject`, so requests
// beyond that seat are answered 429 with a Retry-After, unexecuted. Drover's client must wait each
// one out and send it again (agent/kube/throttle.ts): every write lands, none is lost or doubled,
// and the server's own metrics show it did reject.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { startControlPlane, type ControlPlane } from '../support/control-plane.js';
import { waitUntil } from '../support/wait-until.js';

const USER = 'apf-tight-writer';
const NS = 'apf-throttle';
const LEVEL = 'drover-test-one-seat';

let plane: ControlPlane;
let admin: KubeClient;
let tight: KubeClient;

/** The apiserver's own count of requests it rejected for our priority level (its /metrics). */
function rejectedByServer(): number {
  const r = spawnSync('kubectl', ['--kubeconfig', plane.kubeconfigPath, 'get', '--raw', '/metrics'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`kubectl get --raw /metrics: ${r.stderr}`);
  let n = 0;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('apiserver_flowcontrol_rejected_requests_total{') && line.includes(`priority_level="${LEVEL}"`)) n += Number(line.split(' ').pop());
  }
  return n;
}

beforeAll(async () => {
  // 10 + 5 seats for the whole server: the one-share level below gets one.
  plane = await startControlPlane({ log: () => {}, apiserverArgs: ['--enable-priority-and-fairness=true', '--max-requests-inflight=10', '--max-mutating-requests-inflight=5'] });
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  admin = createKubeClient(kc, { fieldManager: 'test-admin' });
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'configmaps', namespace: NS }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch', 'update'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'configmaps', namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USER }] },
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name: LEVEL },
      spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, lendablePercent: 0, limitResponse: { type: 'Reject' } } },
    },
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: LEVEL },
      spec: {
        priorityLevelConfiguration: { name: LEVEL }, matchingPrecedence: 100, distinguisherMethod: { type: 'ByUser' },
        rules: [{ subjects: [{ kind: 'User', user: { name: USER } }], resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true }] }],
      },
    },
  ];
  for (const o of objects) await admin.apply(o as never, { dryRun: false, force: true });
  // The APF configuration controller marks the FlowSchema as not dangling once it serves it.
  await waitUntil(async () => {
    const fs = await admin.get({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', name: LEVEL });
    const dangling = (fs?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.find((c) => c.type === 'Dangling');
    return dangling?.status === 'False' ? true : undefined;
  }, { what: `FlowSchema ${LEVEL} in effect`, timeoutMs: 30_000 });
  const asUser = new KubeConfig();
  asUser.loadFromFile(plane.kubeconfigPath);
  const u = asUser.getCurrentUser()!;
  asUser.users = asUser.users.map((x) => (x.name === u.name ? { ...x, impersonateUser: USER } : x));
  const path = join(plane.dir, 'kubeconfig-apf-user');
  await writeFile(path, asUser.exportConfig(), { mode: 0o600 });
  const kcUser = new KubeConfig();
  kcUser.loadFromFile(path);
  // Enough attempts that a burst on one seat always gets through; Retry-After decides each wait.
  tight = createKubeClient(kcUser, { fieldManager: 'test-apf', throttle: { maxAttempts: 30, defaultDelayMs: 200, maxDelayMs: 3000 } });
}, 300_000);

afterAll(async () => {
  await plane?.stop();
});

describe('a priority level with one seat that rejects', () => {
  it('answers a burst with 429s; the client waits each out, every write lands exactly once', async () => {
    const rejectedBefore = rejectedByServer();
    const names = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    const written = await Promise.all(
      names.map((name) => tight.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { n: name } }, { dryRun: false, force: true })),
    );
    const rejected = rejectedByServer() - rejectedBefore;
    expect(written.map((o) => o.metadata.name)).toEqual(names);
    // The server rejected (its own count), and the client sent each rejected request again.
    expect(rejected).toBeGreaterThan(0);
    expect(tight.requests.throttled).toBe(rejected);
    const list = await admin.list('v1', 'ConfigMap', NS);
    const burst = list.items.filter((o) => o.metadata.name?.startsWith('burst-'));
    expect(burst.map((o) => o.metadata.name).sort()).toEqual([...names].sort());
    // Each landed once: an apply sent again after a 429 was never executed the first time.
    for (const o of burst) expect(o.metadata.resourceVersion).toBe(written.find((w) => w.metadata.name === o.metadata.name)!.metadata.resourceVersion);
    console.log(`APF: ${names.length} concurrent applies on one seat: ${rejected} answered 429 and sent again after Retry-After, 0 lost`);
  });
});
