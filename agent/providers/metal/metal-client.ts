import { ProviderError, Retry } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { MetalCapacityAnswer, MetalCapacityServer, MetalDevice, MetalErrorBody, MetalMeta, MetalMetro, MetalOperatingSystem, MetalPlan } from './metal-types.js';

export const METAL_API_URL = 'https://api.equinix.com/metal/v1';

export interface MetalClientOptions {
  /** The API root, `https://api.equinix.com/metal/v1` or a Metal-compatible API's. */
  readonly baseUrl: string;
  /** Sent as `X-Auth-Token`; never logged, never in an error. */
  readonly token: string;
  readonly fetch: typeof fetch;
  /** Waits between retries (injected so tests need not sleep). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts per request when the API answers 429 or 5xx, or the connection fails. Default 4. */
  readonly maxAttempts?: number;
  /** First backoff when the answer has no Retry-After; doubles per attempt. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Longest wait for one retry, whatever Retry-After says. Default 30 s. */
  readonly maxWaitMs?: number;
  /** Devices per page. Default 100 (the API allows 1000, answers 10 without it). */
  readonly perPage?: number;
  readonly log?: Logger;
}

/**
 * A small hand-written client for the Equinix Metal endpoints Drover uses (plans, metros,
 * operating systems, the metro capacity check, devices by project and tag, device by id).
 * Every error is a ProviderError naming the endpoint and the object it was for.
 */
export class MetalClient {
  private readonly base: string;
  constructor(private readonly options: MetalClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  /** `GET /projects/{id}/plans`: the plans the project may deploy, with prices. */
  async listProjectPlans(projectId: string): Promise<MetalPlan[]> {
    const body = await this.request<{ plans?: MetalPlan[] }>('GET', `/projects/${enc(projectId)}/plans`, {}, `plans of project ${projectId}`);
    return body.plans ?? [];
  }

  /** `GET /plans`: every public plan (when no project is configured). */
  async listPlans(): Promise<MetalPlan[]> {
    const body = await this.request<{ plans?: MetalPlan[] }>('GET', '/plans', {}, 'all plans');
    return body.plans ?? [];
  }

  /** `GET /locations/metros`. */
  async listMetros(): Promise<MetalMetro[]> {
    const body = await this.request<{ metros?: MetalMetro[] }>('GET', '/locations/metros', {}, 'all metros');
    return body.metros ?? [];
  }

  /** `GET /operating-systems`. */
  async listOperatingSystems(): Promise<MetalOperatingSystem[]> {
    const body = await this.request<{ operating_systems?: MetalOperatingSystem[] }>('GET', '/operating-systems', {}, 'all operating systems');
    return body.operating_systems ?? [];
  }

  /** `POST /capacity/metros`: whether each metro can take `quantity` more servers of a plan. */
  async checkMetroCapacity(servers: readonly MetalCapacityServer[]): Promise<MetalCapacityAnswer[]> {
    const what = servers.map((s) => `${s.quantity} × ${s.plan} in ${s.metro}`).join(', ');
    const body = await this.request<{ servers?: MetalCapacityAnswer[] }>('POST', '/capacity/metros', {}, what, { servers });
    return body.servers ?? [];
  }

  /** `GET /projects/{id}/devices?tag=…`: every page. */
  async listProjectDevices(projectId: string, filter: { tag?: string } = {}): Promise<MetalDevice[]> {
    const out: MetalDevice[] = [];
    const what = `devices of project ${projectId}${filter.tag ? ` tagged ${filter.tag}` : ''}`;
    for (let page = 1; ; page++) {
      const query: Record<string, string> = { page: String(page), per_page: String(this.options.perPage ?? 100) };
      if (filter.tag) query.tag = filter.tag;
      const body = await this.request<{ devices?: MetalDevice[]; meta?: MetalMeta }>('GET', `/projects/${enc(projectId)}/devices`, query, what);
      out.push(...(body.devices ?? []));
      const meta = body.meta;
      const more = meta?.next !== undefined || (meta?.last_page !== undefined && page < meta.last_page);
      if (!more || !(body.devices?.length ?? 0) || page >= 10_000) return out;
    }
  }

  /** `GET /devices/{id}`; undefined when the API answers 404. */
  async getDevice(id: string): Promise<MetalDevice | undefined> {
    try {
      return await this.request<MetalDevice>('GET', `/devices/${enc(id)}`, {}, `device ${id}`);
    } catch (e) {
      if (e instanceof ProviderError && e.data.status === 404) return undefined;
      throw e;
    }
  }

  private async request<T>(method: string, path: string, query: Record<string, string>, what: string, body?: unknown): Promise<T> {
    const qs = new URLSearchParams(query).toString();
    const endpoint = `${method} ${path}`;
    const url = `${this.base}${path}${qs ? `?${qs}` : ''}`;
    const attempts = this.options.maxAttempts ?? 4;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.options.fetch(url, {
          method,
          headers: { 'X-Auth-Token': this.options.token, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        if (attempt < attempts) {
          const wait = this.backoff(attempt, undefined);
          this.options.log?.warn({ endpoint, for: what, attempt, waitMs: wait, error: (e as Error).message }, 'metal api unreachable, retrying');
          await sleep(wait);
          continue;
        }
        throw new ProviderError(`equinix-metal ${endpoint} (${what}): ${(e as Error).message}`, { cause: e, retry: Retry.Transient, data: { endpoint } });
      }
      const text = await res.text();
      if (res.ok) {
        try {
          return (text ? JSON.parse(text) : {}) as T;
        } catch (e) {
          throw new ProviderError(`equinix-metal ${endpoint} (${what}): answer is not JSON: ${(e as Error).message}`, { retry: Retry.Transient, data: { endpoint, status: res.status } });
        }
      }
      const transient = res.status === 429 || res.status >= 500;
      if (transient && attempt < attempts) {
        const wait = this.backoff(attempt, res.headers.get('retry-after'));
        this.options.log?.warn({ endpoint, for: what, status: res.status, attempt, waitMs: wait }, 'metal api asked to retry');
        await sleep(wait);
        continue;
      }
      throw new ProviderError(`equinix-metal ${endpoint} (${what}): ${res.status} ${res.statusText || statusWord(res.status)}${errorText(text)}`, {
        retry: transient ? Retry.Transient : Retry.Terminal,
        data: { endpoint, status: res.status },
      });
    }
  }

  private backoff(attempt: number, retryAfter: string | null | undefined): number {
    const cap = this.options.maxWaitMs ?? 30_000;
    if (retryAfter) {
      const seconds = Number(retryAfter);
      const at = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
      if (Number.isFinite(at)) return Math.min(cap, Math.max(0, at));
    }
    return Math.min(cap, (this.options.backoffMs ?? 1000) * 2 ** (attempt - 1));
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as MetalErrorBody;
    const msg = body.error ?? body.errors?.join('; ');
    return msg ? `: ${msg}` : '';
  } catch {
    return '';
  }
}

function statusWord(status: number): string {
  return ({ 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 422: 'unprocessable entity', 429: 'too many requests' } as Record<number, string>)[status] ?? 'error';
}
