import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Logger } from '../core/log.js';
import { groupOf } from '../core/object-ref.js';

const CAPI = 'cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io';

/**
 * The machines of an environment's clusters, which health reads for its message and failures
 * but Git does not declare: CAPI Machines (in the namespaces of the declared Clusters) and the
 * infrastructure machines (PacketMachine, …), whose kinds come from the machine templates the
 * revision declares (`PacketMachineTemplate` → `PacketMachine`, same apiVersion and namespace).
 * One paginated LIST per kind and namespace; a kind the server does not serve, or a LIST it
 * refuses, only leaves those details out.
 */
export async function fetchMachineObjects(client: KubeClient, desired: readonly KubeObject[], log: Logger): Promise<KubeObject[]> {
  const scopes = new Map<string, { apiVersion: string; kind: string; namespace: string }>();
  const add = (apiVersion: string, kind: string, namespace: string | undefined) => {
    if (namespace) scopes.set(`${apiVersion}|${kind}|${namespace}`, { apiVersion, kind, namespace });
  };
  for (const o of desired) {
    const group = groupOf(o.apiVersion);
    if (group === CAPI && o.kind === 'Cluster') add(o.apiVersion, 'Machine', o.metadata.namespace);
    else if (group === INFRA && o.kind.endsWith('MachineTemplate')) add(o.apiVersion, o.kind.slice(0, -'Template'.length), o.metadata.namespace);
  }
  const out: KubeObject[] = [];
  for (const s of scopes.values()) {
    try {
      if (!(await client.resourceFor(s.apiVersion, s.kind))) continue;
      out.push(...(await client.list(s.apiVersion, s.kind, s.namespace)).items);
    } catch (e) {
      log.debug({ kind: s.kind, namespace: s.namespace, error: (e as Error).message }, 'machines not listed, health details left out');
    }
  }
  return out;
}
