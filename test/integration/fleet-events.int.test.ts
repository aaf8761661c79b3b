// Fleet Events through the correlator against the real kube-apiserver: the same occurrence again
// updates one Event's series (count, last observed time) instead of creating another; a new
// message creates a new Event; past the per-object rate nothing more is written; an Event gone
// (expired) is created again.
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { silentLogger } from '../../agent/core/log.js';
import { createKubeClient, RequestCounter } from '../../agent/kube/kube-client.js';
import { EventCorrelator } from '../../agent/runtime/event-correlator.js';
import { FleetEventRecorder } from '../../agent/runtime/event-recorder.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);

interface EventObject extends KubeObject {
  reason: string;
  note: string;
  type: string;
  regarding: { kind: string; name: string; uid?: string };
  series?: { count: number; lastObservedTime: string };
}

describe('Fleet Events, deduplicated like Kubernetes’ event correlator', () => {
  let ns = '';
  const requests = new RequestCounter();
  const client = createKubeClient(kc, { requests });
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = () => clock;
  const events = async () => (await client.list('events.k8s.io/v1', 'Event', ns)).items as EventObject[];

  beforeAll(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'events');
  });
  afterAll(async () => {
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('the same event five times is one Event with series.count 5; another message is another Event', async () => {
    const recorder = new FleetEventRecorder({ client, log: silentLogger, controller: 'drover.dev/agent', instance: 'test-0', now });
    const fleet = { namespace: ns, name: 'fleet-a', uid: '00000000-0000-0000-0000-00000000000a' };
    const stuck = { type: 'Warning' as const, reason: 'ApplyFailed', action: 'Reconcile', note: `staging at main@sha1:${'a'.repeat(40)}: apply failed: Cluster/x/eu-1: denied` };
    for (let i = 0; i < 5; i++) {
      clock += 60_000;
      await recorder.record(fleet, stuck);
    }
    let list = await events();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ type: 'Warning', reason: 'ApplyFailed', note: stuck.note, regarding: { kind: 'Fleet', name: 'fleet-a', uid: fleet.uid }, series: { count: 5 } });
    expect(Date.parse(list[0]!.series!.lastObservedTime)).toBe(clock);
    await recorder.record(fleet, { ...stuck, note: `staging at main@sha1:${'b'.repeat(40)}: apply failed: Cluster/x/eu-1: denied` });
    list = await events();
    expect(list).toHaveLength(2);
  });

  it('past the per-object rate nothing more is written until a token is earned; the count catches up then', async () => {
    const recorder = new FleetEventRecorder({ client, log: silentLogger, controller: 'drover.dev/agent', instance: 'test-0', now, correlator: new EventCorrelator({ burst: 3, refillMs: 300_000 }) });
    const fleet = { namespace: ns, name: 'fleet-b', uid: '00000000-0000-0000-0000-00000000000b' };
    const e = { type: 'Warning' as const, reason: 'HealthFailed', action: 'Reconcile', note: 'staging at main@sha1:c: health failed: 1 cluster failed' };
    const writesBefore = requests.writes();
    for (let i = 0; i < 20; i++) {
      clock += 1_000;
      await recorder.record(fleet, e);
    }
    expect(requests.writes() - writesBefore).toBe(3); // one create, two series updates
    clock += 300_000;
    await recorder.record(fleet, e);
    const mine = (await events()).filter((x) => x.regarding.name === 'fleet-b');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.series?.count).toBe(21);
  });

  it('an Event deleted meanwhile (expired) is created again on the next occurrence', async () => {
    const recorder = new FleetEventRecorder({ client, log: silentLogger, controller: 'drover.dev/agent', instance: 'test-0', now });
    const fleet = { namespace: ns, name: 'fleet-c', uid: '00000000-0000-0000-0000-00000000000c' };
    const e = { type: 'Normal' as const, reason: 'Ready', action: 'Reconcile', note: 'staging at main@sha1:d: stage health: healthy' };
    await recorder.record(fleet, e);
    const [first] = (await events()).filter((x) => x.regarding.name === 'fleet-c');
    await client.delete({ apiVersion: 'events.k8s.io/v1', kind: 'Event', namespace: ns, name: first!.metadata.name! }, { uid: first!.metadata.uid! });
    clock += 1_000;
    await recorder.record(fleet, e);
    const mine = (await events()).filter((x) => x.regarding.name === 'fleet-c');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.metadata.name).not.toBe(first!.metadata.name);
  });
});
