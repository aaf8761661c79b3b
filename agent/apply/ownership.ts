import { environmentFieldManager, LEGACY_FIELD_MANAGER, writtenByAny } from '../core/field-manager.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Inventory } from './inventory.js';

/** Another environment's inventory, as read from its ConfigMap. */
export interface OtherInventory {
  readonly environment: string;
  /** `ConfigMap/<ns>/drover-inventory-<env>`, for messages. */
  readonly where: string;
  readonly inventory: Inventory;
}

/** The environment whose inventory owns an object, and where that inventory is. */
export interface ForeignOwner {
  readonly environment: string;
  readonly where: string;
}

/**
 * Which of `keys` another environment owns: its inventory lists the very live object (same
 * UID), or lists it as pending (an interrupted apply) and the object shows that environment's
 * field manager (or the legacy `drover`). An entry for an object that no longer exists, or was
 * recreated since, owns nothing. The first environment by name wins when several list it. Pure.
 */
export function findForeignOwners(keys: Iterable<string>, live: ReadonlyMap<string, KubeObject>, others: readonly OtherInventory[]): Map<string, ForeignOwner> {
  const out = new Map<string, ForeignOwner>();
  for (const key of keys) {
    const obj = live.get(key);
    if (!obj || out.has(key)) continue;
    for (const other of others) {
      const entry = other.inventory.get(key);
      if (!entry) continue;
      const uid = obj.metadata.uid;
      const owns = entry.pending
        ? (entry.uid === '' || entry.uid === uid) && writtenByAny(obj, [environmentFieldManager(other.environment), LEGACY_FIELD_MANAGER])
        : entry.uid === uid;
      if (owns) {
        out.set(key, { environment: other.environment, where: other.where });
        break;
      }
    }
  }
  return out;
}
