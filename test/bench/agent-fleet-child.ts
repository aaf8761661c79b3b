// The agent process of test/bench/agent-fleet-bench.ts, compiled by tsc and run under plain node
// (as `drover agent` runs in production). It composes the agent exactly as `drover agent` does
// (agent/cli/agent-command.ts: one request counter shared by both clients, the health and
// pull-request plug-ins) and adds one plug-in of its own that only observes: it records every
// Kubernetes request (verb, time) and every change of the agent's state, and serves them with the
// process's memory figures on `GET /bench/log?since=N`, `GET /bench/memory`, `GET /bench/counters`.
//
// argv: --kubeconfig F --cache-dir D --recheck-ms N [--log F]
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '../../agent/cli/logger.js';
import { createKubeClient, RequestCounter, type Verb } from '../../agent/kube/kube-client.js';
import { RECORD_FIELD_MANAGER } from '../../agent/reconcile/status-record.js';
import type { AgentPlugin } from '../../agent/runtime/agent-plugin.js';
import { startAgent } from '../../agent/runtime/agent.js';
import { createHealthPlugin } from '../../agent/runtime/health-plugin.js';
import { createPullRequestPlugin } from '../../agent/runtime/pr-plugin.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** One observation: a request sent, or the state of one environment after a change. */
export type BenchEntry =
  | { readonly t: number; readonly type: 'request'; readonly verb: Verb }
  | {
      readonly t: number;
      readonly type: 'state';
      readonly fleet: string;
      readonly reconciling: boolean;
      readonly source?: string | undefined;
      readonly environments: ReadonlyArray<{ name: string; phase: string; reason?: string | undefined; message?: string | undefined; attempted?: string | undefined; applied?: string | undefined }>;
    };

function benchPlugin(): AgentPlugin {
  const log: BenchEntry[] = [];
  return {
    name: 'bench-observer',
    start(ctx) {
      ctx.requests.onRequest((verb) => log.push({ t: Date.now(), type: 'request', verb }));
      ctx.state.subscribe(({ key, fleet }) => {
        if (!fleet) return;
        log.push({
          t: Date.now(),
          type: 'state',
          fleet: key,
          reconciling: fleet.reconciling,
          source: fleet.source.revision,
          environments: fleet.environments.map((e) => ({ name: e.name, phase: e.phase, reason: e.reason, message: e.message?.slice(0, 300), attempted: e.attemptedRevision, applied: e.appliedRevision })),
        });
      });
      ctx.http.route('GET', '/bench/log', (req) => {
        const since = Number(req.query.get('since') ?? '0');
        return { body: { next: log.length, entries: log.slice(since) } };
      });
      ctx.http.route('GET', '/bench/counters', () => ({ body: { ...ctx.requests.snapshot(), throttled: ctx.requests.throttled } }));
      // A heap snapshot into the directory given by DROVER_BENCH_HEAP_DIR (where the memory is).
      ctx.http.route('GET', '/bench/heap-snapshot', () => {
        const dir = process.env.DROVER_BENCH_HEAP_DIR;
        return { body: { path: dir ? writeHeapSnapshot(join(dir, `agent-${Date.now()}.heapsnapshot`)) : undefined } };
      });
      ctx.http.route('GET', '/bench/memory', () => {
        const gc = (globalThis as { gc?: () => void }).gc;
        const before = process.memoryUsage();
        gc?.();
        const after = process.memoryUsage();
        const mb = (n: number) => n / 1048576;
        return {
          body: {
            rssMb: mb(before.rss), heapUsedMb: mb(before.heapUsed), rssAfterGcMb: mb(after.rss), heapAfterGcMb: mb(after.heapUsed), maxRssMb: process.resourceUsage().maxRSS / 1024,
            // where the RSS beyond the live heap sits: V8's committed heap, memory outside it (Buffers)
            heapTotalAfterGcMb: mb(after.heapTotal), externalAfterGcMb: mb(after.external), arrayBuffersAfterGcMb: mb(after.arrayBuffers),
          },
        };
      });
    },
  };
}

const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(arg('--kubeconfig')!);
const logFile = arg('--log');
const log = createLogger(arg('--log-level') ?? 'info', logFile ? createWriteStream(logFile) : process.stderr);
const requests = new RequestCounter();
const agent = await startAgent({
  client: createKubeClient(kubeConfig, { requests }),
  recordClient: createKubeClient(kubeConfig, { fieldManager: RECORD_FIELD_MANAGER, requests }),
  requests,
  log,
  concurrency: 4,
  listenHost: '127.0.0.1',
  listenPort: 0,
  cacheDir: arg('--cache-dir')!,
  inventoryNamespace: 'drover-system',
  recheckMs: Number(arg('--recheck-ms') ?? '15000'),
  identity: `bench-${process.pid}`,
  plugins: [benchPlugin(), createHealthPlugin(), createPullRequestPlugin()],
});
console.log(JSON.stringify({ url: agent.url }));
const stop = async () => {
  await agent.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
