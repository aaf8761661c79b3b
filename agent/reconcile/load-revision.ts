import { FleetError, isDroverError, SourceError, type DroverError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { orderEnvironments } from '../fleet/order-environments.js';
import { parseFleetConfig } from '../fleet/parse-fleet-config.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import { FailureReason } from './failure-reason.js';

/** A revision read and its drover.yaml parsed, or the stage that failed. */
export type LoadedRevision =
  | { readonly ok: true; readonly snapshot: FleetSnapshot; readonly config: FleetConfig }
  | { readonly ok: false; readonly snapshot?: FleetSnapshot | undefined; readonly failure: { readonly reason: FailureReason; readonly error: DroverError } };

/**
 * The first two stages of a reconcile, source then fleet config: reads the revision with
 * `fetchSnapshot` and parses its drover.yaml. A failure is an outcome (`SourceFailed` naming
 * `repo@ref`, `FleetInvalid` naming `drover.yaml:line`), never a throw; `ConfigError`s of the
 * caller's own making (a bad flag) still throw.
 */
export async function loadRevision(fetchSnapshot: () => Promise<FleetSnapshot>, log: Logger, configFile = 'drover.yaml'): Promise<LoadedRevision> {
  let snapshot: FleetSnapshot;
  try {
    snapshot = await fetchSnapshot();
  } catch (e) {
    if (isDroverError(e) && !(e instanceof SourceError)) throw e;
    const error = isDroverError(e) ? e : new SourceError(e instanceof Error ? e.message : String(e), { cause: e });
    log.error({ reason: FailureReason.SourceFailed, error: error.message }, 'source failed');
    return { ok: false, failure: { reason: FailureReason.SourceFailed, error } };
  }
  try {
    return { ok: true, snapshot, config: parseFleetConfig(snapshot.tree, configFile) };
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    log.error({ reason: FailureReason.FleetInvalid, revision: snapshot.revision, error: e.message }, 'fleet config invalid');
    return { ok: false, snapshot, failure: { reason: FailureReason.FleetInvalid, error: e } };
  }
}

/** The environment named `name`, or a FleetError listing the ones there are (promotion order). */
export function findEnvironment(config: FleetConfig, name: string): EnvironmentConfig {
  const env = config.environments.find((e) => e.name === name);
  if (!env) {
    const names = orderEnvironments(config).map((e) => e.name).join(', ');
    throw new FleetError([{ code: 'UnknownEnvironment', file: config.file, path: ['environments'], message: `no environment "${name}" (have: ${names || 'none'})` }]);
  }
  return env;
}
