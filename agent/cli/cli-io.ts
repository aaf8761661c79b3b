import { isDroverError, type DroverError } from '../core/errors.js';
import type { Logger } from '../core/log.js';

/** What the CLI touches of its process, passed in so tests can run it in-process. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Where JSON log lines go (stderr in a terminal). */
  logStream: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The clock (ms since epoch) for health timeouts and the apply record; Date.now when unset. Tests pass a logical one. */
  now?: (() => number) | undefined;
  /** Ends a long-running command (`drover agent`) when it aborts; SIGINT/SIGTERM in bin/drover. */
  signal?: AbortSignal | undefined;
}

/** Exit codes of the fleet commands. Pending: `status` still converging, or `apply` held by the promotion gate. */
export const Exit = { Done: 0, Error: 1, Blocked: 2, Pending: 3 } as const;

/** Prints `drover: <message>` (the stack only for an unexpected error) and returns Exit.Error. */
export function fail(io: CliIo, e: unknown, log?: Logger): number {
  const err = e as DroverError;
  if (!isDroverError(e)) log?.error({ error: String(e) }, 'unexpected error');
  io.stderr.write(`drover: ${isDroverError(e) ? err.message : (e as Error)?.stack ?? String(e)}\n`);
  return Exit.Error;
}
