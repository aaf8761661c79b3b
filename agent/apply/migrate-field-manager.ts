import { migrateManagedFields, type ManagedFieldsEntry } from '../core/field-manager.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import type { KubeClient } from '../kube/kube-client.js';

/**
 * Moves the legacy manager's (`drover`) server-side apply ownership of a live object to the
 * environment's manager, as kubectl moves client-side apply ownership to SSA (client-go
 * csaupgrade): one patch of `metadata.managedFields`, conditional on the resourceVersion the
 * object was read at (a 409 when it changed since). The patch changes no field of the object,
 * so the server records no new manager for it. Returns the stored object, or undefined when
 * there was nothing to move.
 *
 * Why not apply once as each manager (the new one with the object, the old one with nothing):
 * that is two applies per object, and until both land the old manager keeps fields Git may no
 * longer declare; the managedFields patch is one atomic write.
 */
export async function migrateFieldManager(client: KubeClient, live: KubeObject, manager: string): Promise<KubeObject | undefined> {
  const managedFields = migrateManagedFields((live.metadata.managedFields ?? []) as ManagedFieldsEntry[], manager);
  if (!managedFields) return undefined;
  return client.mergePatch(toRef(live), { metadata: { resourceVersion: live.metadata.resourceVersion, managedFields } });
}
