import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import {
  INVENTORY_DATA_KEY,
  INVENTORY_MAX_BYTES,
  emptyInventory,
  inventoryName,
  parseInventory,
  serializeInventory,
  type Inventory,
} from './inventory.js';
import type { KubeClient } from '../kube/kube-client.js';

/** Reads and writes `<namespace>/drover-inventory-<env>`; see inventory.ts for the format. */
export interface InventoryLocation {
  readonly environment: string;
  readonly namespace: string;
}

function configMapRef(at: InventoryLocation) {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace: at.namespace, name: inventoryName(at.environment) };
}

/** The stored inventory; empty when there is none yet (first apply of the environment). */
export async function fetchInventory(client: KubeClient, at: InventoryLocation): Promise<Inventory> {
  const cm = await client.get(configMapRef(at));
  const text = (cm?.data as Record<string, string> | undefined)?.[INVENTORY_DATA_KEY];
  if (!cm || text === undefined) return emptyInventory();
  return parseInventory(text, `ConfigMap/${at.namespace}/${inventoryName(at.environment)}`);
}

/**
 * Stores the inventory with server-side apply. Creates the inventory namespace when it is missing
 * (the install manifests normally do). Callers write only when the inventory changed.
 */
export async function storeInventory(client: KubeClient, at: InventoryLocation, inventory: Inventory): Promise<void> {
  const ref = configMapRef(at);
  const text = serializeInventory(inventory);
  if (text.length > INVENTORY_MAX_BYTES) {
    throw new ApplyError(
      `ConfigMap/${ref.namespace}/${ref.name} TooLarge: the inventory of ${inventory.size} objects takes ${text.length} bytes, over ${INVENTORY_MAX_BYTES}; split the environment`,
    );
  }
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'drover', 'drover.dev/environment': at.environment },
    },
    data: { [INVENTORY_DATA_KEY]: text },
  };
  try {
    await client.apply(cm, { dryRun: false, force: true });
  } catch (e) {
    if (!(e instanceof ApplyError) || !/NotFound: namespaces? "?[^ ]*"? not found/.test(e.message)) throw e;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: at.namespace } }, { dryRun: false, force: true });
    await client.apply(cm, { dryRun: false, force: true });
  }
}
