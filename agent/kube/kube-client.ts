import { ApiException, HttpMethod, PatchStrategy, type KubeConfig } from '@kubernetes/client-node';
import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { formatRef, type ObjectRef } from '../core/object-ref.js';
import { toApplyError } from './kube-error.js';
import { createRawObjectApi, type RawObjectApi, type RequestBody } from './kube-transport.js';
import { openWatch, type WatchEvent, type WatchHandle, type WatchOptions } from './kube-watch.js';
import { RequestCounter, Verb } from './request-counter.js';
import { defaultThrottleOptions, throttleDelayMs, type ThrottleOptions } from './throttle.js';

export { Verb, RequestCounter } from './request-counter.js';
export { toApplyError, statusCodeOf } from './kube-error.js';
export { strictFieldValidation } from './kube-transport.js';
export type { WatchEvent, WatchHandle, WatchOptions } from './kube-watch.js';

/**
 * The one Kubernetes client edge: every stage and orchestrator that talks to the apiserver
 * gets a KubeClient as an argument. The only wrapper over @kubernetes/client-node, and the only
 * place an ApiException becomes an ApplyError (kube-error.ts).
 */
export interface KubeClientOptions {
  /** Field manager for server-side apply; the inventory and drift checks key on it. */
  fieldManager: string;
  /** Objects per LIST page (`limit`); more pages cost more requests, bigger ones more memory. */
  pageSize: number;
  /** Count into this counter (share one between clients of one process); a fresh one when unset. */
  requests?: RequestCounter | undefined;
  /** How a 429 (API priority and fairness) is waited out and sent again; defaultThrottleOptions() when unset. */
  throttle?: ThrottleOptions | undefined;
  /**
   * How long one request (not a watch) may go unanswered before it fails as transient. Above the
   * apiserver's own 60 s request timeout, so only a server that stopped answering (paused, a
   * dead connection) trips it; without it such a request waits forever.
   */
  requestTimeoutMs: number;
}

export function defaultKubeClientOptions(): KubeClientOptions {
  return { fieldManager: 'drover', pageSize: 500, requestTimeoutMs: 90_000 };
}

/** Where a kind lives in the API, from the server's resource lists. */
export interface ResourceInfo {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface ListResult {
  readonly items: KubeObject[];
  /** LIST requests it took (pages). */
  readonly requests: number;
  /** The list's resourceVersion: start a watch here to miss nothing. */
  readonly resourceVersion?: string | undefined;
}

export interface ApplyCallOptions {
  /** `dryRun=All`: the server runs every stage (admission, validation, defaulting) and stores nothing. */
  dryRun: boolean;
  /** Take fields other managers own (SSA `force`). */
  force: boolean;
  /** Apply as this field manager instead of the client's (an environment's `drover/<env>`). */
  fieldManager?: string | undefined;
}

export interface DeletePreconditions {
  uid: string;
  resourceVersion?: string | undefined;
}

/** Deleted: the server accepted the DELETE (the object may linger while finalizers run). Gone: it was already absent. */
export type DeleteOutcome = 'deleted' | 'gone';

/** What a collection call selects: a kind, in one namespace or all of them. */
export interface KindScope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string | undefined;
}

export interface KubeClient {
  readonly fieldManager: string;
  readonly requests: RequestCounter;
  /** Resource info for a kind; undefined when the server does not serve it (CRD missing). Cached per apiVersion. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** Every object of a kind, in one namespace or cluster-wide, following `continue` across pages. */
  list(apiVersion: string, kind: string, namespace?: string, options?: { labelSelector?: string }): Promise<ListResult>;
  /** The object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Server-side apply (`application/apply-patch+yaml`, fieldValidation=Strict); returns what the server stored or would store. */
  apply(obj: KubeObject, options: ApplyCallOptions): Promise<KubeObject>;
  /** DELETE with UID preconditions and Background propagation. */
  delete(ref: ObjectRef, preconditions: DeletePreconditions): Promise<DeleteOutcome>;
  /** POST a new object (Leases, Events); a 409 AlreadyExists comes back as an ApplyError with data.code 409. */
  create(obj: KubeObject): Promise<KubeObject>;
  /** PUT the object; its metadata.resourceVersion makes it conditional (409 Conflict when it moved). */
  replace(obj: KubeObject): Promise<KubeObject>;
  /** JSON merge patch (annotations, small edits); returns the stored object. */
  mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject>;
  /**
   * Server-side apply of the status subresource under `fieldManager` (default: this client's),
   * forced: the status belongs to its writer. `obj` carries apiVersion, kind, metadata.name and
   * namespace, and `status`.
   */
  applyStatus(obj: KubeObject, fieldManager?: string): Promise<KubeObject>;
  /** Watches a kind (after `options.resourceVersion`); counts one request per opened stream. */
  watch(scope: KindScope, options: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<WatchHandle>;
}

/** Builds a client from a kubeconfig (file, in-cluster or test control plane). */
export function createKubeClient(kubeConfig: KubeConfig, options: Partial<KubeClientOptions> = {}): KubeClient {
  const opts = { ...defaultKubeClientOptions(), ...options };
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new ApplyError('kubeconfig has no current cluster');
  return new ObjectApiClient(createRawObjectApi(kubeConfig, cluster.server), kubeConfig, cluster.server, opts);
}

class ObjectApiClient implements KubeClient {
  readonly requests: RequestCounter;
  readonly fieldManager: string;
  private readonly resources = new Map<string, Promise<ResourceInfo[] | undefined>>();
  private readonly throttle: ThrottleOptions;

  constructor(
    private readonly api: RawObjectApi,
    private readonly kubeConfig: KubeConfig,
    private readonly server: string,
    private readonly options: KubeClientOptions,
  ) {
    this.fieldManager = options.fieldManager;
    this.requests = options.requests ?? new RequestCounter();
    this.throttle = options.throttle ?? defaultThrottleOptions();
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let cached = this.resources.get(apiVersion);
    if (cached) {
      const hit = (await cached)?.find((r) => r.kind === kind);
      if (hit) return hit;
    }
    // Unknown group version, or a kind whose CRD may have been installed since: ask again once.
    cached = this.discover(apiVersion);
    this.resources.set(apiVersion, cached);
    return (await cached)?.find((r) => r.kind === kind);
  }

  private async discover(apiVersion: string): Promise<ResourceInfo[] | undefined> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list: { resources?: Array<{ name: string; kind: string; namespaced: boolean }> };
    try {
      list = (await this.send(Verb.Discovery, HttpMethod.GET, path, {})) as typeof list;
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw toApplyError(e, `${apiVersion} discovery`);
    }
    return (list.resources ?? [])
      .filter((r) => !r.name.includes('/'))
      .map((r) => ({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced }));
  }

  private async pathFor(ref: Pick<ObjectRef, 'apiVersion' | 'kind' | 'namespace'> & { name?: string }): Promise<string> {
    const info = await this.resourceFor(ref.apiVersion, ref.kind);
    const where = ref.name === undefined ? `${ref.kind} in ${ref.namespace ?? 'all namespaces'}` : formatRef({ ...ref, name: ref.name });
    if (!info) {
      throw new ApplyError(`${where} NotFound: the server does not serve kind ${ref.kind} in ${ref.apiVersion} (is its CRD installed?)`, {
        data: { apiVersion: ref.apiVersion, kind: ref.kind },
      });
    }
    const root = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    let path = root;
    if (info.namespaced) {
      if (!ref.namespace && ref.name !== undefined) throw new ApplyError(`${where} Invalid: metadata.namespace: ${ref.kind} is namespaced`);
      if (ref.namespace) path += `/namespaces/${encodeURIComponent(ref.namespace)}`;
    }
    path += `/${info.plural}`;
    if (ref.name !== undefined) path += `/${encodeURIComponent(ref.name)}`;
    return path;
  }

  async list(apiVersion: string, kind: string, namespace?: string, options: { labelSelector?: string } = {}): Promise<ListResult> {
    const path = await this.pathFor({ apiVersion, kind, namespace });
    const items: KubeObject[] = [];
    let requests = 0;
    let token: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.options.pageSize) };
      if (options.labelSelector) query.labelSelector = options.labelSelector;
      if (token) query.continue = token;
      let page: { items?: KubeObject[]; metadata?: { continue?: string; resourceVersion?: string } };
      try {
        page = (await this.send(Verb.List, HttpMethod.GET, path, query)) as typeof page;
      } catch (e) {
        throw toApplyError(e, `${kind} in ${namespace ?? 'all namespaces'} list`);
      }
      requests++;
      for (const item of page.items ?? []) {
        // Built-in kinds come back without apiVersion and kind on each item.
        item.apiVersion ??= apiVersion;
        item.kind ??= kind;
        items.push(item);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, requests, resourceVersion };
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const path = await this.pathFor(ref);
    try {
      return (await this.send(Verb.Get, HttpMethod.GET, path, {})) as KubeObject;
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw toApplyError(e, formatRef(ref));
    }
  }

  async apply(obj: KubeObject, options: ApplyCallOptions): Promise<KubeObject> {
    const ref = refOf(obj);
    const path = await this.pathFor(ref);
    const query: Record<string, string> = { fieldManager: options.fieldManager ?? this.fieldManager };
    if (options.force) query.force = 'true';
    if (options.dryRun) query.dryRun = 'All';
    try {
      return (await this.send(options.dryRun ? Verb.DryRun : Verb.Apply, HttpMethod.PATCH, path, query, {
        text: JSON.stringify(obj),
        contentType: PatchStrategy.ServerSideApply,
      })) as KubeObject;
    } catch (e) {
      throw toApplyError(e, formatRef(ref));
    }
  }

  async delete(ref: ObjectRef, preconditions: DeletePreconditions): Promise<DeleteOutcome> {
    const path = await this.pathFor(ref);
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      preconditions: preconditions.resourceVersion ? { uid: preconditions.uid, resourceVersion: preconditions.resourceVersion } : { uid: preconditions.uid },
    };
    try {
      await this.send(Verb.Delete, HttpMethod.DELETE, path, {}, { text: JSON.stringify(body), contentType: 'application/json' });
      return 'deleted';
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return 'gone';
      throw toApplyError(e, formatRef(ref));
    }
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const ref = refOf(obj);
    const collection = await this.pathFor({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace });
    try {
      return (await this.send(Verb.Create, HttpMethod.POST, collection, { fieldManager: this.fieldManager }, { text: JSON.stringify(obj), contentType: 'application/json' })) as KubeObject;
    } catch (e) {
      throw toApplyError(e, formatRef(ref));
    }
  }

  async replace(obj: KubeObject): Promise<KubeObject> {
    const ref = refOf(obj);
    const path = await this.pathFor(ref);
    try {
      return (await this.send(Verb.Replace, HttpMethod.PUT, path, { fieldManager: this.fieldManager }, { text: JSON.stringify(obj), contentType: 'application/json' })) as KubeObject;
    } catch (e) {
      throw toApplyError(e, formatRef(ref));
    }
  }

  async mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
    const path = await this.pathFor(ref);
    try {
      return (await this.send(Verb.Patch, HttpMethod.PATCH, path, { fieldManager: this.fieldManager }, { text: JSON.stringify(patch), contentType: PatchStrategy.MergePatch })) as KubeObject;
    } catch (e) {
      throw toApplyError(e, formatRef(ref));
    }
  }

  async applyStatus(obj: KubeObject, fieldManager = this.fieldManager): Promise<KubeObject> {
    const ref = refOf(obj);
    const path = `${await this.pathFor(ref)}/status`;
    try {
      return (await this.send(Verb.Status, HttpMethod.PATCH, path, { fieldManager, force: 'true' }, { text: JSON.stringify(obj), contentType: PatchStrategy.ServerSideApply })) as KubeObject;
    } catch (e) {
      throw toApplyError(e, `${formatRef(ref)} status`);
    }
  }

  async watch(scope: KindScope, options: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<WatchHandle> {
    const path = await this.pathFor(scope);
    this.requests.add(Verb.Watch);
    return openWatch(this.kubeConfig, this.server, path, options, onEvent);
  }

  /** One request; a 429 (priority and fairness rejected it unexecuted) is sent again after its Retry-After. */
  private async send(verb: Verb, method: HttpMethod, path: string, query: Record<string, string>, body?: RequestBody): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.requests.add(verb);
      try {
        return await this.api.send(method, path, query, body, this.options.requestTimeoutMs);
      } catch (e) {
        const delay = e instanceof ApiException ? throttleDelayMs(e.code, e.headers, attempt, this.throttle, Math.random()) : undefined;
        if (delay === undefined) throw e;
        this.requests.throttled++;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace || undefined, name: obj.metadata.name ?? '' };
}
