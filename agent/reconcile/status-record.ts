import { Action, type ChangeSet } from '../apply/change-set.js';
import { inventoryName } from '../apply/inventory.js';
import type { KubeClient } from '../kube/kube-client.js';
import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ReconcileOutcome } from './reconcile-environment.js';

/**
 * The apply record: which revision Drover last wrote to an environment, when, what it changed,
 * and whether that apply failed. `drover status` and the promotion gate read it to time the
 * provisioning timeout from the last write and to keep a failed apply failed.
 *
 * It lives as annotations on the environment's inventory ConfigMap
 * (`<inventoryNamespace>/drover-inventory-<env>`), so it survives restarts and any machine with
 * access to the management cluster sees it. The annotations are written with server-side apply
 * under their own field manager (`drover-record`), so the inventory writes (field manager
 * `drover`, labels and data) and the record never remove each other's fields.
 *
 * It is written only when an apply wrote something (created, configured or deleted an object,
 * partial failures included) or failed: a no-op reconcile stays at zero writes, and a change to
 * k objects costs k + 1 writes through the CLI (the record), k through applyEnvironment alone.
 */
export interface AppliedRecord {
  /** `<ref>@sha1:<commit>` of the apply that wrote. */
  readonly revision: string;
  /** When it wrote (ms since epoch). */
  readonly appliedAt: number;
  /** Counts per action of its change set. */
  readonly changes: Readonly<Partial<Record<Action, number>>>;
  /** `<FailureReason>: <message>` when that apply failed after writing part of the revision. */
  readonly error?: string | undefined;
}

export const RECORD_FIELD_MANAGER = 'drover-record';

export const RecordAnnotation = {
  Revision: 'drover.dev/applied-revision',
  At: 'drover.dev/applied-at',
  Changes: 'drover.dev/applied-changes',
  Error: 'drover.dev/apply-error',
} as const;

/** Longest error text kept in the record; the commit status shows at most 140 characters anyway. */
const MAX_ERROR = 1024;

export interface RecordLocation {
  readonly environment: string;
  /** The inventory namespace (ApplyOptions.inventoryNamespace). */
  readonly namespace: string;
}

/** The annotations that hold a record. Pure. */
export function toRecordAnnotations(record: AppliedRecord): Record<string, string> {
  const out: Record<string, string> = {
    [RecordAnnotation.Revision]: record.revision,
    [RecordAnnotation.At]: new Date(record.appliedAt).toISOString(),
    [RecordAnnotation.Changes]: JSON.stringify(record.changes),
  };
  if (record.error) out[RecordAnnotation.Error] = [...record.error].slice(0, MAX_ERROR).join('');
  return out;
}

/** The record from the ConfigMap's annotations; undefined when there is none or it is unreadable. Pure. */
export function parseRecordAnnotations(annotations: Readonly<Record<string, string>> | undefined): AppliedRecord | undefined {
  const revision = annotations?.[RecordAnnotation.Revision];
  const at = Date.parse(annotations?.[RecordAnnotation.At] ?? '');
  if (!revision || Number.isNaN(at)) return undefined;
  let changes: Partial<Record<Action, number>> = {};
  try {
    const parsed = JSON.parse(annotations?.[RecordAnnotation.Changes] ?? '{}') as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      changes = Object.fromEntries(Object.entries(parsed).filter(([k, v]) => (Object.values(Action) as string[]).includes(k) && typeof v === 'number'));
    }
  } catch {
    // an unreadable change summary leaves the counts out; revision and time still hold
  }
  const error = annotations?.[RecordAnnotation.Error];
  return { revision, appliedAt: at, changes, ...(error ? { error } : {}) };
}

/** True when the change set wrote to the cluster (created, configured or deleted anything). */
export function wroteSomething(changeSet: ChangeSet): boolean {
  return changeSet.entries.some((e) => e.action === Action.Created || e.action === Action.Configured || e.action === Action.Deleted);
}

function configMapRef(at: RecordLocation) {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace: at.namespace, name: inventoryName(at.environment) };
}

/** Reads the record (one GET of the inventory ConfigMap). */
export async function fetchAppliedRecord(client: KubeClient, at: RecordLocation): Promise<AppliedRecord | undefined> {
  const cm = await client.get(configMapRef(at));
  return parseRecordAnnotations(cm?.metadata.annotations);
}

/**
 * Writes the record with server-side apply. `client` must use RECORD_FIELD_MANAGER: under
 * Drover's apply field manager, this partial ConfigMap would drop the inventory data.
 */
export async function storeAppliedRecord(client: KubeClient, at: RecordLocation, record: AppliedRecord): Promise<void> {
  if (client.fieldManager !== RECORD_FIELD_MANAGER) {
    throw new ApplyError(`ConfigMap/${at.namespace}/${inventoryName(at.environment)} apply record: needs field manager ${RECORD_FIELD_MANAGER}, got ${client.fieldManager}`);
  }
  const ref = configMapRef(at);
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ref.name, namespace: ref.namespace, annotations: toRecordAnnotations(record) } };
  await client.apply(cm, { dryRun: false, force: true });
}

/**
 * When Drover last changed any of these live objects, from the `time` of its server-side apply
 * managedFields entry (the apiserver moves it whenever the manager's fields change). The
 * fallback for environments applied before the record existed; undefined when none carries one.
 */
export function latestApplyTime(objects: Iterable<KubeObject>, fieldManager: string | readonly string[]): number | undefined {
  const managers: readonly string[] = typeof fieldManager === 'string' ? [fieldManager] : fieldManager;
  let latest: number | undefined;
  for (const o of objects) {
    for (const m of o.metadata.managedFields ?? []) {
      const f = m as { manager?: string; operation?: string; time?: string; subresource?: string };
      if (!managers.includes(f.manager ?? '') || f.operation !== 'Apply' || f.subresource || !f.time) continue;
      const t = Date.parse(f.time);
      if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
    }
  }
  return latest;
}

/**
 * Records an apply that wrote something or failed (see AppliedRecord); a no-op leaves the
 * record as it is (no write). A failed apply that wrote nothing keeps the previous write time,
 * so the provisioning timeout still counts from the last change. Returns the record written.
 */
export async function recordApplyOutcome(client: KubeClient, outcome: ReconcileOutcome, at: { readonly namespace: string }, now: number): Promise<AppliedRecord | undefined> {
  if (!outcome.apply) return undefined;
  const wrote = wroteSomething(outcome.apply.changeSet);
  const failure = outcome.failure;
  if (!wrote && !failure) return undefined;
  const where = { environment: outcome.environment, namespace: at.namespace };
  const appliedAt = wrote ? now : ((await fetchAppliedRecord(client, where))?.appliedAt ?? now);
  const record: AppliedRecord = {
    revision: outcome.revision,
    appliedAt,
    changes: outcome.apply.changeSet.summary(),
    ...(failure ? { error: `${failure.reason}: ${failure.error.message.split('\n')[0]}` } : {}),
  };
  await storeAppliedRecord(client, where, record);
  return record;
}
