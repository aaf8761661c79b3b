import { toRef, type KubeObject } from '../core/kube-object.js';
import { groupOf, refKey, type ObjectRef } from '../core/object-ref.js';
import { mapConcurrent } from './concurrency.js';
import type { KubeClient } from '../kube/kube-client.js';

/** The live objects in play, read with one paginated LIST per kind and namespace (never a GET per object). */
export interface LiveState {
  /** refKey → live object, only for the refs asked about. */
  readonly objects: Map<string, KubeObject>;
  /** `group|kind` pairs the server does not serve (CRD not installed). */
  readonly unserved: Set<string>;
  /** LIST requests sent (pages included). */
  readonly lists: number;
}

export async function fetchLiveState(client: KubeClient, refs: Iterable<ObjectRef>, concurrency: number): Promise<LiveState> {
  const wanted = new Set<string>();
  const scopes = new Map<string, { apiVersion: string; kind: string; namespace: string | undefined }>();
  for (const ref of refs) {
    wanted.add(refKey(ref));
    const scope = `${groupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace ?? ''}`;
    // The first apiVersion seen wins: callers put desired objects before inventory entries.
    if (!scopes.has(scope)) scopes.set(scope, { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace });
  }
  const objects = new Map<string, KubeObject>();
  const unserved = new Set<string>();
  let lists = 0;
  await mapConcurrent([...scopes.values()], concurrency, async (s) => {
    const info = await client.resourceFor(s.apiVersion, s.kind);
    if (!info) {
      unserved.add(`${groupOf(s.apiVersion)}|${s.kind}`);
      return;
    }
    // A namespaced kind named without a namespace cannot be live anywhere we would look.
    if (info.namespaced && !s.namespace) return;
    const { items, requests } = await client.list(s.apiVersion, s.kind, info.namespaced ? s.namespace : undefined);
    lists += requests;
    for (const item of items) {
      const key = refKey(toRef(item));
      if (wanted.has(key)) objects.set(key, item);
    }
  });
  return { objects, unserved, lists };
}
