import { z } from 'zod';

/**
 * What drover.yaml declares, after validation and defaults. The file sits at the fleet
 * repository root; see fleet-example/drover.yaml for a commented example.
 */
export interface FleetConfig {
  /** Repo-relative file the configuration came from (for messages). */
  readonly file: string;
  /** In declaration order; `orderEnvironments()` gives the promotion order. */
  readonly environments: readonly EnvironmentConfig[];
  readonly protections: Protections;
  /** Infrastructure provider checks (agent/providers); empty: none, and no provider calls. */
  readonly providers: ProvidersConfig;
}

/** The `providers` block of drover.yaml. */
export interface ProvidersConfig {
  readonly equinixMetal?: EquinixMetalConfig | undefined;
}

/** Where a provider API token comes from; never the token itself. */
export type TokenSource =
  | { readonly file: string; readonly secret?: undefined }
  | { readonly secret: { readonly namespace?: string | undefined; readonly name: string; readonly key: string }; readonly file?: undefined };

export interface EquinixMetalConfig {
  /** The API root; default `https://api.equinix.com/metal/v1` (any Metal-compatible API). */
  readonly apiURL: string;
  readonly token: TokenSource;
  /** Environment name → Metal project UUID: plans and prices are read per project, devices listed in it. */
  readonly projects: Readonly<Record<string, string>>;
  /** What a capacity shortfall does to the plan: `block` (default) or `warn`. */
  readonly capacity: 'block' | 'warn';
}

export const DEFAULT_METAL_API_URL = 'https://api.equinix.com/metal/v1';

export interface EnvironmentConfig {
  /** DNS label; names the commit status context `drover/<name>`. */
  readonly name: string;
  /** Repo-relative directory holding the environment's kustomization (normalized, no "./"). */
  readonly path: string;
  /**
   * Namespace given to namespaced objects that name none (as `kubectl apply -n` does).
   * Undefined: objects must name their namespace. (The inventory lives in `drover-system`.)
   */
  readonly namespace: string | undefined;
  /**
   * Environments that must be healthy at the same revision before this one is applied
   * (written as one name or a list). Empty: applied as soon as a revision arrives.
   */
  readonly after: readonly string[];
  readonly prune: PrunePolicy;
  /** How long a cluster may provision before its health turns from pending to failure. */
  readonly provisioningTimeoutSeconds: number;
  /** Where, beyond its namespace, the environment may write (drover.yaml `allow`); empty by default. */
  readonly allow: AllowList;
}

/**
 * What an environment may write outside its own namespace: other namespaces, and cluster-scoped
 * kinds (`Kind` or `Kind.group`). Its own Namespace object needs no entry. Anything else is a
 * blocking finding, so an overlay that loses its `namespace:` cannot write into another
 * environment's namespace.
 */
export interface AllowList {
  readonly namespaces: readonly string[];
  readonly clusterScoped: readonly string[];
}

/**
 * When apply may delete objects Drover applied before and Git no longer declares. Apply refuses
 * to prune more than max(maxDeletions, maxFraction × inventory size) objects at once, and
 * refuses any prune when the environment renders empty unless `allowEmpty`.
 */
export interface PrunePolicy {
  readonly enabled: boolean;
  readonly maxDeletions: number;
  readonly maxFraction: number;
  readonly allowEmpty: boolean;
  /**
   * How many Clusters marked `drover.dev/delete: "true"` one apply may delete without their
   * objects counting against the limit above (default 0: they count like any deletion).
   */
  readonly allowClusterDeletions: number;
}

/** How deleting a whole cluster is allowed. */
export const ClusterDeletion = {
  /** The Cluster stays in Git with `drover.dev/delete: "true"`; Drover deletes it first. */
  Annotation: 'annotation',
  /** Drover never deletes a Cluster; a removal is always blocked. */
  Never: 'never',
} as const;
export type ClusterDeletion = (typeof ClusterDeletion)[keyof typeof ClusterDeletion];

export interface Protections {
  readonly clusterDeletion: ClusterDeletion;
}

/** The annotation that marks a Cluster for deletion (a tombstone kept in Git). */
export const DELETE_ANNOTATION = 'drover.dev/delete';

export const defaultPrunePolicy: PrunePolicy = Object.freeze({ enabled: true, maxDeletions: 5, maxFraction: 0.1, allowEmpty: false, allowClusterDeletions: 0 });
/** Bare-metal machines take a while to provision; 30 minutes before a cluster counts as failing. */
export const DEFAULT_PROVISIONING_TIMEOUT_SECONDS = 30 * 60;

const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label (lowercase letters, digits and "-")');

/** Go-style duration: `90s`, `45m`, `1h30m`. */
const duration = z
  .string()
  .regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, 'must be a duration such as "45m" or "1h30m"')
  .transform(parseDurationSeconds);

const pruneSchema = z.strictObject({
  enabled: z.boolean().default(defaultPrunePolicy.enabled),
  maxDeletions: z.number().int().min(0).default(defaultPrunePolicy.maxDeletions),
  maxFraction: z.number().min(0).max(1).default(defaultPrunePolicy.maxFraction),
  allowEmpty: z.boolean().default(defaultPrunePolicy.allowEmpty),
  allowClusterDeletions: z.number().int().min(0).default(defaultPrunePolicy.allowClusterDeletions),
});

const environmentSchema = z.strictObject({
  name: dnsLabel,
  path: z.string().min(1, 'must not be empty'),
  namespace: dnsLabel.optional(),
  after: z.union([dnsLabel, z.array(dnsLabel)]).optional(),
  prune: pruneSchema.optional(),
  provisioningTimeout: duration.optional(),
  allow: z
    .strictObject({
      namespaces: z.array(dnsLabel).optional(),
      clusterScoped: z.array(z.string().regex(/^[A-Z][A-Za-z0-9]*(\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/, 'must be a kind, as Kind or Kind.group')).optional(),
    })
    .optional(),
});

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a project UUID');

const metalSchema = z.strictObject({
  apiURL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL').optional(),
  token: z.strictObject({
    file: z.string().min(1, 'must not be empty').optional(),
    secret: z.strictObject({ namespace: dnsLabel.optional(), name: z.string().min(1, 'must not be empty'), key: z.string().min(1, 'must not be empty') }).optional(),
  }),
  projects: z.record(z.string(), uuid).optional(),
  capacity: z.enum(['block', 'warn']).optional(),
});

export const fleetConfigSchema = z.strictObject({
  apiVersion: z.literal('drover.dev/v1alpha1').optional(),
  kind: z.literal('Fleet').optional(),
  environments: z.array(environmentSchema).min(1, 'must list at least one environment'),
  protections: z
    .strictObject({
      clusterDeletion: z.enum([ClusterDeletion.Annotation, ClusterDeletion.Never]).default(ClusterDeletion.Annotation),
    })
    .optional(),
  providers: z.strictObject({ equinixMetal: metalSchema.optional() }).optional(),
});
export type FleetConfigInput = z.input<typeof fleetConfigSchema>;

function parseDurationSeconds(text: string): number {
  const unit = { h: 3600, m: 60, s: 1 } as const;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([hms])/g)) total += Number(m[1]) * unit[m[2] as keyof typeof unit];
  return total;
}
