import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { defaultApplyOptions } from '../apply/apply-options.js';
import { createKubeClient } from '../apply/kube-client.js';
import { ConfigError, type DroverError, isDroverError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { orderEnvironments } from '../fleet/order-environments.js';
import { parseFleetConfig } from '../fleet/parse-fleet-config.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { formatPlanJson } from '../plan/format-json.js';
import { formatPlanMarkdown } from '../plan/format-markdown.js';
import { formatPlanText } from '../plan/format-text.js';
import type { Plan } from '../plan/plan.js';
import { createRenderer, formatYamlStream } from '../render/index.js';
import { reconcileEnvironment, ReconcileMode, type ReconcileOutcome } from '../runtime/reconcile-environment.js';
import { RECORD_FIELD_MANAGER } from '../runtime/status-record.js';
import { holdForPromotion, recordAndReportApply, type ApplyContext } from './apply-report.js';
import type { CliIo } from './main.js';
import { createLogger } from './logger.js';
import { openSnapshot } from './open-snapshot.js';
import { parseFleetCommandOptions, type FleetCommandOptions } from './options.js';
import { reportPlanCheck } from './pr-check-command.js';
import { openForgeReporter } from './report-target.js';

/** Exit codes of the fleet commands. Pending: `status` still converging, or `apply` held by the promotion gate. */
export const Exit = { Done: 0, Error: 1, Blocked: 2, Pending: 3 } as const;

/** `drover render|plan|apply`: read the fleet at a revision, then render, plan or apply one environment. */
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
    const snapshot = await openSnapshot(command, options, io.cwd, log);
    const config = parseFleetConfig(snapshot.tree);
    const env = findEnvironment(config, options.env!);
    const renderer = createRenderer();
    if (command === 'render') {
      io.stdout.write(formatYamlStream(renderer.build(snapshot.tree, env.path)));
      return Exit.Done;
    }
    const kubeConfig = new KubeConfig();
    try {
      kubeConfig.loadFromFile(options.kubeconfig);
    } catch (e) {
      throw new ConfigError([{ code: 'InvalidKubeconfig', path: [], message: `${command}: cannot load kubeconfig ${options.kubeconfig}: ${(e as Error).message}` }]);
    }
    const deps = { client: createKubeClient(kubeConfig), render: (s: typeof snapshot, dir: string) => renderer.build(s.tree, dir), log };
    const applyContext: ApplyContext = {
      snapshot, config, environment: env, deps, reporter, now,
      recordClient: createKubeClient(kubeConfig, { fieldManager: RECORD_FIELD_MANAGER }),
      inventoryNamespace: defaultApplyOptions().inventoryNamespace,
    };
    if (command === 'apply') {
      const held = await holdForPromotion(io, applyContext);
      if (held !== undefined) return held;
    }
    const outcome = await reconcileEnvironment(
      { snapshot, config, environment: env, mode: command === 'apply' ? ReconcileMode.Apply : ReconcileMode.Plan, forcePrune: options.forcePrune, allowClusterDeletions: options.allowClusterDeletions },
      deps,
    );
    if (command === 'apply') await recordAndReportApply(io, applyContext, outcome);
    printOutcome(io, options, outcome);
    if (command === 'plan' && reporter) await reportPlanCheck(io, reporter, snapshot, outcome, options.pr);
    if (outcome.failure) return fail(io, outcome.failure.error);
    return outcome.blocked ? Exit.Blocked : Exit.Done;
  } catch (e) {
    return fail(io, e, log);
  }
}

export function findEnvironment(config: FleetConfig, name: string): EnvironmentConfig {
  const env = config.environments.find((e) => e.name === name);
  if (!env) {
    const names = orderEnvironments(config).map((e) => e.name).join(', ');
    throw new ConfigError([{ code: 'UnknownEnvironment', file: config.file, path: ['environments'], message: `no environment "${name}" (have: ${names || 'none'})` }]);
  }
  return env;
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

export function fail(io: CliIo, e: unknown, log?: Logger): number {
  const err = e as DroverError;
  if (!isDroverError(e)) log?.error({ error: String(e) }, 'unexpected error');
  io.stderr.write(`drover: ${isDroverError(e) ? err.message : (e as Error)?.stack ?? String(e)}\n`);
  return Exit.Error;
}
