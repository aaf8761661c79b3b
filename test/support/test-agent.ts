// The agent in the test process, wired as `drover agent` wires it (one request counter shared by
// its client and its record client), with test defaults: no log, loopback on a free port, two
// Fleets at a time. Each test names its Fleet namespace and cache; anything else is overridable.
import type { KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../../agent/core/log.js';
import { createKubeClient, RequestCounter } from '../../agent/kube/kube-client.js';
import { RECORD_FIELD_MANAGER } from '../../agent/reconcile/status-record.js';
import { startAgent, type AgentOptions, type RunningAgent } from '../../agent/runtime/agent.js';

export type TestAgentOptions = Partial<Omit<AgentOptions, 'client' | 'recordClient' | 'requests'>> & {
  /** Where its Fleets are (and, unless set, its inventories). */
  readonly namespace: string;
  readonly cacheDir: string;
};

export function startTestAgent(kc: KubeConfig, options: TestAgentOptions): Promise<RunningAgent> {
  const requests = new RequestCounter();
  return startAgent({
    log: silentLogger,
    concurrency: 2,
    listenHost: '127.0.0.1',
    listenPort: 0,
    inventoryNamespace: options.namespace,
    recheckMs: 1000,
    identity: 'test-agent',
    ...options,
    client: createKubeClient(kc, { requests }),
    recordClient: createKubeClient(kc, { fieldManager: RECORD_FIELD_MANAGER, requests }),
    requests,
  });
}
