import { readFileSync } from 'node:fs';
import { createKubeClient } from '../kube/kube-client.js';
import type { Logger } from '../core/log.js';
import { HealthState } from '../health/health-state.js';
import { createRenderer } from '../render/index.js';
import { computeGatedEnvironmentStatus } from '../reconcile/promotion-check.js';
import { formatReportResult, type ForgeReporter } from '../reconcile/report-forge.js';
import type { EnvironmentStatus } from '../reconcile/status-environment.js';
import { findEnvironment, loadRevision } from '../reconcile/load-revision.js';
import { Exit, fail } from './cli-io.js';
import { loadKubeConfig } from './kube-config.js';
import { createLogger } from './logger.js';
import type { CliIo } from './cli-io.js';
import { openSnapshot } from './open-snapshot.js';
import { parseFleetCommandOptions, type FleetCommandOptions } from './options.js';
import { openForgeReporter } from './report-target.js';
import { openCliProviders } from './cli-providers.js';

/**
 * `drover status --repo … --ref … --env … [--report]`: the health of one revision in one
 * environment, per cluster, tied to what the management cluster holds (see
 * runtime/status-environment.ts). With --report, posts `drover/<env>` and
 * `drover/<env>/<cluster>` on the revision's commit, only what changed.
 *
 * Exit codes: 0 success (every cluster healthy at this revision), 1 failure or error, 3 pending
 * (still converging, not applied yet, or waiting for an upstream environment).
 */
export async function runStatusCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.some((a) => a === '--fleet' || a.startsWith('--fleet='))) return (await import('./fleet-status-command.js')).runFleetStatusCommand(args, io);
  let options: FleetCommandOptions;
  try {
    options = parseFleetCommandOptions('status', args, { env: io.env, cwd: io.cwd, readFile: (p) => readFileSync(p, 'utf8') }, { env: true });
  } catch (e) {
    return fail(io, e);
  }
  const log = createLogger(io.env.DROVER_LOG_LEVEL ?? 'warn', io.logStream).child({ command: 'status' });
  const now = io.now ?? Date.now;
  try {
    const reporter = options.report ? openForgeReporter('status', options, log, now) : undefined;
    const loaded = await loadRevision(() => openSnapshot('status', options, io.cwd, log), log);
    if (!loaded.ok) return fail(io, loaded.failure.error);
    const { snapshot, config } = loaded;
    const env = findEnvironment(config, options.env!);
    const kubeConfig = loadKubeConfig('status', options.kubeconfig);
    const renderer = createRenderer();
    const client = createKubeClient(kubeConfig, { requestTimeoutMs: options.requestTimeoutMs });
    const status = await computeGatedEnvironmentStatus(
      { snapshot, config, environment: env, now: now() },
      { client, render: (s, dir) => renderer.build(s.tree, dir), log, providers: openCliProviders(config, { client, cwd: io.cwd, log }) },
    );
    io.stdout.write(options.output === 'json' ? `${JSON.stringify(toStatusJson(status), null, 2)}\n` : formatStatusTable(status));
    if (reporter) await reportStatus(io, reporter, snapshot.sha, status, log);
    return exitCodeOf(status.state);
  } catch (e) {
    return fail(io, e, log);
  }
}

async function reportStatus(io: CliIo, reporter: ForgeReporter, sha: string, status: EnvironmentStatus, log: Logger): Promise<void> {
  const result = await reporter.reportStatuses(sha, status.statuses);
  io.stderr.write(`drover: reported ${status.environment} to ${reporter.forge.id}@${sha.slice(0, 12)}: ${formatReportResult(result)}\n`);
  if (result.queued.length) log.warn({ queued: result.queued }, 'commit statuses kept in the outbox');
}

/** 0 success, 3 pending, 1 failure or error. */
export function exitCodeOf(state: HealthState): number {
  if (state === HealthState.Success) return Exit.Done;
  if (state === HealthState.Pending) return Exit.Pending;
  return Exit.Error;
}

/**
 * One line per cluster (state, then its health as the commit status tells it, uncut), then
 * the environment's line:
 *
 *   STATE    CLUSTER HEALTH
 *   success  prod/eu-1: Available, cp 3/3, workers 5/5, v1.33.2
 *   pending  prod/eu-2: Provisioning (InfrastructureReady), cp 0/3, workers 0/5
 *
 *   prod at main@sha1:1a2b3c4…: pending: prod: applied 2 created; 1/2 clusters healthy at this revision; pending: eu-2
 */
export function formatStatusTable(status: EnvironmentStatus): string {
  const lines: string[] = [];
  if (status.clusters.length) {
    lines.push('STATE    CLUSTER HEALTH');
    for (const c of status.clusters) lines.push(`${c.state.padEnd(8)} ${c.message}`);
    lines.push('');
  }
  lines.push(`${status.environment} at ${status.revision}: ${status.state} (${status.phase}): ${status.description}`);
  if (status.promotion) for (const w of status.promotion.waitingFor) lines.push(`  waiting for ${w.env}: ${w.why}`);
  return `${lines.join('\n')}\n`;
}

/** `drover status -o json`: environment, revision, phase, state, description, clusters[]. */
export function toStatusJson(status: EnvironmentStatus): Record<string, unknown> {
  return {
    environment: status.environment,
    revision: status.revision,
    phase: status.phase,
    state: status.state,
    description: status.description,
    clusters: status.clusters.map((c) => ({ namespace: c.cluster.namespace, name: c.cluster.name, state: c.state, reason: c.reason, description: c.description, message: c.message })),
    ...(status.health?.missing.length ? { missing: status.health.missing } : {}),
    ...(status.promotion ? { waitingFor: status.promotion.waitingFor } : {}),
    ...(status.record ? { lastApply: { revision: status.record.revision, appliedAt: new Date(status.record.appliedAt).toISOString(), changes: status.record.changes, ...(status.record.error ? { error: status.record.error } : {}) } } : {}),
  };
}
