import { ReportError, Retry } from '../core/errors.js';
import type { ForgeKind } from './forge.js';

/**
 * A small JSON-over-HTTP client for the forges whose APIs Drover calls with plain fetch
 * (GitLab, Gitea). Every failure becomes a ReportError that says where (`<forge> <repo>@<sha>
 * <operation>`) and why, with the token scrubbed from anything the forge echoed.
 */
export interface JsonClient {
  request<T>(method: string, path: string, where: string, body?: unknown): Promise<JsonResponse<T>>;
}

export interface JsonResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Headers;
}

export function createJsonClient(config: {
  kind: ForgeKind;
  /** API root, e.g. `https://gitlab.example.com/api/v4`. */
  apiUrl: string;
  /** The auth header to send: `['PRIVATE-TOKEN', token]`, `['Authorization', 'token …']`. */
  auth: readonly [string, string];
  token: string;
  fetch: typeof globalThis.fetch;
}): JsonClient {
  const root = config.apiUrl.replace(/\/+$/, '');
  return {
    async request<T>(method: string, path: string, where: string, body?: unknown): Promise<JsonResponse<T>> {
      let res: Response;
      try {
        res = await config.fetch(`${root}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            'user-agent': 'drover',
            [config.auth[0]]: config.auth[1],
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (err) {
        throw reportError(config.kind, where, `request failed: ${errorText(err)}`, config.token, { retry: Retry.Transient });
      }
      const text = await res.text();
      if (!res.ok) {
        throw reportError(config.kind, where, `HTTP ${res.status}: ${apiMessage(text) ?? res.statusText}`, config.token, {
          retry: res.status === 429 || res.status >= 500 ? Retry.Transient : Retry.Terminal,
          status: res.status,
          apiMessage: apiMessage(text),
        });
      }
      let data: T;
      try {
        data = (text ? JSON.parse(text) : undefined) as T;
      } catch {
        throw reportError(config.kind, where, `HTTP ${res.status}: response is not JSON`, config.token, { retry: Retry.Transient, status: res.status });
      }
      return { status: res.status, data, headers: res.headers };
    },
  };
}

/** A ReportError: `<forge> <where>: <cause>`, with the token replaced wherever it appears. */
export function reportError(
  kind: ForgeKind,
  where: string,
  cause: string,
  token: string,
  extra: { retry: Retry; status?: number | undefined; apiMessage?: string | undefined },
): ReportError {
  const message = scrub(`${kind} ${where}: ${cause}`, token);
  return new ReportError(message, {
    retry: extra.retry,
    data: { forge: kind, ...(extra.status !== undefined ? { status: extra.status } : {}), ...(extra.apiMessage ? { apiMessage: scrub(extra.apiMessage, token) } : {}) },
  });
}

export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('[redacted]') : text;
}

/** The message a forge put in its JSON error body (`message`, GitLab's `error`), if any. */
function apiMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = body.message ?? body.error;
    if (typeof m === 'string') return m.slice(0, 500);
    if (m !== undefined) return JSON.stringify(m).slice(0, 500);
  } catch {
    // not JSON: fall back to the status text
  }
  return text.trim() ? text.trim().slice(0, 200) : undefined;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
