import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../core/log.js';
import { redactLogRecord, redactSecretText } from '../core/redact-log.js';

/**
 * Paths pino blanks (fast, before formatting); redactLogRecord then masks secret-looking keys at
 * any depth and credentials inside strings (URL userinfo, Authorization headers), so tokens,
 * Authorization headers, Secret data and URL userinfo never reach a line.
 */
export const REDACT_PATHS = [
  'token', '*.token', 'auth', '*.auth', 'password', '*.password', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'headers.cookie', '*.headers.cookie',
  'headers["x-auth-token"]', '*.headers["x-auth-token"]', 'headers["private-token"]', '*.headers["private-token"]',
  'data', '*.data', 'stringData', '*.stringData',
];

/** The root logger: JSON lines to the given stream (stderr for the CLI, so stdout stays the command's output). */
export function createLogger(level: string, destination: NodeJS.WritableStream): Logger {
  return maskChildBindings(pino(
    {
      level,
      base: { app: 'drover' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Credentials at any depth or inside any string (an error text, a repo flag) never reach a line.
      formatters: { log: (obj) => redactLogRecord(obj), bindings: (b) => redactLogRecord(b) },
      hooks: {
        // The message too (messages are constant, but a caller's may not be).
        logMethod(args, method) {
          const i = args.length - 1;
          if (typeof args[i] === 'string') args[i] = redactSecretText(args[i] as string);
          return method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    destination,
  ));
}

/** pino serializes a child's bindings once, past the formatters: they are masked on the way in. */
function maskChildBindings(p: PinoLogger): Logger {
  return {
    debug: (o, m) => p.debug(o, m),
    info: (o, m) => p.info(o, m),
    warn: (o, m) => p.warn(o, m),
    error: (o, m) => p.error(o, m),
    child: (bindings) => maskChildBindings(p.child(redactLogRecord(bindings))),
  };
}
