import { readFileSync } from 'node:fs';
import { defaultApplyOptions } from '../apply/apply-options.js';
import { HealthState } from '../health/health-state.js';
import { createKubeClient } from '../kube/kube-client.js';
import { formatPlanJson } from '../plan/format-json.js';
import { formatPlanMarkdown } from '../plan/format-markdown.js';
import { formatPlanText } from '../plan/format-text.js';
import type { Plan } from '../plan/plan.js';
import { applyRevision, type ApplyRevisionResult } from '../reconcile/apply-revision.js';
import { findEnvironment, loadRevision } from '../reconcile/load-revision.js';
import { reportPlanCheck } from '../reconcile/plan-check.js';
import { reconcileEnvironment, ReconcileMode, type ReconcileOutcome } from '../reconcile/reconcile-environment.js';
import { formatReportResult, type ForgeReporter } from '../reconcile/report-forge.js';
import { RECORD_FIELD_MANAGER } from '../reconcile/status-record.js';
import { createRenderer, formatYamlStream } from '../render/index.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import { Exit, fail, type CliIo } from './cli-io.js';
import { loadKubeConfig } from './kube-config.js';
import { createLogger } from './logger.js';
import { openSnapshot } from './open-snapshot.js';
import { parseFleetCommandOptions, type FleetCommandOptions } from './options.js';
import { openForgeReporter } from './report-target.js';
import { openCliProviders } from './cli-providers.js';
import { sourceIdentity } from '../core/source-identity.js';

export { Exit, fail } from './cli-io.js';

/** Exit code when the promotion gate holds an environment: 3 while it waits, 1 when an upstream environment failed. */
export const PROMOTION_WAIT_EXIT = Exit.Pending;

/**
 * `drover render|plan|apply`: a thin shell over the reconcile library (agent/reconcile): reads
 * the flags, builds the clients, runs one environment at one revision, prints the values.
 */
export async function runFleetCommand(command: 'render' | 'plan' | 'apply', args: readonly string[], io: CliIo): Promise<number> {
  let options: FleetCommandOptions;
  try {
    options = parseFleetCommandOptions(command, args, { env: io.env, cwd: io.cwd, readFile: (p) => readFileSync(p, 'utf8') }, { env: true });
  } catch (e) {
    return fail(io, e);
  }
  const log = createLogger(io.env.DROVER_LOG_LEVEL ?? 'warn', io.logStream).child({ command });
  try {
    const now = io.now ?? Date.now;
    const reporter = options.report && command !== 'render' ? openForgeReporter(command, options, log, now) : undefined;
    const loaded = await loadRevision(() => openSnapshot(command, options, io.cwd, log), log);
    if (!loaded.ok) return fail(io, loaded.failure.error);
    const { snapshot, config } = loaded;
    const env = findEnvironment(config, options.env!);
    const renderer = createRenderer();
    if (command === 'render') {
      io.stdout.write(formatYamlStream(renderer.build(snapshot.tree, env.path)));
      return Exit.Done;
    }
    const kubeConfig = loadKubeConfig(command, options.kubeconfig);
    const client = createKubeClient(kubeConfig, { requestTimeoutMs: options.requestTimeoutMs });
    const deps = {
      client,
      render: (s: FleetSnapshot, dir: string) => renderer.build(s.tree, dir),
      log,
      providers: openCliProviders(config, { client, cwd: io.cwd, log }),
      applyOptions: { inventorySource: sourceIdentity(options.repo) },
    };
    if (command === 'plan') {
      const outcome = await reconcileEnvironment({ snapshot, config, environment: env, mode: ReconcileMode.Plan, forcePrune: options.forcePrune, allowClusterDeletions: options.allowClusterDeletions }, deps);
      printOutcome(io, options, outcome);
      if (reporter) {
        const check = await reportPlanCheck(reporter, snapshot, outcome, options.pr);
        io.stderr.write(`drover: reported ${check.status.context} ${check.status.state} to ${reporter.forge.id}@${snapshot.sha.slice(0, 12)}: ${formatReportResult(check.report)}\n`);
        if (check.comment) io.stderr.write(`drover: plan comment for ${outcome.environment} on #${check.comment.pr} ${check.comment.action}\n`);
      }
      return exitOf(io, outcome);
    }
    const result = await applyRevision(
      { snapshot, config, environment: env, forcePrune: options.forcePrune, allowClusterDeletions: options.allowClusterDeletions },
      { ...deps, reporter, now, recordClient: createKubeClient(kubeConfig, { fieldManager: RECORD_FIELD_MANAGER, requestTimeoutMs: options.requestTimeoutMs }), inventoryNamespace: defaultApplyOptions().inventoryNamespace },
    );
    if (result.promotion) {
      io.stdout.write(`${result.promotion.description}\nnothing was written to ${env.name}\n`);
      printReport(io, reporter, snapshot, result);
      return result.promotion.state === HealthState.Pending ? PROMOTION_WAIT_EXIT : Exit.Error;
    }
    if (result.recordError) io.stderr.write(`drover: warning: the apply record of ${env.name} was not written: ${result.recordError}\n`);
    printReport(io, reporter, snapshot, result);
    printOutcome(io, options, result.outcome!);
    return exitOf(io, result.outcome!);
  } catch (e) {
    return fail(io, e, log);
  }
}

function exitOf(io: CliIo, outcome: ReconcileOutcome): number {
  if (outcome.failure) return fail(io, outcome.failure.error);
  return outcome.blocked ? Exit.Blocked : Exit.Done;
}

function printReport(io: CliIo, reporter: ForgeReporter | undefined, snapshot: FleetSnapshot, result: ApplyRevisionResult): void {
  if (!reporter) return;
  if (result.report) io.stderr.write(`drover: reported ${result.environment} to ${reporter.forge.id}@${snapshot.sha.slice(0, 12)}: ${formatReportResult(result.report)}\n`);
  if (result.reportError) throw result.reportError;
}

function formatPlan(plan: Plan, output: FleetCommandOptions['output']): string {
  if (output === 'json') return formatPlanJson(plan);
  if (output === 'markdown') return formatPlanMarkdown(plan);
  return formatPlanText(plan);
}

function printOutcome(io: CliIo, options: FleetCommandOptions, outcome: ReconcileOutcome): void {
  if (outcome.plan) {
    const text = formatPlan(outcome.plan, options.output);
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (outcome.blocked) io.stderr.write(`drover: ${outcome.environment}: blocked by a safety finding, nothing was written\n`);
  if (outcome.apply && options.output !== 'json') {
    const { changeSet } = outcome.apply;
    const changes = changeSet.format({ includeUnchanged: false });
    const unchanged = changeSet.summary().unchanged ?? 0;
    const tail = unchanged ? `${unchanged} unchanged\n` : '';
    io.stdout.write(`\nApplied ${outcome.revision} to ${outcome.environment}:\n${changes ? `${changes}\n` : ''}${tail || (changes ? '' : 'no changes\n')}`);
  }
}
