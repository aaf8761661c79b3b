import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, type Issue } from '../core/errors.js';

/** Options shared by the commands that reconcile one environment of a fleet repository. */
export interface FleetCommandOptions {
  /** Fleet repository: an http(s) git URL or a local directory. */
  readonly repo: string;
  /** Branch, tag, commit SHA or PR head ref to read (ignored for a plain local directory). */
  readonly ref: string | undefined;
  /** Environment name from drover.yaml; undefined means every environment, in promotion order. */
  readonly env: string | undefined;
  /** Kubeconfig of the management cluster. */
  readonly kubeconfig: string;
  readonly output: 'text' | 'markdown' | 'json';
  /** Pull request number: read `refs/pull/N/head` (or the forge's equivalent) instead of --ref. */
  readonly pr: number | undefined;
  /** Which forge serves the repository; undefined: told from the host (github.com, gitlab.com). */
  readonly forge: 'github' | 'gitlab' | 'gitea' | undefined;
  /** Git credentials, already resolved from --token-file / --token-env (never printed). */
  readonly auth: { readonly username: string; readonly token: string } | undefined;
  /** Where fetched repositories are cached between runs. */
  readonly cacheDir: string;
  /** Let apply prune more than the safety threshold, or everything when the env renders empty. */
  readonly forcePrune: boolean;
  /** Tombstoned Clusters apply may delete past the prune limit (`--allow-cluster-deletions N`). */
  readonly allowClusterDeletions: number;
  /** The most time one run spends reporting to the forge (`--report-timeout`, seconds; default 60); the rest waits in the outbox. */
  readonly reportTimeoutMs: number;
  /** Post commit statuses / the PR comment to the forge. */
  readonly report: boolean;
  /** The forge's API root when it cannot be told from --repo (GitHub Enterprise, self-hosted GitLab or Gitea). */
  readonly forgeUrl: string | undefined;
  /** Forge API token from --forge-token-file / --forge-token-env, else the git token (never printed). */
  readonly forgeToken: string | undefined;
  /** Git HTTP limits (`--git-connect-timeout`, `--git-idle-timeout`, `--git-timeout`, seconds); unset ones keep the source's defaults. */
  readonly gitTimeouts: { readonly connectMs?: number; readonly idleMs?: number; readonly totalMs?: number };
  /** How long one Kubernetes request may go unanswered (`--request-timeout`, seconds; default 90). */
  readonly requestTimeoutMs: number;
}

const flags = {
  repo: { type: 'string' },
  ref: { type: 'string' },
  env: { type: 'string' },
  kubeconfig: { type: 'string' },
  output: { type: 'string', short: 'o' },
  pr: { type: 'string' },
  forge: { type: 'string' },
  username: { type: 'string' },
  'token-file': { type: 'string' },
  'token-env': { type: 'string' },
  'cache-dir': { type: 'string' },
  'force-prune': { type: 'boolean' },
  'allow-cluster-deletions': { type: 'string' },
  report: { type: 'boolean' },
  'report-timeout': { type: 'string' },
  'forge-url': { type: 'string' },
  'forge-token-file': { type: 'string' },
  'forge-token-env': { type: 'string' },
  'git-connect-timeout': { type: 'string' },
  'git-idle-timeout': { type: 'string' },
  'git-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
} as const;

const seconds = z.string().regex(/^[1-9][0-9]*$/, 'must be a number of seconds').transform((s) => Number(s) * 1000);

const schema = z.object({
  repo: z.string({ error: 'is required' }).min(1, 'is required'),
  ref: z.string().min(1).optional(),
  env: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  output: z.enum(['text', 'markdown', 'json']).default('text'),
  pr: z.string().regex(/^[1-9][0-9]*$/, 'must be a pull request number').transform(Number).optional(),
  forge: z.enum(['github', 'gitlab', 'gitea']).optional(),
  username: z.string().min(1).optional(),
  'token-file': z.string().min(1).optional(),
  'token-env': z.string().min(1).optional(),
  'cache-dir': z.string().min(1).optional(),
  'force-prune': z.boolean().default(false),
  'allow-cluster-deletions': z.string().regex(/^[0-9]+$/, 'must be a number of clusters').transform(Number).default(0),
  report: z.boolean().default(false),
  'report-timeout': z.string().regex(/^[1-9][0-9]*$/, 'must be a number of seconds').transform(Number).default(60),
  'forge-url': z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  'forge-token-file': z.string().min(1).optional(),
  'forge-token-env': z.string().min(1).optional(),
  'git-connect-timeout': seconds.optional(),
  'git-idle-timeout': seconds.optional(),
  'git-timeout': seconds.optional(),
  'request-timeout': seconds.default(90_000),
});

export interface OptionSources {
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  /** Reads a credential file; injected so parsing stays testable. */
  readonly readFile: (path: string) => string;
}

/**
 * Parses the flags of `render`, `plan`, `apply` and `status` once, collecting every problem as
 * an issue (`--flag: message`) before failing. Credentials are read here and nowhere else.
 */
export function parseFleetCommandOptions(
  command: string,
  args: readonly string[],
  sources: OptionSources,
  required: { env: boolean },
): FleetCommandOptions {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...args], options: flags, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `${command}: ${(e as Error).message.replace(/\.$/, '')}` }]);
  }
  const parsed = schema.safeParse(values);
  const issues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ code: 'InvalidFlag', path: [], message: `${command}: --${i.path.join('.')} ${i.message}` }));
  if (required.env && values.env === undefined) issues.push({ code: 'InvalidFlag', path: [], message: `${command}: --env is required` });
  if (values['token-file'] !== undefined && values['token-env'] !== undefined) {
    issues.push({ code: 'InvalidFlag', path: [], message: `${command}: --token-file and --token-env are exclusive` });
  }
  if (values['forge-token-file'] !== undefined && values['forge-token-env'] !== undefined) {
    issues.push({ code: 'InvalidFlag', path: [], message: `${command}: --forge-token-file and --forge-token-env are exclusive` });
  }
  if (!parsed.success || issues.length) throw new ConfigError(issues);
  const v = parsed.data;

  const token = readCredential(command, sources, { env: v['token-env'], file: v['token-file'] }, 'token');
  const forgeToken = readCredential(command, sources, { env: v['forge-token-env'], file: v['forge-token-file'] }, 'forge-token');
  const home = sources.env.HOME ?? homedir();
  return Object.freeze({
    repo: v.repo,
    ref: v.ref,
    env: v.env,
    kubeconfig: v.kubeconfig ?? sources.env.KUBECONFIG?.split(':')[0] ?? join(home, '.kube', 'config'),
    output: v.output,
    pr: v.pr,
    forge: v.forge,
    auth: token === undefined ? undefined : { username: v.username ?? 'x-access-token', token },
    cacheDir: resolve(sources.cwd, v['cache-dir'] ?? sources.env.DROVER_CACHE_DIR ?? join(sources.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'drover')),
    forcePrune: v['force-prune'],
    allowClusterDeletions: v['allow-cluster-deletions'],
    report: v.report,
    reportTimeoutMs: v['report-timeout'] * 1000,
    forgeUrl: v['forge-url']?.replace(/\/+$/, ''),
    forgeToken: forgeToken ?? token,
    gitTimeouts: Object.freeze({
      ...(v['git-connect-timeout'] !== undefined ? { connectMs: v['git-connect-timeout'] } : {}),
      ...(v['git-idle-timeout'] !== undefined ? { idleMs: v['git-idle-timeout'] } : {}),
      ...(v['git-timeout'] !== undefined ? { totalMs: v['git-timeout'] } : {}),
    }),
    requestTimeoutMs: v['request-timeout'],
  });
}

/** A secret from the environment variable or file a flag names (`--<flag>-env`, `--<flag>-file`); never echoed. */
function readCredential(command: string, sources: OptionSources, from: { env?: string | undefined; file?: string | undefined }, flag: string): string | undefined {
  if (from.env !== undefined) {
    const value = sources.env[from.env];
    if (!value) throw new ConfigError([{ code: 'MissingCredential', path: [], message: `${command}: --${flag}-env names ${from.env}, which is not set` }]);
    return value;
  }
  if (from.file === undefined) return undefined;
  try {
    return sources.readFile(resolve(sources.cwd, from.file)).trim();
  } catch (e) {
    throw new ConfigError([{ code: 'MissingCredential', path: [], message: `${command}: cannot read --${flag}-file ${from.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` }]);
  }
}
