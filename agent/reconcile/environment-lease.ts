import { hostname } from 'node:os';
import { ApplyError, Retry } from '../core/errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import { createLease, fetchLease, updateLease, type Lease } from '../kube/lease.js';

/**
 * One writer per environment: the CLI and the agent both take the Lease
 * `<namespace>/drover-apply-<env>` (coordination.k8s.io/v1) before writing, renew it while they
 * apply, and give it back after. Another holder's live Lease is a refusal that names it; an
 * expired one (its holder crashed) is taken over.
 */
export interface EnvironmentLeaseOptions {
  /** Where the Leases live (the inventory namespace, drover-system). */
  readonly namespace: string;
  /** Who holds it: the agent's pod name, or `drover-cli@<host>/<pid>`. */
  readonly holder: string;
  /** How long the Lease stands without renewal; renewed every third of it. Default 60 s. */
  readonly durationSeconds?: number | undefined;
  readonly now?: (() => number) | undefined;
}

export interface HeldLease {
  /** Stops renewing and gives the Lease back (clears its holder, if still ours). */
  release(): Promise<void>;
}

export function environmentLeaseName(environment: string): string {
  return `drover-apply-${environment}`;
}

export function defaultLeaseHolder(): string {
  return `drover-cli@${hostname()}/${process.pid}`;
}

/** Takes the environment's Lease, or throws a transient ApplyError naming who holds it and since when. */
export async function acquireEnvironmentLease(client: KubeClient, environment: string, options: EnvironmentLeaseOptions): Promise<HeldLease> {
  const now = options.now ?? Date.now;
  const duration = options.durationSeconds ?? 60;
  const name = environmentLeaseName(environment);
  const spec = (acquireTime: string) => ({ holderIdentity: options.holder, leaseDurationSeconds: duration, acquireTime, renewTime: micro(now()) });
  let lease: Lease | undefined;
  for (let attempt = 0; attempt < 3 && !lease; attempt++) {
    const current = await fetchLease(client, options.namespace, name);
    if (!current) {
      try {
        lease = await createLease(client, options.namespace, name, spec(micro(now())));
      } catch (e) {
        // First apply on this cluster: the inventory namespace is created here, as the inventory store does.
        if (!(e instanceof ApplyError) || !/NotFound: namespaces? "?[^ ]*"? not found/.test(e.message)) throw e;
        await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace } }, { dryRun: false, force: true });
      }
      continue;
    }
    const s = current.spec ?? {};
    const renewed = Date.parse(s.renewTime ?? s.acquireTime ?? '') || 0;
    const expired = renewed + (s.leaseDurationSeconds ?? duration) * 1000 < now();
    if (s.holderIdentity && s.holderIdentity !== options.holder && !expired) {
      // A holder that died (SIGKILL, or the apiserver was gone when it tried to give the Lease
      // back) still holds it until it expires: say when, so nobody waits on a dead process.
      const expires = new Date(renewed + (s.leaseDurationSeconds ?? duration) * 1000).toISOString();
      throw new ApplyError(`environment ${environment} is being applied by ${s.holderIdentity} since ${s.acquireTime ?? s.renewTime ?? 'an unknown time'} (Lease ${options.namespace}/${name}, expires at ${expires} unless renewed); try again when it is done, or after that time if the holder is gone`, {
        retry: Retry.Transient,
        data: { lease: `${options.namespace}/${name}`, holder: s.holderIdentity, since: s.acquireTime },
      });
    }
    lease = await updateLease(client, current, { ...spec(s.holderIdentity === options.holder ? (s.acquireTime ?? micro(now())) : micro(now())), leaseTransitions: (s.leaseTransitions ?? 0) + (s.holderIdentity === options.holder ? 0 : 1) });
  }
  if (!lease) throw new ApplyError(`environment ${environment}: Lease ${options.namespace}/${name} keeps changing under us; try again`, { retry: Retry.Transient });
  let held: Lease = lease;
  const timer = setInterval(() => {
    void updateLease(client, held, { ...held.spec, renewTime: micro(now()) }).then((l) => {
      if (l) held = l;
    }, () => undefined);
  }, (duration * 1000) / 3);
  timer.unref?.();
  return {
    async release() {
      clearInterval(timer);
      // Given back by clearing the holder (RBAC grants get/create/update on Leases, not delete).
      const current = await fetchLease(client, options.namespace, name).catch(() => undefined);
      if (current?.spec?.holderIdentity === options.holder) {
        const { holderIdentity: _mine, ...rest } = current.spec;
        await updateLease(client, current, rest).catch(() => undefined);
      }
    },
  };
}

/** RFC 3339 with microseconds, as Lease times are. */
function micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
