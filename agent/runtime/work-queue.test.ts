import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkQueue', () => {
  it('runs one key at a time and once more when it was added while running', async () => {
    const runs: string[] = [];
    const gate = deferred();
    const q = new WorkQueue({ concurrency: 4, run: async (k) => { runs.push(k); if (runs.length === 1) await gate.promise; } });
    q.add('a');
    q.add('a');
    q.add('a');
    expect(runs).toEqual(['a']);
    gate.resolve();
    await q.idle();
    expect(runs).toEqual(['a', 'a']);
  });

  it('bounds the keys in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const q = new WorkQueue({ concurrency: 2, run: async () => { inFlight++; most = Math.max(most, inFlight); await new Promise((r) => setTimeout(r, 5)); inFlight--; } });
    for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
    await q.idle();
    expect(most).toBe(2);
  });

  it('keeps the earliest of several schedules and forgets a key entirely', () => {
    const timers: Array<{ ms: number; fn: () => void; cancelled: boolean }> = [];
    const q = new WorkQueue({ concurrency: 1, run: async () => {}, setTimer: (fn, ms) => { const t = { ms, fn, cancelled: false }; timers.push(t); return { cancel: () => (t.cancelled = true) }; } });
    q.addAfter('a', 1000, 0);
    q.addAfter('a', 5000, 0);
    q.addAfter('a', 500, 0);
    expect(timers.map((t) => [t.ms, t.cancelled])).toEqual([[1000, true], [500, false]]);
    expect(q.scheduledAt('a')).toBe(500);
    q.forget('a');
    expect(timers[1]!.cancelled).toBe(true);
    expect(q.scheduledAt('a')).toBeUndefined();
  });

  it('reports a run that throws and goes on', async () => {
    const errors: string[] = [];
    const q = new WorkQueue({ concurrency: 1, run: async (k) => { if (k === 'bad') throw new Error('boom'); }, onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) });
    q.add('bad');
    q.add('good');
    await q.idle();
    expect(errors).toEqual(['bad: boom']);
  });

  it('runs nothing while paused, and what queued up once resumed', async () => {
    const runs: string[] = [];
    const q = new WorkQueue({ concurrency: 2, paused: true, run: async (k) => { runs.push(k); } });
    q.add('a');
    q.add('b');
    q.add('a');
    await q.idle();
    expect(runs).toEqual([]);
    q.resume();
    await q.idle();
    expect(runs).toEqual(['a', 'b']);
    q.pause();
    q.add('c');
    await q.idle();
    expect(runs).toEqual(['a', 'b']);
  });
});
