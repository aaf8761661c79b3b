import type { KubeClient } from '../kube/kube-client.js';
import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';

/** Pull request number → the head SHA last checked and reported. */
export type CheckedHeads = ReadonlyMap<number, string>;

/** Where the checked heads live between polls and across restarts. */
export interface CheckedHeadStore {
  load(): Promise<Map<number, string>>;
  save(heads: CheckedHeads): Promise<void>;
}

export const PR_CHECKS_FIELD_MANAGER = 'drover-pr-checks';

/** `drover-pr-checks-<name>`, cut to the 253 characters a ConfigMap name may have. */
export function checkedHeadsName(name: string): string {
  return `drover-pr-checks-${name}`.slice(0, 253);
}

/** `{"pr-7": "<sha>"}` for the ConfigMap's data. Pure. */
export function toCheckedHeadsData(heads: CheckedHeads): Record<string, string> {
  return Object.fromEntries([...heads].sort(([a], [b]) => a - b).map(([n, sha]) => [`pr-${n}`, sha]));
}

/** The heads from the ConfigMap's data; keys that are not `pr-<n>` with a 40-hex SHA are ignored. Pure. */
export function parseCheckedHeadsData(data: Readonly<Record<string, string>> | undefined): Map<number, string> {
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(data ?? {})) {
    const m = /^pr-([1-9][0-9]*)$/.exec(k);
    if (m && /^[0-9a-f]{40}$/.test(v)) out.set(Number(m[1]), v);
  }
  return out;
}

/**
 * The checked heads in a ConfigMap `<namespace>/drover-pr-checks-<name>` (one per Fleet),
 * written with server-side apply under its own field manager, so a pull request that closes
 * drops its key and nothing else touches the object. One GET to load, one write per change.
 */
export function createConfigMapHeadStore(client: KubeClient, at: { readonly namespace: string; readonly name: string }): CheckedHeadStore {
  if (client.fieldManager !== PR_CHECKS_FIELD_MANAGER) {
    throw new ApplyError(`ConfigMap/${at.namespace}/${checkedHeadsName(at.name)}: needs field manager ${PR_CHECKS_FIELD_MANAGER}, got ${client.fieldManager}`);
  }
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: at.namespace, name: checkedHeadsName(at.name) };
  return {
    async load() {
      const cm = await client.get(ref);
      return parseCheckedHeadsData(cm?.data as Record<string, string> | undefined);
    },
    async save(heads) {
      const cm: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ref.name, namespace: ref.namespace, labels: { 'app.kubernetes.io/managed-by': 'drover' } },
        data: toCheckedHeadsData(heads),
      };
      await client.apply(cm, { dryRun: false, force: true });
    },
  };
}

/** Heads kept in memory only (the CLI, tests): a restart forgets them. */
export function createMemoryHeadStore(initial: CheckedHeads = new Map()): CheckedHeadStore {
  let heads = new Map(initial);
  return {
    load: async () => new Map(heads),
    save: async (h) => {
      heads = new Map(h);
    },
  };
}
