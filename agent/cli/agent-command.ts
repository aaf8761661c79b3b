import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../core/errors.js';
import { createKubeClient, RequestCounter } from '../kube/kube-client.js';
import { RECORD_FIELD_MANAGER } from '../reconcile/status-record.js';
import { startAgent } from '../runtime/agent.js';
import { createHealthPlugin } from '../runtime/health-plugin.js';
import { PullRequestInbox } from '../runtime/pr-inbox.js';
import { createMetricsPlugin } from '../runtime/metrics-plugin.js';
import { createPullRequestPlugin } from '../runtime/pr-plugin.js';
import { createPagePlugin } from '../page/page-plugin.js';
import { createWebhookPlugin } from '../runtime/webhook-plugin.js';
import { parseAgentConfig, type AgentConfig } from '../runtime/config.js';
import { startLeaderElector } from '../runtime/leader-elector.js';
import { fail, type CliIo } from './cli-io.js';
import { createLogger } from './logger.js';

const USAGE = `Usage: drover agent [flags]

Runs the agent: watches Fleet objects (fleets.drover.dev), polls each Fleet's repository on its
interval or schedule, applies its environments in promotion order, keeps their commit statuses
and the Fleet status true. On SIGINT/SIGTERM it finishes the environment in flight, gives the
leader Lease back and exits 0; when it loses the Lease it does the same and exits 1.

Flags (environment variable in brackets):
  --kubeconfig F          management cluster [KUBECONFIG]; default in a pod: its service account
  -n, --namespace NS      serve the Fleets of one namespace [DROVER_NAMESPACE]; default all
  -l, --selector SEL      serve only Fleets with these labels too [DROVER_SELECTOR]
  --shard NAME            serve the Fleets labelled drover.dev/shard=NAME [DROVER_SHARD];
                          default: the Fleets with no drover.dev/shard label
  --leader-elect BOOL     elect one leader per shard through a Lease (default true)
                          [DROVER_LEADER_ELECT]; standbys watch and serve HTTP, write nothing
  --leader-lease-duration D  (default 15s) --leader-renew-period D (5s) --leader-retry-period D (2s)
  --concurrency N         Fleets reconciled at once (default 4) [DROVER_CONCURRENCY]
  --listen HOST:PORT      HTTP server for /healthz, /readyz, /metrics and webhooks at
                          POST /hooks/NS/NAME (default :8080) [DROVER_LISTEN]
  --cache-dir DIR         git caches and forge outboxes [DROVER_CACHE_DIR]
  --log-level LEVEL       debug, info (default), warn, error [DROVER_LOG_LEVEL]
  --recheck-interval D    how often converging environments are looked at again (default 15s)
  --inventory-namespace NS  where inventories and apply records live (default drover-system)
  --git-connect-timeout D connecting to a git server (default 15s) [DROVER_GIT_CONNECT_TIMEOUT]
  --git-idle-timeout D    server silence before a fetch fails as transient (default 2m) [DROVER_GIT_IDLE_TIMEOUT]
  --git-timeout D         one git request in all, pack included (default 10m) [DROVER_GIT_TIMEOUT]
  --request-timeout D     one Kubernetes request unanswered this long fails as transient (default 90s) [DROVER_REQUEST_TIMEOUT]
  --report-timeout D      reporting to the forge per reconcile of a Fleet (default 60s); the rest
                          waits in the outbox for the next one [DROVER_REPORT_TIMEOUT]
  --no-page               do not serve the fleet page (on by default at / of --listen) [DROVER_PAGE=false]
  --page-listen HOST:PORT serve the fleet page on a port of its own [DROVER_PAGE_LISTEN]
  --public-url URL        the page's external URL: commit statuses link to their cell [DROVER_PUBLIC_URL]
  --outbox-retry-interval D  how often statuses waiting for a forge are retried (default 30s)
  --outbox-max-age D      how long a status may wait for its forge (default 24h)
  --outbox-max-entries N  statuses kept per Fleet while its forge is away (default 1000)
`;

/** `drover agent`: runs until io.signal aborts. */
export async function runAgentCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  let config: AgentConfig;
  try {
    config = parseAgentConfig(args, io.env, io.cwd);
  } catch (e) {
    return fail(io, e);
  }
  const log = createLogger(config.logLevel, io.logStream);
  try {
    const kubeConfig = new KubeConfig();
    try {
      if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
      else kubeConfig.loadFromCluster();
    } catch (e) {
      throw new ConfigError([{ code: 'InvalidKubeconfig', path: [], message: `agent: cannot load ${config.kubeconfig ? `kubeconfig ${config.kubeconfig}` : 'the in-cluster service account'}: ${(e as Error).message}` }]);
    }
    const requests = new RequestCounter();
    // The fleet page hears the health watches and the pull request checks through their plug-ins.
    const page = config.page ? createPagePlugin({ publicUrl: config.publicUrl, listen: config.pageListen }) : undefined;
    const client = createKubeClient(kubeConfig, { requests, requestTimeoutMs: config.requestTimeoutMs });
    const election = config.leaderElection;
    const leader = election
      ? startLeaderElector({ client, namespace: config.inventoryNamespace, name: election.leaseName, identity: config.identity, leaseDurationMs: election.leaseDurationMs, renewPeriodMs: election.renewPeriodMs, retryPeriodMs: election.retryPeriodMs, log, now: io.now })
      : undefined;
    const inbox = new PullRequestInbox(); // pull request heads from webhooks, checked on the Fleet's next pass
    const agent = await startAgent({
      ...config,
      leader,
      environmentLeaseSeconds: election ? Math.ceil(election.leaseDurationMs / 1000) : undefined,
      client,
      recordClient: createKubeClient(kubeConfig, { fieldManager: RECORD_FIELD_MANAGER, requests, requestTimeoutMs: config.requestTimeoutMs }),
      requests,
      log,
      now: io.now,
      plugins: [
        createMetricsPlugin(),
        createHealthPlugin({ onEvaluated: page ? (...a) => page.onHealthEvaluated(...a) : undefined }),
        createPullRequestPlugin({ inbox, onChecked: page ? (...a) => page.onPullRequestChecked(...a) : undefined }),
        createWebhookPlugin({ inbox }),
        ...(page ? [page] : []),
      ],
    });
    io.stderr.write(`drover agent serving ${config.namespace ? `namespace ${config.namespace}` : 'all namespaces'} (${config.shard ? `shard ${config.shard}` : 'unsharded Fleets'}) at ${agent.url}\n`);
    if (page) io.stderr.write(`drover agent: the fleet page at ${page.url() ?? agent.url}/${config.publicUrl ? ` (public URL ${config.publicUrl})` : ''}\n`);
    let deposed = false;
    await new Promise<void>((resolve) => {
      if (!io.signal || io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      let led = false;
      leader?.onChange((leading) => {
        if (leading) led = true;
        else if (led) {
          deposed = true; // the Lease lapsed under us: stop, as client-go's OnStoppedLeading does
          resolve();
        }
      });
    });
    await agent.stop();
    return deposed ? 1 : 0;
  } catch (e) {
    return fail(io, e, log);
  }
}
