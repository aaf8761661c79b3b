import { ApplyError } from '../core/errors.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { groupOf, refKey } from '../core/object-ref.js';
import { mapConcurrent } from './concurrency.js';
import { toApplyError, type KubeClient } from '../kube/kube-client.js';
import { defaultTransientRetry, withTransientRetry, type TransientRetry } from './retry-transient.js';

/**
 * Server-side apply dry-run (`dryRun=All`, fieldValidation=Strict) of every object given, before
 * anything is written: the apiserver runs admission, schema validation and defaulting and
 * returns what it would store. Every failure is collected, not just the first. A transient
 * failure (a webhook that timed out, a 5xx, a dropped connection) is tried again (`retry`) before
 * it is collected; it keeps `retry: transient` so callers retry the run rather than block it.
 *
 * An object in a namespace, or of a kind, that this same apply creates cannot be dry-run yet
 * (the server answers NotFound): it is `deferred`, and apply dry-runs it right after the
 * namespaces and CRDs are written, before any other write.
 */
export interface DryRunOutcome {
  /** refKey → the object as the server would store it. */
  readonly results: Map<string, KubeObject>;
  readonly errors: Map<string, ApplyError>;
  readonly deferred: KubeObject[];
}

export interface DryRunOptions {
  force: boolean;
  concurrency: number;
  /** Namespaces this apply creates. */
  pendingNamespaces?: ReadonlySet<string>;
  /** `group|kind` of CRDs this apply creates and the server does not serve yet. */
  pendingKinds?: ReadonlySet<string>;
  /** Keep only that each object passed, not the server's answer (saves memory on big creates). */
  discardResults?: boolean;
  /** The field manager to dry-run each object as; default the client's. */
  fieldManager?: string | ((obj: KubeObject) => string) | undefined;
  /** Tries of one dry-run failing transiently (default `defaultTransientRetry()`). */
  retry?: TransientRetry | undefined;
}

export async function dryRunAll(client: KubeClient, objects: readonly KubeObject[], options: DryRunOptions): Promise<DryRunOutcome> {
  const results = new Map<string, KubeObject>();
  const errors = new Map<string, ApplyError>();
  const deferred: KubeObject[] = [];
  const toSend: KubeObject[] = [];
  for (const obj of objects) {
    const ns = obj.metadata.namespace;
    if ((ns && options.pendingNamespaces?.has(ns)) || options.pendingKinds?.has(`${groupOf(obj.apiVersion)}|${obj.kind}`)) deferred.push(obj);
    else toSend.push(obj);
  }
  await mapConcurrent(toSend, options.concurrency, async (obj) => {
    const key = refKey(toRef(obj));
    const where = `${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
    try {
      const manager = typeof options.fieldManager === 'function' ? options.fieldManager(obj) : options.fieldManager;
      const result = await withTransientRetry(() => client.apply(obj, { dryRun: true, force: options.force, ...(manager ? { fieldManager: manager } : {}) }), (e) => toApplyError(e, where), options.retry ?? defaultTransientRetry());
      if (!options.discardResults) results.set(key, result);
    } catch (e) {
      errors.set(key, toApplyError(e, where));
    }
  });
  return { results, errors, deferred };
}

/** One error naming every object that failed, one per line, in a stable order. */
export function combineErrors(what: string, errors: ReadonlyMap<string, ApplyError>): ApplyError | undefined {
  if (errors.size === 0) return undefined;
  const list = [...errors.values()].sort((a, b) => a.message.localeCompare(b.message));
  const transient = list.every((e) => e.retry === 'transient');
  return new ApplyError(`${what} failed for ${list.length} object${list.length === 1 ? '' : 's'}:\n${list.map((e) => `  ${e.message}`).join('\n')}`, {
    retry: transient ? 'transient' : 'terminal',
    data: { failures: list.map((e) => ({ message: e.message, ...e.data })) },
    cause: list[0],
  });
}
