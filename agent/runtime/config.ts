import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, type Issue } from '../core/errors.js';
import { parseDurationMs } from './duration.js';
import { leaderLeaseName } from './leader-lease.js';

/** The agent's configuration: flags first, then environment variables, then defaults. Frozen. */
export interface AgentConfig {
  /** Kubeconfig file; undefined: the in-cluster service account (KUBERNETES_SERVICE_HOST). */
  readonly kubeconfig: string | undefined;
  /** Serve the Fleets of one namespace; undefined: every namespace. */
  readonly namespace: string | undefined;
  /**
   * The label selector of the Fleet watch: `drover.dev/shard=<shard>` with `--shard`, else
   * `!drover.dev/shard` (the Fleets no shard claims), joined with `--selector` when given.
   */
  readonly selector: string;
  /** The shard this replica serves (`--shard`); undefined: the unsharded Fleets. */
  readonly shard: string | undefined;
  /** Leader election among the replicas of one shard; undefined: off (`--leader-elect=false`), this replica always leads. */
  readonly leaderElection: LeaderElectionConfig | undefined;
  /** Fleets reconciled at the same time, at most. */
  readonly concurrency: number;
  /** `host:port` of the HTTP server (/healthz, /readyz, plug-in routes). Port 0 picks one. */
  readonly listenHost: string;
  readonly listenPort: number;
  /** Git caches, the forge outboxes. An emptyDir in the pod. */
  readonly cacheDir: string;
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Where the inventories and apply records live. */
  readonly inventoryNamespace: string;
  /** How often a converging environment (health pending, promotion waiting) is looked at again, at most. */
  readonly recheckMs: number;
  /** This replica's name in Events and Leases (the pod name). */
  readonly identity: string;
  /** Git HTTP limits per request (connect, server silence, whole request); see source/git-http-timeouts.ts. */
  readonly gitTimeouts: { readonly connectMs: number; readonly idleMs: number; readonly totalMs: number };
  /** How long one Kubernetes request (not a watch) may go unanswered before it fails as transient. */
  readonly requestTimeoutMs: number;
  /** The most time one reconcile of a Fleet spends reporting to its forge; the rest waits in the outbox. */
  readonly reportTimeoutMs: number;
  /** Serve the fleet page (`--page`, default on; `--no-page` turns it off). */
  readonly page: boolean;
  /** The page on a port of its own (`--page-listen HOST:PORT`); undefined: on the agent's HTTP server. */
  readonly pageListen?: { readonly host: string; readonly port: number } | undefined;
  /** The page's external URL (`--public-url`): commit statuses link to it. */
  readonly publicUrl?: string | undefined;
  /** How often statuses waiting in an outbox are retried while their forge is away. */
  readonly outboxRetryMs: number;
  /** Outbox caps: most statuses kept per Fleet, longest one may wait. */
  readonly outboxLimits: { readonly maxEntries: number; readonly maxAgeMs: number };
}

/** One Lease per shard in the inventory namespace; the timings are client-go's defaults. */
export interface LeaderElectionConfig {
  /** `drover-agent-leader` or `drover-agent-leader-<shard>`. */
  readonly leaseName: string;
  /** How long the Lease stands without renewal (default 15s): a standby takes over within this plus one retry. */
  readonly leaseDurationMs: number;
  /** How often the leader renews (default 5s). */
  readonly renewPeriodMs: number;
  /** How often a standby tries to take the Lease (default 2s). */
  readonly retryPeriodMs: number;
}

/** The label that assigns a Fleet to a shard. */
export const SHARD_LABEL = 'drover.dev/shard';

/** The environment variables the agent reads; each has a flag of the same meaning. */
export const AGENT_ENV = {
  kubeconfig: 'KUBECONFIG',
  namespace: 'DROVER_NAMESPACE',
  selector: 'DROVER_SELECTOR',
  concurrency: 'DROVER_CONCURRENCY',
  listen: 'DROVER_LISTEN',
  cacheDir: 'DROVER_CACHE_DIR',
  logLevel: 'DROVER_LOG_LEVEL',
  inventoryNamespace: 'DROVER_INVENTORY_NAMESPACE',
  recheckInterval: 'DROVER_RECHECK_INTERVAL',
  identity: 'POD_NAME',
  gitConnectTimeout: 'DROVER_GIT_CONNECT_TIMEOUT',
  gitIdleTimeout: 'DROVER_GIT_IDLE_TIMEOUT',
  gitTimeout: 'DROVER_GIT_TIMEOUT',
  requestTimeout: 'DROVER_REQUEST_TIMEOUT',
  reportTimeout: 'DROVER_REPORT_TIMEOUT',
  page: 'DROVER_PAGE',
  pageListen: 'DROVER_PAGE_LISTEN',
  publicUrl: 'DROVER_PUBLIC_URL',
  shard: 'DROVER_SHARD',
  leaderElect: 'DROVER_LEADER_ELECT',
  leaseDuration: 'DROVER_LEADER_LEASE_DURATION',
  renewPeriod: 'DROVER_LEADER_RENEW_PERIOD',
  retryPeriod: 'DROVER_LEADER_RETRY_PERIOD',
  outboxRetryInterval: 'DROVER_OUTBOX_RETRY_INTERVAL',
  outboxMaxAge: 'DROVER_OUTBOX_MAX_AGE',
  outboxMaxEntries: 'DROVER_OUTBOX_MAX_ENTRIES',
} as const;

const flags = {
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  selector: { type: 'string', short: 'l' },
  concurrency: { type: 'string' },
  listen: { type: 'string' },
  'cache-dir': { type: 'string' },
  'log-level': { type: 'string' },
  'inventory-namespace': { type: 'string' },
  'recheck-interval': { type: 'string' },
  'git-connect-timeout': { type: 'string' },
  'git-idle-timeout': { type: 'string' },
  'git-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'report-timeout': { type: 'string' },
  page: { type: 'boolean' },
  'no-page': { type: 'boolean' },
  'page-listen': { type: 'string' },
  'public-url': { type: 'string' },
  shard: { type: 'string' },
  'leader-elect': { type: 'string' },
  'leader-lease-duration': { type: 'string' },
  'leader-renew-period': { type: 'string' },
  'leader-retry-period': { type: 'string' },
  'outbox-retry-interval': { type: 'string' },
  'outbox-max-age': { type: 'string' },
  'outbox-max-entries': { type: 'string' },
} as const;

/** A duration flag (`15s`, `2m`) of at least one second. */
const durationAtLeast1s = (fallback: string) => z.string().refine((s) => (parseDurationMs(s) ?? 0) >= 1000, 'must be a duration of at least 1s such as "15s"').default(fallback);

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name');
const hostPort = z.string().regex(/^(\[[0-9a-f:]+\]|[^:\s]*):\d{1,5}$/, 'must be host:port (":8080", "127.0.0.1:0")');
const schema = z.object({
  kubeconfig: z.string().min(1).optional(),
  namespace: dnsLabel.optional(),
  selector: z.string().min(1).optional(),
  concurrency: z.coerce.number().int('must be a whole number').min(1).max(64).default(4),
  listen: hostPort.default(':8080'),
  'cache-dir': z.string().min(1).optional(),
  'log-level': z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  'inventory-namespace': dnsLabel.default('drover-system'),
  'recheck-interval': durationAtLeast1s('15s'),
  'git-connect-timeout': durationAtLeast1s('15s'),
  'git-idle-timeout': durationAtLeast1s('2m'),
  'git-timeout': durationAtLeast1s('10m'),
  'request-timeout': durationAtLeast1s('90s'),
  'report-timeout': durationAtLeast1s('60s'),
  page: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  'page-listen': hostPort.optional(),
  'public-url': z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  shard: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label such as "eu"').max(40).optional(),
  'leader-elect': z.enum(['true', 'false']).default('true'),
  'leader-lease-duration': leaderDuration('15s'),
  'leader-renew-period': leaderDuration('5s'),
  'leader-retry-period': leaderDuration('2s'),
  'outbox-retry-interval': z.string().refine((s) => (parseDurationMs(s) ?? 0) >= 100, 'must be a duration such as "30s"').default('30s'),
  'outbox-max-age': z.string().refine((s) => (parseDurationMs(s) ?? 0) >= 1000, 'must be a duration of at least 1s such as "24h"').default('24h'),
  'outbox-max-entries': z.coerce.number().int('must be a whole number').min(1).max(100_000).default(1000),
}).superRefine((v, ctx) => {
  const ms = (s: string) => parseDurationMs(s) ?? 0;
  if (ms(v['leader-renew-period']) >= ms(v['leader-lease-duration']) * (2 / 3)) ctx.addIssue({ code: 'custom', path: ['leader-renew-period'], message: 'must be under two thirds of --leader-lease-duration' });
  if (ms(v['leader-retry-period']) >= ms(v['leader-lease-duration'])) ctx.addIssue({ code: 'custom', path: ['leader-retry-period'], message: 'must be under --leader-lease-duration' });
});

function leaderDuration(fallback: string) {
  return z.string().refine((s) => (parseDurationMs(s) ?? 0) >= 1000, 'must be a duration of at least 1s such as "5s"').default(fallback);
}

/**
 * Parses `drover agent` flags and the environment once, collecting every problem with its flag
 * before failing (a ConfigError). Pure: the environment is passed in.
 */
export function parseAgentConfig(args: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): AgentConfig {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...args], options: flags, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `agent: ${(e as Error).message.replace(/\.$/, '')}` }]);
  }
  const fromEnv = (flag: keyof typeof flags, name: string) => values[flag] ?? (env[name] || undefined);
  const merged = {
    kubeconfig: values.kubeconfig ?? env[AGENT_ENV.kubeconfig]?.split(':')[0] ?? undefined,
    namespace: fromEnv('namespace', AGENT_ENV.namespace),
    selector: fromEnv('selector', AGENT_ENV.selector),
    concurrency: fromEnv('concurrency', AGENT_ENV.concurrency),
    listen: fromEnv('listen', AGENT_ENV.listen),
    'cache-dir': fromEnv('cache-dir', AGENT_ENV.cacheDir),
    'log-level': fromEnv('log-level', AGENT_ENV.logLevel),
    'inventory-namespace': fromEnv('inventory-namespace', AGENT_ENV.inventoryNamespace),
    'recheck-interval': fromEnv('recheck-interval', AGENT_ENV.recheckInterval),
    'git-connect-timeout': fromEnv('git-connect-timeout', AGENT_ENV.gitConnectTimeout),
    'git-idle-timeout': fromEnv('git-idle-timeout', AGENT_ENV.gitIdleTimeout),
    'git-timeout': fromEnv('git-timeout', AGENT_ENV.gitTimeout),
    'request-timeout': fromEnv('request-timeout', AGENT_ENV.requestTimeout),
    'report-timeout': fromEnv('report-timeout', AGENT_ENV.reportTimeout),
    page: values['no-page'] ? 'false' : values.page ? 'true' : (env[AGENT_ENV.page] || undefined),
    'page-listen': fromEnv('page-listen', AGENT_ENV.pageListen),
    'public-url': fromEnv('public-url', AGENT_ENV.publicUrl),
    shard: fromEnv('shard', AGENT_ENV.shard),
    'leader-elect': fromEnv('leader-elect', AGENT_ENV.leaderElect),
    'leader-lease-duration': fromEnv('leader-lease-duration', AGENT_ENV.leaseDuration),
    'leader-renew-period': fromEnv('leader-renew-period', AGENT_ENV.renewPeriod),
    'leader-retry-period': fromEnv('leader-retry-period', AGENT_ENV.retryPeriod),
    'outbox-retry-interval': fromEnv('outbox-retry-interval', AGENT_ENV.outboxRetryInterval),
    'outbox-max-age': fromEnv('outbox-max-age', AGENT_ENV.outboxMaxAge),
    'outbox-max-entries': fromEnv('outbox-max-entries', AGENT_ENV.outboxMaxEntries),
  };
  if (merged.kubeconfig === '') merged.kubeconfig = undefined;
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((i) => ({ code: 'InvalidFlag', path: [], message: `agent: --${i.path.join('.')} ${i.message}` }));
    throw new ConfigError(issues);
  }
  const v = parsed.data;
  if (v.kubeconfig === undefined && !env.KUBERNETES_SERVICE_HOST) {
    const fallback = join(env.HOME ?? homedir(), '.kube', 'config');
    v.kubeconfig = fallback;
  }
  const [, host = '', port = '8080'] = /^(.*):(\d+)$/.exec(v.listen) ?? [];
  const [, pageHost = '', pagePort = ''] = v['page-listen'] ? (/^(.*):(\d+)$/.exec(v['page-listen']) ?? []) : [];
  return Object.freeze({
    kubeconfig: v.kubeconfig === undefined ? undefined : resolve(cwd, v.kubeconfig),
    namespace: v.namespace,
    selector: [v.shard ? `${SHARD_LABEL}=${v.shard}` : `!${SHARD_LABEL}`, v.selector].filter(Boolean).join(','),
    shard: v.shard,
    leaderElection: v['leader-elect'] === 'false'
      ? undefined
      : Object.freeze({
        leaseName: leaderLeaseName(v.shard),
        leaseDurationMs: parseDurationMs(v['leader-lease-duration'])!,
        renewPeriodMs: parseDurationMs(v['leader-renew-period'])!,
        retryPeriodMs: parseDurationMs(v['leader-retry-period'])!,
      }),
    concurrency: v.concurrency,
    listenHost: host.replace(/^\[|\]$/g, '') || '0.0.0.0',
    listenPort: Number(port),
    cacheDir: resolve(cwd, v['cache-dir'] ?? (env.KUBERNETES_SERVICE_HOST ? '/var/cache/drover' : join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'drover'))),
    logLevel: v['log-level'],
    inventoryNamespace: v['inventory-namespace'],
    recheckMs: parseDurationMs(v['recheck-interval'])!,
    identity: env[AGENT_ENV.identity] || hostname(),
    gitTimeouts: Object.freeze({ connectMs: parseDurationMs(v['git-connect-timeout'])!, idleMs: parseDurationMs(v['git-idle-timeout'])!, totalMs: parseDurationMs(v['git-timeout'])! }),
    requestTimeoutMs: parseDurationMs(v['request-timeout'])!,
    reportTimeoutMs: parseDurationMs(v['report-timeout'])!,
    page: v.page === 'true',
    pageListen: v['page-listen'] ? { host: pageHost.replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(pagePort) } : undefined,
    publicUrl: v['public-url']?.replace(/\/+$/, ''),
    outboxRetryMs: parseDurationMs(v['outbox-retry-interval'])!,
    outboxLimits: { maxEntries: v['outbox-max-entries'], maxAgeMs: parseDurationMs(v['outbox-max-age'])! },
  });
}

/** The agent's configuration from argv and this process's environment (the only read of process.env outside the CLI). */
export function loadAgentConfig(args: readonly string[]): AgentConfig {
  return parseAgentConfig(args, process.env, process.cwd());
}
