import { pino } from 'pino';
import type { Logger } from '../core/log.js';

/** Paths pino blanks wherever they appear: credentials never reach a log line. */
export const REDACT_PATHS = ['token', '*.token', 'auth', '*.auth', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'headers["x-auth-token"]', '*.headers["x-auth-token"]', 'data', 'stringData'];

/** The root logger: JSON lines to the given stream (stderr for the CLI, so stdout stays the command's output). */
export function createLogger(level: string, destination: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'drover' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
