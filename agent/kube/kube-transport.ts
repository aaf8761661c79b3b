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

/** A request the server did not answer in time; the caller cannot know whether a write landed. */
export class RequestTimeoutError extends Error {
  constructor(method: string, timeoutMs: number) {
    super(`${method} got no answer within ${Math.round(timeoutMs / 1000)} s (the apiserver is not answering)`);
    this.name = 'RequestTimeoutError';
  }
}

/** A request body and its content type. */
export interface RequestBody {
  readonly text: string;
  readonly contentType: string;
}

/**
 * Requests go through client-node's KubernetesObjectApi machinery (server config, kubeconfig
 * auth, middleware) but bodies stay plain JSON: client-node's typed (de)serializers would drop
 * unknown fields before fieldValidation=Strict could see them and turn timestamps into Dates.
 */
export class RawObjectApi extends KubernetesObjectApi {
  /** Sends one request; one with no complete answer within `timeoutMs` fails with RequestTimeoutError. */
  async send(method: HttpMethod, path: string, query: Record<string, string>, body: RequestBody | undefined, timeoutMs: number): Promise<unknown> {
    const ctx = this.configuration.baseServer.makeRequestContext(path, method);
    ctx.setHeaderParam('Accept', 'application/json');
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
    if (body) {
      ctx.setHeaderParam('Content-Type', body.contentType);
      ctx.setBody(body.text);
    }
    const deadline = AbortSignal.timeout(timeoutMs);
    ctx.setSignal(deadline);
    try {
      return await this.requestPromise(ctx);
    } catch (e) {
      if (deadline.aborted && !(e instanceof ApiException)) throw new RequestTimeoutError(method, timeoutMs);
      throw e;
    }
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

/** The transport for one kubeconfig's current cluster and user. */
export function createRawObjectApi(kubeConfig: KubeConfig, server: string): RawObjectApi {
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: keepAliveAuth(kubeConfig) },
    promiseMiddleware: [strictFieldValidation()],
  });
  return new RawObjectApi(configuration);
}
