import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import {
  INVENTORY_DATA_KEY,
  INVENTORY_MAX_BYTES,
  emptyInventory,
  inventoryName,
  mergeInventories,
  parseInventory,
  serializeInventory,
  type Inventory,
} from './inventory.js';
import { statusCodeOf, type KubeClient } from '../kube/kube-client.js';
import type { OtherInventory } from './ownership.js';

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

/** The inventory as read, with the ConfigMap's resourceVersion (undefined: there is none yet). */
export interface StoredInventory {
  readonly inventory: Inventory;
  readonly resourceVersion: string | undefined;
}

export async function fetchStoredInventory(client: KubeClient, at: InventoryLocation): Promise<StoredInventory> {
  const cm = await client.get(configMapRef(at));
  const text = (cm?.data as Record<string, string> | undefined)?.[INVENTORY_DATA_KEY];
  const inventory = !cm || text === undefined ? emptyInventory() : parseInventory(text, `ConfigMap/${at.namespace}/${inventoryName(at.environment)}`);
  return { inventory, resourceVersion: cm?.metadata.resourceVersion };
}

/**
 * Stores `next` as a compare-and-swap on the resourceVersion `base` was read at (a create when
 * there was no ConfigMap). When another writer stored in between (409), reads again, merges
 * (mergeInventories: their entries stay, our changes apply) and tries again, so concurrent
 * applies never lose each other's objects. Returns what was stored.
 */
export async function storeInventoryCas(client: KubeClient, at: InventoryLocation, base: StoredInventory, next: Inventory, attempts = 8): Promise<StoredInventory> {
  let from = base;
  let want = next;
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await writeInventory(client, at, want, from.resourceVersion);
      return { inventory: want, resourceVersion: stored.metadata.resourceVersion };
    } catch (e) {
      if (statusCodeOf(e) !== 409 || attempt >= attempts) throw e;
      const theirs = await fetchStoredInventory(client, at);
      want = mergeInventories(from.inventory, want, theirs.inventory);
      from = theirs;
    }
  }
}

async function writeInventory(client: KubeClient, at: InventoryLocation, inventory: Inventory, resourceVersion: string | undefined): Promise<KubeObject> {
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
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    data: { [INVENTORY_DATA_KEY]: text },
  };
  // No ConfigMap when read: create it, so a concurrent first apply gets 409 AlreadyExists.
  const write = () => (resourceVersion ? client.apply(cm, { dryRun: false, force: true }) : client.create(cm));
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof ApplyError) || !/NotFound: namespaces? "?[^ ]*"? not found/.test(e.message)) throw e;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: at.namespace } }, { dryRun: false, force: true });
    return write();
  }
}

/**
 * Every other environment's inventory in the inventory namespace (one LIST): who owns what, so
 * one environment never takes over or prunes another's objects. A ConfigMap that does not parse
 * is an error naming it (ownership unknown is no ownership to ignore).
 */
export async function fetchOtherInventories(client: KubeClient, at: InventoryLocation): Promise<OtherInventory[]> {
  const { items } = await client.list('v1', 'ConfigMap', at.namespace, { labelSelector: 'app.kubernetes.io/managed-by=drover' });
  const out: OtherInventory[] = [];
  for (const cm of items) {
    const name = cm.metadata.name ?? '';
    const environment = cm.metadata.labels?.['drover.dev/environment'] ?? name.slice(INVENTORY_PREFIX.length);
    if (!name.startsWith(INVENTORY_PREFIX) || name !== inventoryName(environment) || environment === at.environment) continue;
    const text = (cm.data as Record<string, string> | undefined)?.[INVENTORY_DATA_KEY];
    if (text === undefined) continue;
    const where = `ConfigMap/${at.namespace}/${name}`;
    out.push({ environment, where, inventory: parseInventory(text, where) });
  }
  return out.sort((a, b) => a.environment.localeCompare(b.environment));
}

const INVENTORY_PREFIX = inventoryName('');
