// fleet-example/ is a fleet Drover can run: its drover.yaml validates, `kubectl kustomize` (the
// oracle) builds each environment, every object passes a server-side dry-run against the real
// CAPI and Packet CRD schemas (fieldValidation=Strict), and each object lands in the cluster
// bucket it belongs to.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, createConfiguration, KubeConfig, KubernetesObjectApi, PatchStrategy, ServerConfiguration } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toRef, type KubeObject } from '../../agent/core/kube-object.js';
import { formatRef } from '../../agent/core/object-ref.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { orderEnvironments } from '../../agent/fleet/order-environments.js';
import { parseFleetConfig } from '../../agent/fleet/parse-fleet-config.js';
import { createLocalSource } from '../../agent/source/local-source.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const run = promisify(execFile);
const FLEET = join(import.meta.dirname, '../../fleet-example');

async function kustomize(env: string): Promise<KubeObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', join(FLEET, 'environments', env)], { maxBuffer: 64 << 20 });
  return parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject);
}

function strictObjectApi(kc: KubeConfig): KubernetesObjectApi {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  return new KubernetesObjectApi(createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [{ pre: async (ctx) => { ctx.setQueryParam('fieldValidation', 'Strict'); return ctx; }, post: async (res) => res }],
  }));
}

const names = (objects: readonly KubeObject[]): string[] => objects.map((o) => formatRef(toRef(o)));

describe('fleet-example', () => {
  let ns = '';
  beforeAll(async () => {
    ns = await createTestNamespace(inject('kubeconfigPath'), 'fleet-example');
  });
  afterAll(async () => {
    if (ns) await deleteTestNamespace(inject('kubeconfigPath'), ns);
  });

  it('has a valid drover.yaml promoting staging before prod, with dev (in-memory) outside the chain', async () => {
    const snapshot = await createLocalSource(FLEET).fetchRevision();
    const config = parseFleetConfig(snapshot.tree);
    expect(orderEnvironments(config).map((e) => [e.name, e.path, e.namespace])).toEqual([
      ['dev', 'environments/dev', 'fleet-dev'],
      ['staging', 'environments/staging', 'fleet-staging'],
      ['prod', 'environments/prod', 'fleet-prod'],
    ]);
  });

  it.each([
    {
      env: 'dev',
      clusters: { 'fleet-dev/mem-1': 7, 'fleet-dev/mem-2': 7 },
      environment: ['Namespace/fleet-dev'],
    },
    {
      env: 'staging',
      clusters: { 'fleet-staging/ams-stg-1': 7 },
      environment: ['Namespace/fleet-staging', 'ConfigMap/fleet-staging/cni-calico', 'ClusterResourceSet/fleet-staging/cni-calico'],
    },
    {
      env: 'prod',
      clusters: { 'fleet-prod/dal-1': 8, 'fleet-prod/fra-1': 11 },
      environment: ['Namespace/fleet-prod', 'ConfigMap/fleet-prod/cni-calico', 'ClusterResourceSet/fleet-prod/cni-calico'],
    },
  ])('builds $env into clusters that own every CAPI object', async ({ env, clusters, environment }) => {
    const objects = await kustomize(env);
    const result = attributeObjects(objects);
    expect(Object.fromEntries([...result.clusters].map(([k, c]) => [k, c.objects.length]))).toEqual(clusters);
    expect(names(result.environment).sort()).toEqual([...environment].sort());
    for (const c of result.clusters.values()) {
      expect(c.cluster?.apiVersion).toBe('cluster.x-k8s.io/v1beta2');
      // Templates carry a version suffix: an edit means a new name, never an in-place change.
      for (const t of c.objects.filter((o) => o.kind.endsWith('Template'))) expect(t.metadata.name).toMatch(/-v\d+$/);
      // Autoscaled pools leave replicas to the autoscaler.
      for (const md of c.objects.filter((o) => o.kind === 'MachineDeployment')) {
        const autoscaled = Object.keys(md.metadata.annotations ?? {}).some((a) => a.startsWith('cluster.x-k8s.io/cluster-api-autoscaler-node-group-'));
        expect('replicas' in (md.spec as object), formatRef(toRef(md))).toBe(!autoscaled);
      }
    }
  });

  it.each(['staging', 'prod'])('passes a strict server-side dry-run of every %s object against the real CRDs', async (env) => {
    const kc = new KubeConfig();
    kc.loadFromFile(inject('kubeconfigPath'));
    const api = strictObjectApi(kc);
    const objects = (await kustomize(env)).map((o) => (o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace: ns } }));
    const failures: string[] = [];
    for (const obj of objects) {
      try {
        await api.patch(obj as never, undefined, 'All', 'drover-test', true, PatchStrategy.ServerSideApply);
      } catch (e) {
        const body = e instanceof ApiException ? (e.body as string) : String(e);
        failures.push(`${formatRef(toRef(obj))}: ${body}`);
      }
    }
    expect(failures).toEqual([]);
    expect(objects.length).toBeGreaterThan(9);
  });

  it('would catch a typo: the same dry-run rejects an unknown field in a Packet template', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(inject('kubeconfigPath'));
    const template = (await kustomize('staging')).find((o) => o.kind === 'PacketMachineTemplate')!;
    const spec = (template.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    const typo = { ...template, metadata: { ...template.metadata, namespace: ns }, spec: { template: { spec: { ...spec, machineTyp: 'c3.small.x86' } } } };
    const err = await strictObjectApi(kc).patch(typo as never, undefined, 'All', 'drover-test', true, PatchStrategy.ServerSideApply).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect(String((err as ApiException<string>).body)).toContain('.spec.template.spec.machineTyp');
  });
});
