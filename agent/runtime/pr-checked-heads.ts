import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../core/kube-object.js';

/** Pull request number → the head SHA last checked and reported. */
export type CheckedHeads = ReadonlyMap<number, string>;

/** Where the checked heads live between polls and across restarts. */
export interface CheckedHeadStore {
  load(): Promise<Map<number, string>>;
  save(heads: CheckedHeads): Promise<void>;
}

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
 * The checked heads in a ConfigMap `<namespace>/drover-pr-checks-<name>` (one per Fleet): one
 * GET to load; a save that changes anything is one create (first time) or one JSON merge patch
 * that sets new heads and removes the keys of closed pull requests, leaving the rest alone.
 */
export function createConfigMapHeadStore(client: KubeClient, at: { readonly namespace: string; readonly name: string }): CheckedHeadStore {
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: at.namespace, name: checkedHeadsName(at.name) };
  let known: Map<number, string> | undefined;
  return {
    async load() {
      const cm = await client.get(ref);
      known = cm ? parseCheckedHeadsData(cm.data as Record<string, string> | undefined) : undefined;
      return new Map(known ?? []);
    },
    async save(heads) {
      const data = toCheckedHeadsData(heads);
      if (known === undefined && !(await client.get(ref))) {
        const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ref.name, namespace: ref.namespace, labels: { 'app.kubernetes.io/managed-by': 'drover' } }, data };
        await client.create(cm);
      } else {
        const patch: Record<string, string | null> = { ...data };
        for (const n of known?.keys() ?? []) if (!heads.has(n)) patch[`pr-${n}`] = null;
        await client.mergePatch(ref, { data: patch });
      }
      known = new Map(heads);
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
