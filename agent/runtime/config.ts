import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, type Issue } from '../core/errors.js';
import { parseDurationMs } from './duration.js';

/** The agent's configuration: flags first, then environment variables, then defaults. Frozen. */
export interface AgentConfig {
  /** Kubeconfig file; undefined: the in-cluster service account (KUBERNETES_SERVICE_HOST). */
  readonly kubeconfig: string | undefined;
  /** Serve the Fleets of one namespace; undefined: every namespace. */
  readonly namespace: string | undefined;
  /** Serve only Fleets with this label selector (shards). */
  readonly selector: string | undefined;
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
  /** The most time one reconcile of a Fleet spends reporting to its forge; the rest waits in the outbox. */
  readonly reportTimeoutMs: number;
}

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
  reportTimeout: 'DROVER_REPORT_TIMEOUT',
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
  'report-timeout': { type: 'string' },
} as const;

/** A duration flag (`15s`, `2m`) of at least one second. */
const durationAtLeast1s = (fallback: string) => z.string().refine((s) => (parseDurationMs(s) ?? 0) >= 1000, 'must be a duration of at least 1s such as "15s"').default(fallback);

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name');
const schema = z.object({
  kubeconfig: z.string().min(1).optional(),
  namespace: dnsLabel.optional(),
  selector: z.string().min(1).optional(),
  concurrency: z.coerce.number().int('must be a whole number').min(1).max(64).default(4),
  listen: z.string().regex(/^(\[[0-9a-f:]+\]|[^:\s]*):\d{1,5}$/, 'must be host:port (":8080", "127.0.0.1:0")').default(':8080'),
  'cache-dir': z.string().min(1).optional(),
  'log-level': z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  'inventory-namespace': dnsLabel.default('drover-system'),
  'recheck-interval': durationAtLeast1s('15s'),
  'git-connect-timeout': durationAtLeast1s('15s'),
  'git-idle-timeout': durationAtLeast1s('2m'),
  'git-timeout': durationAtLeast1s('10m'),
  'report-timeout': durationAtLeast1s('60s'),
});

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
    'report-timeout': fromEnv('report-timeout', AGENT_ENV.reportTimeout),
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
  return Object.freeze({
    kubeconfig: v.kubeconfig === undefined ? undefined : resolve(cwd, v.kubeconfig),
    namespace: v.namespace,
    selector: v.selector,
    concurrency: v.concurrency,
    listenHost: host.replace(/^\[|\]$/g, '') || '0.0.0.0',
    listenPort: Number(port),
    cacheDir: resolve(cwd, v['cache-dir'] ?? (env.KUBERNETES_SERVICE_HOST ? '/var/cache/drover' : join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'drover'))),
    logLevel: v['log-level'],
    inventoryNamespace: v['inventory-namespace'],
    recheckMs: parseDurationMs(v['recheck-interval'])!,
    identity: env[AGENT_ENV.identity] || hostname(),
    gitTimeouts: Object.freeze({ connectMs: parseDurationMs(v['git-connect-timeout'])!, idleMs: parseDurationMs(v['git-idle-timeout'])!, totalMs: parseDurationMs(v['git-timeout'])! }),
    reportTimeoutMs: parseDurationMs(v['report-timeout'])!,
  });
}

/** The agent's configuration from argv and this process's environment (the only read of process.env outside the CLI). */
export function loadAgentConfig(args: readonly string[]): AgentConfig {
  return parseAgentConfig(args, process.env, process.cwd());
}
