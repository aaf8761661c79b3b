import { z } from 'zod';
import { ConfigError, type Issue } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { DEFAULT_METAL_API_URL, type ProvidersConfig } from '../fleet/fleet-config.js';
import { compileCron } from './cron-match.js';
import type { ApplyWindow } from './apply-window.js';
import { parseDurationMs } from './duration.js';

export const FLEET_API_VERSION = 'drover.dev/v1alpha1';
export const FLEET_KIND = 'Fleet';
/** Annotate a Fleet with any new value to reconcile it now (`drover reconcile fleet NAME` sets it). */
export const RECONCILE_AT_ANNOTATION = 'drover.dev/reconcile-at';
/** Poll interval when the Fleet names neither interval nor schedule. */
export const DEFAULT_INTERVAL_MS = 60_000;

const secretRef = z.object({ name: z.string().min(1) });
const specSchema = z.object({
  source: z.object({
    url: z.string().regex(/^https?:\/\//, 'must be an http(s) URL'),
    ref: z.string().min(1).default('main'),
    secretRef: secretRef.optional(),
  }),
  path: z.string().min(1).default('drover.yaml'),
  interval: z.string().optional(),
  schedule: z.string().optional(),
  suspend: z.boolean().default(false),
  applyWindows: z
    .array(z.object({ environment: z.string(), windows: z.array(z.object({ schedule: z.string(), duration: z.string(), timeZone: z.string().optional() })).min(1) }))
    .default([]),
  forge: z
    .object({
      kind: z.enum(['github', 'gitlab', 'gitea']),
      url: z.string().optional(),
      repository: z.string().optional(),
      tokenSecretRef: z.object({ name: z.string().min(1), key: z.string().min(1).default('token') }).optional(),
    })
    .optional(),
  pullRequests: z.object({ enabled: z.boolean().default(false) }).default({ enabled: false }),
  prune: z.object({ onDelete: z.enum(['Orphan', 'Delete']).default('Orphan'), allowClusterDeletion: z.boolean().default(false) }).default({ onDelete: 'Orphan', allowClusterDeletion: false }),
  webhook: z.object({ secretRef: z.object({ name: z.string().min(1), key: z.string().min(1).default('token') }) }).optional(),
  providers: z
    .object({
      equinixMetal: z
        .object({
          apiURL: z.string().optional(),
          tokenSecretRef: z.object({ name: z.string().min(1), key: z.string().min(1).default('token') }),
          projects: z.record(z.string(), z.string().min(1)).default({}),
          capacity: z.enum(['block', 'warn']).default('block'),
        })
        .optional(),
    })
    .optional(),
});
export type FleetSpecInput = z.input<typeof specSchema>;

/** What the agent reads of a Fleet object: its identity and its validated spec. */
export interface FleetResource {
  /** `<namespace>/<name>`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly generation: number;
  readonly reconcileAt?: string | undefined;
  readonly deleting: boolean;
  /** metadata.finalizers, as read. */
  readonly finalizers: readonly string[];
  readonly spec: FleetSpec;
  /** The status as the object carries it (what the agent wrote before a restart). */
  readonly status: FleetStatusData | undefined;
}

export interface FleetSpec {
  readonly url: string;
  readonly ref: string;
  readonly secretName?: string | undefined;
  readonly configFile: string;
  /** Poll every intervalMs, or on the cron schedule when set. */
  readonly intervalMs: number;
  readonly schedule?: string | undefined;
  readonly suspend: boolean;
  /** Per environment name. */
  readonly applyWindows: ReadonlyMap<string, readonly ApplyWindow[]>;
  readonly forge?: { readonly kind: 'github' | 'gitlab' | 'gitea'; readonly url?: string | undefined; readonly repository?: string | undefined; readonly tokenSecret?: { readonly name: string; readonly key: string } | undefined } | undefined;
  readonly pullRequests: boolean;
  /** `spec.webhook.secretRef`: the Secret (Fleet's namespace) whose key holds the webhook secret; no webhooks without it. */
  readonly webhookSecret?: { readonly name: string; readonly key: string } | undefined;
  /** `spec.providers`, with tokens from Secrets in the Fleet's namespace; undefined: drover.yaml's block applies. */
  readonly providers?: ProvidersConfig | undefined;
  /**
   * `spec.prune`: what deleting the Fleet does. `Orphan` (default) leaves everything applied;
   * `Delete` prunes what its environments own before the Fleet goes (finalizer PRUNE_FINALIZER),
   * Clusters only with `allowClusterDeletion`.
   */
  readonly prune: { readonly onDelete: 'Orphan' | 'Delete'; readonly allowClusterDeletion: boolean };
}

/** Held on a Fleet with `spec.prune.onDelete: Delete` until the agent pruned what it applied. */
export const PRUNE_FINALIZER = 'drover.dev/prune-on-delete';

/** The status fields the agent reads back (it writes more; see fleet-status.ts). */
export interface FleetStatusData {
  readonly observedGeneration?: number;
  readonly lastHandledReconcileAt?: string;
  readonly source?: { revision?: string; lastFetchTime?: string; staleSince?: string; message?: string };
  readonly environments?: ReadonlyArray<{
    name: string;
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    lastAppliedTime?: string;
    nextApplyWindow?: string;
    observedGeneration?: number;
    clusters?: { total: number; success: number; pending: number; failure: number; error: number };
    conditions?: ReadonlyArray<{ type: string; status: string; reason: string; message?: string }>;
  }>;
}

/**
 * A Fleet object as the agent uses it. The CRD's schema already rejected most bad specs; this
 * checks what it cannot (durations, cron expressions, time zones) and throws a ConfigError
 * naming `Fleet/ns/name spec.<field>` for each problem. Pure.
 */
export function parseFleetResource(obj: KubeObject): FleetResource {
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const where = `Fleet/${namespace}/${name}`;
  const parsed = specSchema.safeParse(obj.spec ?? {});
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ code: 'InvalidFleet', path: ['spec', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: `${where} ${i.message}` })));
  }
  const s = parsed.data;
  const issues: Issue[] = [];
  const problem = (path: (string | number)[], message: string) => issues.push({ code: 'InvalidFleet', path: ['spec', ...path], message: `${where} spec.${path.join('.')}: ${message}` });
  let intervalMs = DEFAULT_INTERVAL_MS;
  if (s.interval !== undefined) {
    const ms = parseDurationMs(s.interval);
    if (ms === undefined || ms < 1000) problem(['interval'], `expected a duration of at least 1s such as "30s" or "5m", got ${JSON.stringify(s.interval)}`);
    else intervalMs = ms;
  }
  if (s.schedule !== undefined) {
    try {
      compileCron(s.schedule);
    } catch (e) {
      problem(['schedule'], (e as Error).message);
    }
  }
  const applyWindows = new Map<string, ApplyWindow[]>();
  s.applyWindows.forEach((entry, i) => {
    const windows: ApplyWindow[] = [];
    entry.windows.forEach((w, j) => {
      const durationMs = parseDurationMs(w.duration);
      if (durationMs === undefined || durationMs < 60_000) problem(['applyWindows', i, 'windows', j, 'duration'], `expected a duration of at least 1m, got ${JSON.stringify(w.duration)}`);
      try {
        windows.push({ opens: compileCron(w.schedule, w.timeZone ?? 'UTC'), durationMs: durationMs ?? 0 });
      } catch (e) {
        problem(['applyWindows', i, 'windows', j, 'schedule'], (e as Error).message);
      }
    });
    applyWindows.set(entry.environment, windows);
  });
  if (issues.length) throw new ConfigError(issues);
  const annotations = obj.metadata.annotations ?? {};
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: obj.metadata.uid ?? '',
    generation: obj.metadata.generation ?? 0,
    reconcileAt: annotations[RECONCILE_AT_ANNOTATION],
    deleting: obj.metadata.deletionTimestamp !== undefined,
    finalizers: obj.metadata.finalizers ?? [],
    status: obj.status as FleetStatusData | undefined,
    spec: {
      url: s.source.url,
      ref: s.source.ref,
      secretName: s.source.secretRef?.name,
      configFile: s.path,
      intervalMs,
      schedule: s.schedule,
      suspend: s.suspend,
      applyWindows,
      forge: s.forge ? { kind: s.forge.kind, url: s.forge.url, repository: s.forge.repository, tokenSecret: s.forge.tokenSecretRef } : undefined,
      pullRequests: s.pullRequests.enabled,
      webhookSecret: s.webhook?.secretRef,
      providers: toProvidersConfig(s.providers, namespace),
      prune: { onDelete: s.prune.onDelete, allowClusterDeletion: s.prune.allowClusterDeletion },
    },
  };
}

/** The Fleet's `spec.providers` in drover.yaml's shape, its token Secret in the Fleet's namespace. */
function toProvidersConfig(input: z.output<typeof specSchema>['providers'], namespace: string): ProvidersConfig | undefined {
  const m = input?.equinixMetal;
  if (!m) return undefined;
  return {
    equinixMetal: {
      apiURL: m.apiURL ?? DEFAULT_METAL_API_URL,
      token: { secret: { namespace, name: m.tokenSecretRef.name, key: m.tokenSecretRef.key } },
      projects: { ...m.projects },
      capacity: m.capacity,
    },
  };
}
