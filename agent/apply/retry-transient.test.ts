import { describe, expect, it } from 'vitest';
import { ApplyError, Retry } from '../core/errors.js';
import { withTransientRetry } from './retry-transient.js';

const classify = (e: unknown) => (e instanceof ApplyError ? e : new ApplyError(String(e), { retry: Retry.Transient }));
const transient = (n: number) => new ApplyError(`ConfigMap/ns/a InternalError: failed calling webhook (try ${n})`, { retry: Retry.Transient });

function policy(attempts: number) {
  const waits: number[] = [];
  return { waits, policy: { attempts, baseDelayMs: 100, maxDelayMs: 250, sleep: async (ms: number) => void waits.push(ms) } };
}

describe('withTransientRetry', () => {
  it('tries again after a transient failure, waiting longer each time up to the cap', async () => {
    let calls = 0;
    const { waits, policy: p } = policy(4);
    const result = await withTransientRetry(async () => {
      calls++;
      if (calls < 4) throw transient(calls);
      return 'stored';
    }, classify, p);
    expect(result).toBe('stored');
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 250]);
  });

  it('gives up after the last attempt with the last error, still transient', async () => {
    let calls = 0;
    const { waits, policy: p } = policy(3);
    const err = await withTransientRetry(async () => {
      throw transient(++calls);
    }, classify, p).catch((e: unknown) => e as ApplyError);
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
    expect(err.message).toContain('(try 3)');
    expect(err.retry).toBe(Retry.Transient);
  });

  it('does not retry what the server refused for the object itself', async () => {
    let calls = 0;
    const { waits, policy: p } = policy(3);
    const err = await withTransientRetry(async () => {
      calls++;
      throw new ApplyError('ConfigMap/ns/a Invalid: data.x: must be a string');
    }, classify, p).catch((e: unknown) => e as ApplyError);
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
    expect(err.retry).toBe(Retry.Terminal);
  });
});
