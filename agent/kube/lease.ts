import type { KubeObject } from '../core/kube-object.js';
import type { KubeClient } from './kube-client.js';
import { statusCodeOf } from './kube-error.js';

/** A coordination.k8s.io/v1 Lease, the fields leader election and shard ownership use. */
export interface LeaseSpec {
  readonly holderIdentity?: string | undefined;
  readonly leaseDurationSeconds?: number | undefined;
  readonly acquireTime?: string | undefined;
  readonly renewTime?: string | undefined;
  readonly leaseTransitions?: number | undefined;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

const leaseRef = (namespace: string, name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name });

/** The Lease, or undefined when there is none (one GET). */
export async function fetchLease(client: KubeClient, namespace: string, name: string): Promise<Lease | undefined> {
  return (await client.get(leaseRef(namespace, name))) as Lease | undefined;
}

/** Creates the Lease; undefined when another holder created it first (409). */
export async function createLease(client: KubeClient, namespace: string, name: string, spec: LeaseSpec): Promise<Lease | undefined> {
  try {
    return (await client.create({ ...leaseRef(namespace, name), metadata: { name, namespace }, spec } as Lease)) as Lease;
  } catch (e) {
    if (statusCodeOf(e) === 409) return undefined;
    throw e;
  }
}

/**
 * Replaces the Lease's spec, conditional on the resourceVersion it was read at; undefined when
 * someone else wrote it in between (409): read it again and decide again.
 */
export async function updateLease(client: KubeClient, lease: Lease, spec: LeaseSpec): Promise<Lease | undefined> {
  try {
    return (await client.replace({ ...lease, spec })) as Lease;
  } catch (e) {
    if (statusCodeOf(e) === 409) return undefined;
    throw e;
  }
}
