import type { KubeObject } from '../core/kube-object.js';
import type { KubeClient } from './kube-client.js';

export interface EventInput {
  /** The object the event is about (a Fleet). */
  readonly regarding: { apiVersion: string; kind: string; name: string; namespace: string; uid?: string | undefined };
  readonly type: 'Normal' | 'Warning';
  /** UpperCamelCase, e.g. the stage reason: `ApplyFailed`, `Applied`. */
  readonly reason: string;
  /** What happened, at most 1 kB (longer text is cut). Never a credential. */
  readonly note: string;
  /** What the controller did: `Reconcile`, `Apply`. */
  readonly action: string;
  /** The component reporting (`drover-agent`) and its instance (pod name). */
  readonly controller: string;
  readonly instance: string;
  readonly now: number;
}

/** An events.k8s.io/v1 Event object. Pure but for the random last digits of its name (two Events of one object in one millisecond). */
export function toEventObject(e: EventInput): KubeObject {
  const time = new Date(e.now).toISOString().replace(/Z$/, '000Z');
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    // `<object>.<hex time>` as client-go names Events (a generateName ending in `.` is invalid).
    metadata: { name: `${e.regarding.name}.${eventSuffix(e.now)}`, namespace: e.regarding.namespace },
    eventTime: time,
    reportingController: e.controller,
    reportingInstance: e.instance,
    action: e.action,
    reason: e.reason,
    note: [...e.note].slice(0, 1024).join(''),
    type: e.type,
    regarding: { apiVersion: e.regarding.apiVersion, kind: e.regarding.kind, name: e.regarding.name, namespace: e.regarding.namespace, ...(e.regarding.uid ? { uid: e.regarding.uid } : {}) },
  } as unknown as KubeObject;
}

/** Hex nanoseconds-ish of `now` plus random low digits, so two Events in one millisecond differ. */
function eventSuffix(now: number): string {
  return (BigInt(Math.floor(now)) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString(16);
}

/** Creates one Event (one POST). */
export async function postEvent(client: KubeClient, e: EventInput): Promise<void> {
  await client.create(toEventObject(e));
}
