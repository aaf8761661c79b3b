import { Agent as HttpsAgent } from 'node:https';
import {
  ApiException,
  HttpMethod,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject,
  type Middleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { ApplyError, Retry } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { formatRef, type ObjectRef } from '../core/object-ref.js';

/**
 * The only wrapper over @kubernetes/client-node, and the only place an ApiException becomes an
 * ApplyError. Requests go through client-node's KubernetesObjectApi machinery (server config,
 * kubeconfig auth, middleware) but bodies stay plain JSON: client-node's typed (de)serializers
 * would drop unknown fields before fieldValidation=Strict could see them and turn timestamps
 * into Dates.
 */
export interface KubeClientOptions {
  /** Field manager for server-side apply; the inventory and drift checks key on it. */
  fieldManager: string;
  /** Objects per LIST page (`limit`); more pages cost more requests, bigger ones more memory. */
  pageSize: number;
}

export function defaultKubeClientOptions(): KubeClientOptions {
  return { fieldManager: 'drover', pageSize: 500 };
}

/** Request kinds the counter tells apart. Writes are `apply` and `delete`. */
export const Verb = {
  Discovery: 'discovery',
  List: 'list',
  Get: 'get',
  DryRun: 'dry-run',
  Apply: 'apply',
  Delete: 'delete',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/** Counts requests sent, by verb: what the benchmark and the zero-write tests read. */
export class RequestCounter {
  private counts = new Map<Verb, number>();
  add(verb: Verb): void {
    this.counts.set(verb, (this.counts.get(verb) ?? 0) + 1);
  }
  get(verb: Verb): number {
    return this.counts.get(verb) ?? 0;
  }
  /** Requests that change the cluster. */
  writes(): number {
    return this.get(Verb.Apply) + this.get(Verb.Delete);
  }
  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
  snapshot(): Record<Verb, number> {
    return Object.fromEntries(Object.values(Verb).map((v) => [v, this.get(v)])) as Record<Verb, number>;
  }
  reset(): void {
    this.counts.clear();
  }
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
}

export interface ApplyCallOptions {
  /** `dryRun=All`: the server runs every stage (admission, validation, defaulting) and stores nothing. */
  dryRun: boolean;
  /** Take fields other managers own (SSA `force`). */
  force: boolean;
}

export interface DeletePreconditions {
  uid: string;
  resourceVersion?: string | undefined;
}

/** Deleted: the server accepted the DELETE (the object may linger while finalizers run). Gone: it was already absent. */
export type DeleteOutcome = 'deleted' | 'gone';

export interface KubeClient {
  readonly fieldManager: string;
  readonly requests: RequestCounter;
  /** Resource info for a kind; undefined when the server does not serve it (CRD missing). Cached per apiVersion. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** Every object of a kind, in one namespace or cluster-wide, following `continue` across pages. */
  list(apiVersion: string, kind: string, namespace?: string): Promise<ListResult>;
  /** The object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Server-side apply (`application/apply-patch+yaml`, fieldValidation=Strict); returns what the server stored or would store. */
  apply(obj: KubeObject, options: ApplyCallOptions): Promise<KubeObject>;
  /** DELETE with UID preconditions and Background propagation. */
  delete(ref: ObjectRef, preconditions: DeletePreconditions): Promise<DeleteOutcome>;
}

/** Builds a client from a kubeconfig (file, in-cluster or test control plane). */
export function createKubeClient(kubeConfig: KubeConfig, options: Partial<KubeClientOptions> = {}): KubeClient {
  const opts = { ...defaultKubeClientOptions(), ...options };
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new ApplyError('kubeconfig has no current cluster');
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: keepAliveAuth(kubeConfig) },
    promiseMiddleware: [strictFieldValidation()],
  });
  return new ObjectApiClient(new RawObjectApi(configuration), opts);
}

/**
 * client-node's patch() has no fieldValidation parameter: add `fieldValidation=Strict` to every
 * server-side apply request here, so unknown or duplicate fields fail instead of being dropped.
 */
export function strictFieldValidation(): Middleware {
  return {
    pre: async (ctx: RequestContext) => {
      if (ctx.getHttpMethod() === HttpMethod.PATCH && ctx.getHeaders()['Content-Type'] === PatchStrategy.ServerSideApply) {
        ctx.setQueryParam('fieldValidation', 'Strict');
      }
      return ctx;
    },
    post: async (rsp: ResponseContext) => rsp,
  };
}

/**
 * KubeConfig authenticates each request with a fresh https.Agent, so no connection is reused
 * and every request pays a TLS handshake. Keep the kubeconfig's TLS settings but reuse one
 * keep-alive agent (headers such as bearer tokens are still set per request).
 */
function keepAliveAuth(kubeConfig: KubeConfig): { getName(): string; applySecurityAuthentication(ctx: RequestContext): Promise<void> } {
  let agent: HttpsAgent | undefined;
  return {
    getName: () => 'drover-kubeconfig',
    async applySecurityAuthentication(ctx) {
      await kubeConfig.applySecurityAuthentication(ctx);
      const fresh = ctx.getAgent();
      if (fresh instanceof HttpsAgent) {
        agent ??= new HttpsAgent({ ...fresh.options, keepAlive: true, maxSockets: 16 });
        ctx.setAgent(agent);
      }
    },
  };
}

/** KubernetesObjectApi that sends and returns plain JSON. */
class RawObjectApi extends KubernetesObjectApi {
  async send(method: HttpMethod, path: string, query: Record<string, string>, body?: { text: string; contentType: string }): Promise<unknown> {
    const ctx = this.configuration.baseServer.makeRequestContext(path, method);
    ctx.setHeaderParam('Accept', 'application/json');
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
    if (body) {
      ctx.setHeaderParam('Content-Type', body.contentType);
      ctx.setBody(body.text);
    }
    return this.requestPromise(ctx);
  }

  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return (text ? JSON.parse(text) : {}) as T;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (a proxy's error page): keep the text
    }
    throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', body, response.headers);
  }
}

class ObjectApiClient implements KubeClient {
  readonly requests = new RequestCounter();
  readonly fieldManager: string;
  private readonly resources = new Map<string, Promise<ResourceInfo[] | undefined>>();

  constructor(
    private readonly api: RawObjectApi,
    private readonly options: KubeClientOptions,
  ) {
    this.fieldManager = options.fieldManager;
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

  async list(apiVersion: string, kind: string, namespace?: string): Promise<ListResult> {
    const path = await this.pathFor({ apiVersion, kind, namespace });
    const items: KubeObject[] = [];
    let requests = 0;
    let token: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.options.pageSize) };
      if (token) query.continue = token;
      let page: { items?: KubeObject[]; metadata?: { continue?: string } };
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
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, requests };
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
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace || undefined, name: obj.metadata.name ?? '' };
    const path = await this.pathFor(ref);
    const query: Record<string, string> = { fieldManager: this.fieldManager };
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

  private send(verb: Verb, method: HttpMethod, path: string, query: Record<string, string>, body?: { text: string; contentType: string }): Promise<unknown> {
    this.requests.add(verb);
    return this.api.send(method, path, query, body);
  }
}

const TYPED_PATCH_ERROR = /^failed to create typed patch object \([^)]*\): (\.[^:]+): (.*)$/s;

interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}
interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: StatusCause[] };
}

/**
 * `<where> <reason>: <message>` from an ApiException's V1Status, with the causes' fields when the
 * message does not already name them. Network failures, 409 (other than field conflicts), 429
 * and 5xx are transient; everything else is terminal (the fleet repo must change).
 */
export function toApplyError(e: unknown, where: string): ApplyError {
  if (e instanceof ApplyError) return e;
  if (e instanceof ApiException) {
    const status = (typeof e.body === 'object' && e.body !== null ? e.body : {}) as Status;
    let message = status.message || (typeof e.body === 'string' && e.body ? e.body.slice(0, 500) : 'no message');
    // Server-side apply answers a body that does not fit the schema (unknown field under
    // fieldValidation=Strict, wrong type) with a 500 "failed to create typed patch object
    // (…): .spec.bogus: field not declared in schema". It is the input's fault: say Invalid.
    const typed = TYPED_PATCH_ERROR.exec(message);
    if (typed) {
      const field = typed[1]!.replace(/^\./, '');
      return new ApplyError(`${where} Invalid: ${field}: ${typed[2]}`, {
        cause: e,
        retry: Retry.Terminal,
        data: { code: e.code, reason: 'Invalid', causes: [{ field, message: typed[2] }] },
      });
    }
    const reason = status.reason || `HTTP ${e.code}`;
    const causes = status.details?.causes ?? [];
    const missing = causes.filter((c) => c.field && !message.includes(c.field));
    if (missing.length) message += ` (${missing.map((c) => `${c.field}: ${c.message ?? c.reason ?? 'invalid'}`).join('; ')})`;
    const fieldConflict = causes.some((c) => c.reason === 'FieldManagerConflict');
    const transient = e.code === 429 || e.code >= 500 || (e.code === 409 && !fieldConflict);
    return new ApplyError(`${where} ${reason}: ${message}`, {
      cause: e,
      retry: transient ? Retry.Transient : Retry.Terminal,
      data: { code: e.code, reason, causes: causes.map((c) => ({ ...c })) },
    });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ApplyError(`${where} request failed: ${msg}`, { cause: e, retry: Retry.Transient });
}
