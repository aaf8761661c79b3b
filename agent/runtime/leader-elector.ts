import type { Logger } from '../core/log.js';
import type { KubeClient } from '../kube/kube-client.js';
import { createLease, fetchLease, updateLease, type Lease } from '../kube/lease.js';
import { decideLeaderLease, toReleasedLease } from './leader-lease.js';

export interface LeaderElectorOptions {
  readonly client: KubeClient;
  /** Where the Lease lives (the inventory namespace, drover-system). */
  readonly namespace: string;
  /** The Lease's name (leaderLeaseName(shard)). */
  readonly name: string;
  /** This replica's identity (the pod name). */
  readonly identity: string;
  /** How long the Lease stands without renewal (default 15 s). A standby takes over at most this long after the leader's last renewal, plus one retry period. */
  readonly leaseDurationMs: number;
  /** How often the leader renews (default 5 s). */
  readonly renewPeriodMs: number;
  /** How often a standby tries to take the Lease (default 2 s). */
  readonly retryPeriodMs: number;
  readonly log: Logger;
  readonly now?: (() => number) | undefined;
}

/** What the agent loop asks of the election: am I the leader, and tell me when that changes. */
export interface LeaderGate {
  isLeader(): boolean;
  /** Whether the first attempt has decided (leader or standby): readiness. */
  isKnown(): boolean;
  /** Who holds the Lease, as last read (this replica's identity when it leads). */
  holder(): string | undefined;
  /** Called with true when this replica becomes the leader, false when it is found standing by (the first answer) or loses the Lease. */
  onChange(listener: (leading: boolean) => void): () => void;
  /** Stops campaigning; when leading, gives the Lease back at once (holder cleared, 1 s duration). */
  release(): Promise<void>;
}

/**
 * Leader election through one coordination.k8s.io/v1 Lease, as client-go's leaderelection does
 * it: the leader renews every `renewPeriodMs`; it counts itself deposed when no renewal has
 * succeeded for two thirds of the duration (before anyone else may take it); a standby reads the
 * Lease every `retryPeriodMs` and takes it once it is released or lapsed. Every write is
 * conditional on the resourceVersion read (a 409 means someone else moved first).
 */
export function startLeaderElector(options: LeaderElectorOptions): LeaderGate {
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'leader-election', lease: `${options.namespace}/${options.name}` });
  const durationSeconds = Math.max(1, Math.round(options.leaseDurationMs / 1000));
  const renewDeadlineMs = (options.leaseDurationMs * 2) / 3;
  const listeners = new Set<(leading: boolean) => void>();
  let leading = false;
  let known = false; // the first answer (leader or standby) is in
  let holder: string | undefined;
  let lastRenewed = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let lease: Lease | undefined;

  const setLeading = (value: boolean) => {
    const first = !known;
    known = true;
    if (value === leading && !first) return;
    if (value === leading) {
      for (const l of listeners) l(value); // the first answer: standing by
      return;
    }
    leading = value;
    if (value) log.info({ identity: options.identity }, 'became the leader');
    else log.error({ identity: options.identity }, 'leader election lost');
    for (const l of listeners) l(value);
  };

  const attempt = async () => {
    const current = await fetchLease(options.client, options.namespace, options.name);
    const decision = decideLeaderLease(current?.spec, current !== undefined, { identity: options.identity, durationSeconds, now: now() });
    if (decision.action === 'standby') {
      holder = decision.holder;
      lease = current;
      setLeading(false);
      return;
    }
    const written = decision.action === 'create'
      ? await createLease(options.client, options.namespace, options.name, decision.spec)
      : await updateLease(options.client, current!, decision.spec);
    if (!written) return; // another replica wrote first: read again next time
    lease = written;
    holder = options.identity;
    lastRenewed = now();
    if (decision.action !== 'renew') log.info({ transitions: decision.spec.leaseTransitions }, 'leader lease acquired');
    setLeading(true);
  };

  const loop = async () => {
    while (!stopped) {
      try {
        await attempt();
      } catch (e) {
        log.warn({ error: (e as Error).message }, 'leader lease not read or written');
      }
      if (stopped) break;
      if (leading && now() - lastRenewed > renewDeadlineMs) setLeading(false);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, leading ? options.renewPeriodMs : options.retryPeriodMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  };
  const running = loop();

  return {
    isLeader: () => leading,
    isKnown: () => known,
    holder: () => holder,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async release() {
      stopped = true;
      wake?.();
      await running;
      if (!leading || !lease?.spec) return;
      leading = false;
      try {
        const released = await updateLease(options.client, lease, toReleasedLease(lease.spec, now()));
        if (released) log.info({}, 'leader lease released');
        else log.warn({}, 'leader lease changed before its release; left as it is');
      } catch (e) {
        log.warn({ error: (e as Error).message }, 'leader lease not released; a standby takes over when it lapses');
      }
    },
  };
}
