import { describe, expect, it } from 'vitest';
import { fleetState, NOW, pageStore } from '../../test/fixtures/page/fleet-page-fixture.js';
import { silentLogger } from '../core/log.js';
import { AgentStateStore } from '../runtime/agent-state.js';
import type { ResponseStream, RouteHandler, RouteRequest, RouteResponse } from '../runtime/http-server.js';
import { CONTENT_SECURITY_POLICY, registerPageRoutes } from './page-routes.js';

function setup() {
  const routes = new Map<string, RouteHandler>();
  const state = new AgentStateStore();
  state.set(fleetState());
  const store = pageStore();
  registerPageRoutes({ route: (method, path, handler) => void routes.set(`${method} ${path}`, handler) }, { state, store, now: () => NOW, log: silentLogger, debounceMs: 5, keepAliveMs: 60_000 });
  const call = async (key: string, path: string, query = ''): Promise<RouteResponse> =>
    routes.get(key)!({ method: 'GET', path, query: new URLSearchParams(query), headers: {}, body: Buffer.alloc(0) } as RouteRequest);
  return { state, store, call };
}

function sink() {
  const chunks: string[] = [];
  const closers: (() => void)[] = [];
  const stream: ResponseStream = { write: (c) => (chunks.push(c), true), onClose: (l) => void closers.push(l) };
  return { chunks, stream, close: () => closers.forEach((c) => c()) };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('page routes', () => {
  it('serves the HTML views under the Content-Security-Policy, and their data as JSON', async () => {
    const { call } = setup();
    const page = await call('GET /fleets/', '/fleets/drover-system/example');
    expect(page.headers?.['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(String(page.body)).toContain('<h1>Fleet drover-system/example</h1>');
    const json = (await call('GET /api/fleets/', '/api/fleets/drover-system/example')).body as { environments: { name: string }[] };
    expect(json.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect((await call('GET /api/fleets/', '/api/fleets/drover-system/nope')).status).toBe(404);
    expect((await call('GET /fleets/', '/fleets/drover-system/nope')).status).toBe(404);
  });

  it('streams the view once at the start, then after each change of its Fleet, coalesced, until the page closes', async () => {
    const { state, store, call } = setup();
    const res = await call('GET /page/events', '/page/events', 'view=%2Ffleets%2Fdrover-system%2Fexample');
    const s = sink();
    res.stream!(s.stream);
    const updates = () => s.chunks.filter((c) => c.startsWith('event: update\n'));
    expect(updates()).toHaveLength(1);
    expect(updates()[0]).toMatch(/^event: update\ndata: <h1>Fleet drover-system\/example<\/h1>/);
    expect(updates()[0]!.endsWith('\n\n')).toBe(true);
    // Three changes in a row: one event; a change that renders the same markup: none.
    const f = state.get('drover-system/example')!;
    state.set({ ...f, environments: f.environments.map((e) => (e.name === 'staging' ? { ...e, phase: 'ready', reason: 'Succeeded' } : e)) });
    store.changed('drover-system/example');
    store.changed('drover-system/example');
    await tick(30);
    expect(updates()).toHaveLength(2);
    expect(updates()[1]).toContain('Succeeded');
    store.changed('drover-system/example');
    await tick(30);
    expect(updates()).toHaveLength(2);
    // Another Fleet's change does not wake this stream.
    state.set({ ...fleetState(), key: 'other/fleet', namespace: 'other', name: 'fleet' });
    await tick(30);
    expect(updates()).toHaveLength(2);
    // Closed: nothing more is written.
    s.close();
    state.set({ ...state.get('drover-system/example')!, suspended: true });
    await tick(30);
    expect(updates()).toHaveLength(2);
  });
});
