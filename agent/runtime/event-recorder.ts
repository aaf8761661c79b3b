import type { Logger } from '../core/log.js';
import { toEventObject } from '../kube/events.js';
import { statusCodeOf, type KubeClient } from '../kube/kube-client.js';
import { EventCorrelator } from './event-correlator.js';
import type { FleetEvent } from './fleet-events.js';

export interface FleetRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string | undefined;
}

/**
 * Posts Events on Fleets through the correlator: a new occurrence creates an Event, the same
 * again updates its series (count, last observed time), and over the per-object rate nothing
 * is written until a token is earned back. An Event that cannot be written is logged at debug
 * and forgotten (Events are best effort; a reconcile never fails for one).
 */
export class FleetEventRecorder {
  private readonly correlator: EventCorrelator;

  constructor(private readonly deps: { client: KubeClient; log: Logger; controller: string; instance: string; now: () => number; correlator?: EventCorrelator | undefined }) {
    this.correlator = deps.correlator ?? new EventCorrelator();
  }

  async record(fleet: FleetRef, e: FleetEvent): Promise<void> {
    const now = this.deps.now();
    const object = fleet.uid || `${fleet.namespace}/${fleet.name}`;
    const decision = this.correlator.observe({ object, type: e.type, reason: e.reason, note: e.note }, now);
    if (decision.action === 'skip') return;
    try {
      if (decision.action === 'update') {
        try {
          await this.deps.client.mergePatch(
            { apiVersion: 'events.k8s.io/v1', kind: 'Event', namespace: fleet.namespace, name: decision.name },
            { series: { count: decision.count, lastObservedTime: microTime(now) } },
          );
          return;
        } catch (err) {
          if (statusCodeOf(err) !== 404) throw err;
          this.correlator.failed(decision.key); // expired (Events live an hour): a new one below
        }
      }
      const count = decision.action === 'create' ? decision.count : 1;
      const body = toEventObject({
        regarding: { apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', name: fleet.name, namespace: fleet.namespace, uid: fleet.uid },
        type: e.type, reason: e.reason, action: e.action, note: e.note,
        controller: this.deps.controller, instance: this.deps.instance, now: decision.action === 'create' ? decision.firstTime : now,
      });
      const created = await this.deps.client.create(count > 1 ? { ...body, series: { count, lastObservedTime: microTime(now) } } as never : body);
      if (created.metadata.name) this.correlator.created(decision.key, created.metadata.name);
    } catch (err) {
      this.correlator.failed(decision.key);
      this.deps.log.debug({ fleet: `${fleet.namespace}/${fleet.name}`, reason: e.reason, error: (err as Error).message }, 'event not posted');
    }
  }

  /** The Fleet is gone: forget its Events. */
  forget(fleet: FleetRef): void {
    this.correlator.forget(fleet.uid || `${fleet.namespace}/${fleet.name}`);
  }
}

/** A MicroTime (`2026-01-02T03:04:05.000000Z`). */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
