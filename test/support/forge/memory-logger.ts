// A Logger (agent/core/log.ts) that keeps every line in memory, for tests that look at logs.
import type { Logger } from '../../../agent/core/log.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly data: Record<string, unknown>;
}

export function memoryLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: LogLine[] } {
  const at = (level: LogLine['level']) => (obj: object, msg: string) => lines.push({ level, msg, data: { ...bindings, ...obj } });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => memoryLogger(lines, { ...bindings, ...b }) };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingClock(start = Date.parse('2026-11-25T08:00:00Z')): { now(): number; sleep(ms: number): Promise<void>; slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}
