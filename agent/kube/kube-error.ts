import { ApiException } from '@kubernetes/client-node';
import { ApplyError, Retry } from '../core/errors.js';

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

/** The HTTP status of a failed request, when the server answered. */
export function statusCodeOf(e: unknown): number | undefined {
  if (e instanceof ApiException) return e.code;
  if (e instanceof ApplyError && typeof e.data.code === 'number') return e.data.code;
  return undefined;
}
