import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../core/errors.js';
import { createKubeClient, RequestCounter } from '../kube/kube-client.js';
import { RECORD_FIELD_MANAGER } from '../reconcile/status-record.js';
import { startAgent } from '../runtime/agent.js';
import { createHealthPlugin } from '../runtime/health-plugin.js';
import { createPullRequestPlugin } from '../runtime/pr-plugin.js';
import { parseAgentConfig, type AgentConfig } from '../runtime/config.js';
import { fail, type CliIo } from './cli-io.js';
import { createLogger } from './logger.js';

const USAGE = `Usage: drover agent [flags]

Runs the agent: watches Fleet objects (fleets.drover.dev), polls each Fleet's repository on its
interval or schedule, applies its environments in promotion order, keeps their commit statuses
and the Fleet status true. Stops on SIGINT/SIGTERM.

Flags (environment variable in brackets):
  --kubeconfig F          management cluster [KUBECONFIG]; default in a pod: its service account
  -n, --namespace NS      serve the Fleets of one namespace [DROVER_NAMESPACE]; default all
  -l, --selector SEL      serve only Fleets with these labels [DROVER_SELECTOR]
  --concurrency N         Fleets reconciled at once (default 4) [DROVER_CONCURRENCY]
  --listen HOST:PORT      HTTP server for /healthz, /readyz (default :8080) [DROVER_LISTEN]
  --cache-dir DIR         git caches and forge outboxes [DROVER_CACHE_DIR]
  --log-level LEVEL       debug, info (default), warn, error [DROVER_LOG_LEVEL]
  --recheck-interval D    how often converging environments are looked at again (default 15s)
  --inventory-namespace NS  where inventories and apply records live (default drover-system)
  --git-connect-timeout D connecting to a git server (default 15s) [DROVER_GIT_CONNECT_TIMEOUT]
  --git-idle-timeout D    server silence before a fetch fails as transient (default 2m) [DROVER_GIT_IDLE_TIMEOUT]
  --git-timeout D         one git request in all, pack included (default 10m) [DROVER_GIT_TIMEOUT]
  --report-timeout D      reporting to the forge per reconcile of a Fleet (default 60s); the rest
                          waits in the outbox for the next one [DROVER_REPORT_TIMEOUT]
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
    const agent = await startAgent({
      ...config,
      client: createKubeClient(kubeConfig, { requests }),
      recordClient: createKubeClient(kubeConfig, { fieldManager: RECORD_FIELD_MANAGER, requests }),
      requests,
      log,
      now: io.now,
      plugins: [createHealthPlugin(), createPullRequestPlugin()],
    });
    io.stderr.write(`drover agent serving ${config.namespace ? `namespace ${config.namespace}` : 'all namespaces'} at ${agent.url}\n`);
    await new Promise<void>((resolve) => {
      if (!io.signal || io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await agent.stop();
    return 0;
  } catch (e) {
    return fail(io, e, log);
  }
}
