import { Retry, SourceError } from '../core/errors.js';

/** Why a source could not produce a snapshot; in `SourceError.data.reason`. */
export const SourceFailure = {
  /** Connection refused, DNS, timeout, 5xx: retried with backoff. */
  Unreachable: 'unreachable',
  /** 401/403, or credentials rejected. */
  AuthRefused: 'auth-refused',
  /** The server has no such repository (404). */
  RepoNotFound: 'repo-not-found',
  /** The server has no such branch, tag, PR head or commit. */
  RefMissing: 'ref-missing',
  /** Not a valid ref name. */
  InvalidRef: 'invalid-ref',
  /** Not an http(s) repository URL. */
  InvalidUrl: 'invalid-url',
  /** A local directory source that does not exist or cannot be read. */
  DirectoryUnreadable: 'directory-unreadable',
  /** Anything else git reported (a corrupt cache, a protocol error). */
  Failed: 'failed',
} as const;
export type SourceFailure = (typeof SourceFailure)[keyof typeof SourceFailure];

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ABORT_ERR', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** Builds the SourceError for one failure: `<repo>@<ref> <what>: <detail>`. */
export function sourceError(where: string, reason: SourceFailure, detail: string, cause?: unknown): SourceError {
  const what: Record<SourceFailure, string> = {
    [SourceFailure.Unreachable]: 'unreachable',
    [SourceFailure.AuthRefused]: 'auth refused',
    [SourceFailure.RepoNotFound]: 'repository not found',
    [SourceFailure.RefMissing]: 'ref not found',
    [SourceFailure.InvalidRef]: 'invalid ref',
    [SourceFailure.InvalidUrl]: 'invalid repository URL',
    [SourceFailure.DirectoryUnreadable]: 'directory unreadable',
    [SourceFailure.Failed]: 'fetch failed',
  };
  const retry = reason === SourceFailure.Unreachable || reason === SourceFailure.AuthRefused || reason === SourceFailure.Failed ? Retry.Transient : Retry.Terminal;
  return new SourceError(`${where} ${what[reason]}${detail ? `: ${detail}` : ''}`, { cause, retry, data: { reason, where } });
}

/**
 * Classifies what isomorphic-git or the network threw. Credentials never reach the message:
 * the URL given to git carries none, and any `secrets` found in the cause's text are masked.
 */
export function toSourceError(e: unknown, where: string, secrets: readonly string[]): SourceError {
  if (e instanceof SourceError) return e;
  const err = scrub(e, secrets);
  const code = (err as { code?: unknown } | undefined)?.code;
  const data = (err as { data?: { statusCode?: number; statusMessage?: string } } | undefined)?.data;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'HttpError' && data?.statusCode !== undefined) {
    const status = `HTTP ${data.statusCode}${data.statusMessage ? ` ${data.statusMessage}` : ''}`;
    if (data.statusCode === 401 || data.statusCode === 403) return sourceError(where, SourceFailure.AuthRefused, status, err);
    if (data.statusCode === 404) return sourceError(where, SourceFailure.RepoNotFound, status, err);
    if (data.statusCode >= 500 || data.statusCode === 429 || data.statusCode === 408) return sourceError(where, SourceFailure.Unreachable, status, err);
    return sourceError(where, SourceFailure.Failed, status, err);
  }
  if (code === 'UserCanceledError') return sourceError(where, SourceFailure.AuthRefused, 'credentials rejected', err);
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return sourceError(where, SourceFailure.Unreachable, lowerFirst(message), err);
  if ((err as { name?: unknown } | undefined)?.name === 'TimeoutError' || (err as { name?: unknown } | undefined)?.name === 'AbortError') {
    return sourceError(where, SourceFailure.Unreachable, 'request timed out', err);
  }
  if (/not our ref|unadvertised object/i.test(message)) return sourceError(where, SourceFailure.RefMissing, 'the server does not have this commit', err);
  return sourceError(where, SourceFailure.Failed, lowerFirst(message.replace(/\.$/, '')), err);
}

/** Masks every secret in an error's message and stack (in place; returns it). */
function scrub(e: unknown, secrets: readonly string[]): unknown {
  const live = secrets.filter((s) => s.length >= 4);
  if (!(e instanceof Error) || live.length === 0) return e;
  const mask = (text: string): string => live.reduce((t, s) => t.split(s).join('***'), text);
  e.message = mask(e.message);
  if (e.stack) e.stack = mask(e.stack);
  const data = (e as { data?: { response?: unknown } }).data;
  if (data && typeof data.response === 'string') data.response = mask(data.response);
  return e;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
