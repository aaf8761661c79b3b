import { pino } from 'pino';
import type { Logger } from '../core/log.js';
import { redactLogObject } from '../core/redact-url.js';

/** Paths pino blanks wherever they appear: credentials never reach a log line. */
export const REDACT_PATHS = ['token', '*.token', 'auth', '*.auth', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'headers["x-auth-token"]', '*.headers["x-auth-token"]', 'data', 'stringData'];

/** The root logger: JSON lines to the given stream (stderr for the CLI, so stdout stays the command's output). */
export function createLogger(level: string, destination: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'drover' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Credentials inside any URL-like string (an error text, a repo flag) never reach a line.
      formatters: { log: (obj) => redactLogObject(obj), bindings: (b) => redactLogObject(b) },
    },
    destination,
  );
}
