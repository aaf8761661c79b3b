import type { AgentMetrics } from './metrics.js';

/** A fetch for one forge kind that counts each request by result (`2xx`…`5xx`, `error` for no answer). */
export function meterFetch(fetchImpl: typeof fetch, forge: string, metrics: AgentMetrics): typeof fetch {
  return async (input, init) => {
    let res: Response;
    try {
      res = await fetchImpl(input, init);
    } catch (e) {
      metrics.recordForgeRequest(forge, undefined);
      throw e;
    }
    metrics.recordForgeRequest(forge, res.status);
    return res;
  };
}
