// The environment Lease a killed Drover could not give back stands for its duration (60 s). Fault
// tests that want the re-run without that wait back-date its renewTime, which is what an expired
// Lease looks like to the next holder; the refusal before it is asserted by the caller.
import { environmentLeaseName } from '../../agent/reconcile/environment-lease.js';
import { fetchLease, updateLease } from '../../agent/kube/lease.js';
import type { KubeClient } from '../../agent/kube/kube-client.js';

/** Back-dates the Lease if someone holds it; true when it was held. */
export async function expireEnvironmentLease(client: KubeClient, namespace: string, environment: string): Promise<boolean> {
  const lease = await fetchLease(client, namespace, environmentLeaseName(environment));
  if (!lease?.spec?.holderIdentity) return false;
  const past = new Date(Date.now() - 3_600_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  await updateLease(client, lease, { ...lease.spec, acquireTime: past, renewTime: past });
  return true;
}
