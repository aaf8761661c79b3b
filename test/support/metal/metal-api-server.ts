// A local stand-in for the Equinix Metal API (`/metal/v1`): the endpoints Drover's Metal client
// calls (plans per project, metros, operating systems, the metro capacity check, devices by
// project and tag with page/per_page pagination, device by id), with X-Auth-Token auth and
// 429 answers with Retry-After on demand. Every request and every answer, errors included, is
// checked against the Metal OpenAPI description from the equinix-sdk-go module
// (metal-contract.ts); `contract.violations` lists any mismatch.
import type { ApiContract } from '../forge/openapi-contract.js';
import { startJsonServer, type JsonReply, type JsonRequest, type RecordedRequest, type Route } from '../forge/json-http-server.js';
import { loadMetalContract } from './metal-contract.js';

export interface PlanFixture {
  readonly slug: string;
  readonly name: string;
  /** Default price per hour (USD). */
  readonly hour: number;
  /** Metro code → price per hour where it differs; the plan is offered in these metros and `metros`. */
  readonly metroPrices?: Record<string, number>;
}

export interface DeviceFixture {
  id: string;
  project: string;
  hostname: string;
  state: 'queued' | 'provisioning' | 'deprovisioning' | 'reinstalling' | 'active' | 'inactive' | 'failed' | 'powering_on' | 'powering_off' | 'deleted';
  tags: string[];
  created_at: string;
  metro: string;
  plan: string;
}

export interface MetalApiServer {
  /** `http://127.0.0.1:<port>/metal/v1` */
  readonly url: string;
  readonly contract: ApiContract;
  readonly requests: RecordedRequest[];
  /** Available servers per metro and plan, for the capacity check; edit freely. */
  readonly capacity: Record<string, Record<string, number>>;
  readonly devices: DeviceFixture[];
  /** The next `times` requests are answered 429 with `Retry-After: <seconds>`. */
  throttleNext(times: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export const METAL_PLANS: readonly PlanFixture[] = [
  { slug: 'c3.small.x86', name: 'c3.small.x86', hour: 0.75 },
  { slug: 'c3.medium.x86', name: 'c3.medium.x86', hour: 1.5 },
  { slug: 'm3.small.x86', name: 'm3.small.x86', hour: 1.05, metroPrices: { fr: 1.15 } },
  { slug: 'm3.large.x86', name: 'm3.large.x86', hour: 3.1 },
  { slug: 'n3.xlarge.x86', name: 'n3.xlarge.x86', hour: 4.5 },
];
export const METAL_METROS = [
  { code: 'am', name: 'Amsterdam', country: 'NL' },
  { code: 'da', name: 'Dallas', country: 'US' },
  { code: 'fr', name: 'Frankfurt', country: 'DE' },
  { code: 'ny', name: 'New York', country: 'US' },
  { code: 'sv', name: 'Silicon Valley', country: 'US' },
  { code: 'sg', name: 'Singapore', country: 'SG' },
] as const;
export const METAL_OPERATING_SYSTEMS = ['ubuntu_20_04', 'ubuntu_22_04', 'ubuntu_24_04', 'debian_12', 'flatcar_stable', 'rocky_9'];

export async function startMetalApiServer(options: {
  token: string;
  projects: readonly string[];
  capacity?: Record<string, Record<string, number>>;
  devices?: DeviceFixture[];
  contract?: ApiContract;
}): Promise<MetalApiServer> {
  const contract = options.contract ?? loadMetalContract();
  const prefix = '/metal/v1';
  const capacity = options.capacity ?? Object.fromEntries(METAL_METROS.map((m) => [m.code, Object.fromEntries(METAL_PLANS.map((p) => [p.slug, 20]))]));
  const devices = options.devices ?? [];
  let throttle = { left: 0, seconds: 0 };
  const metroId = (code: string): string => uuid(`metro-${code}`);
  const planId = (slug: string): string => uuid(`plan-${slug}`);

  const operation = (operationId: string, method: string, template: string, handle: (req: JsonRequest) => JsonReply): Route => ({
    method,
    template,
    handle: (req) => {
      let reply: JsonReply;
      if (req.headers['x-auth-token'] !== options.token) {
        reply = { status: 401, body: { error: 'Invalid authentication token' } };
      } else if (throttle.left > 0) {
        throttle.left--;
        reply = { status: 429, headers: { 'retry-after': String(throttle.seconds) }, body: { error: 'Too many requests, slow down' } };
      } else {
        const problems = contract.checkRequest(operationId, req.query, req.body);
        reply = problems.length ? { status: 422, body: { errors: problems } } : handle(req);
      }
      contract.checkResponse(operationId, reply.status, reply.body);
      return reply;
    },
  });
  const project = (req: JsonRequest): JsonReply | undefined => (options.projects.includes(req.params.id!) ? undefined : { status: 404, body: { error: 'Not found' } });
  const plan = (p: PlanFixture, base: string) => ({
    id: planId(p.slug),
    slug: p.slug,
    name: p.name,
    class: p.slug,
    line: 'baremetal',
    type: 'standard',
    categories: ['compute', 'current_gen'],
    deployment_types: ['on_demand', 'spot_market'],
    legacy: false,
    pricing: { hour: p.hour },
    available_in_metros: METAL_METROS.map((m) => ({ href: `${base}/locations/metros/${metroId(m.code)}`, ...(p.metroPrices?.[m.code] !== undefined ? { price: { hour: p.metroPrices[m.code] } } : {}) })),
  });
  const device = (d: DeviceFixture) => ({
    id: d.id,
    href: `${prefix}/devices/${d.id}`,
    hostname: d.hostname,
    short_id: d.id.slice(0, 8),
    state: d.state,
    tags: d.tags,
    created_at: d.created_at,
    updated_at: d.created_at,
    billing_cycle: 'hourly',
    locked: false,
    metro: { id: metroId(d.metro), code: d.metro, name: METAL_METROS.find((m) => m.code === d.metro)?.name ?? d.metro, country: METAL_METROS.find((m) => m.code === d.metro)?.country ?? 'US' },
    plan: { id: planId(d.plan), slug: d.plan, name: d.plan },
    project_lite: { href: `${prefix}/projects/${d.project}` },
  });

  const routes: Route[] = [
    operation('findPlans', 'GET', '/plans', () => ({ status: 200, body: { plans: METAL_PLANS.map((p) => plan(p, prefix)) } })),
    operation('findPlansByProject', 'GET', '/projects/{id}/plans', (req) => project(req) ?? { status: 200, body: { plans: METAL_PLANS.map((p) => plan(p, prefix)) } }),
    operation('findMetros', 'GET', '/locations/metros', () => ({ status: 200, body: { metros: METAL_METROS.map((m) => ({ id: metroId(m.code), ...m })) } })),
    operation('findOperatingSystems', 'GET', '/operating-systems', () => ({
      status: 200,
      body: {
        operating_systems: METAL_OPERATING_SYSTEMS.map((slug) => ({
          id: uuid(`os-${slug}`),
          slug,
          name: slug.replace(/_/g, ' '),
          distro: slug.split('_')[0],
          version: slug.split('_').slice(1).join('.') || 'stable',
          provisionable_on: METAL_PLANS.map((p) => p.slug),
          preinstallable: false,
          licensed: false,
        })),
      },
    })),
    operation('checkCapacityForMetro', 'POST', '/capacity/metros', (req) => {
      const servers = (req.body as { servers?: { metro?: string; plan?: string; quantity?: string }[] }).servers ?? [];
      const errors: string[] = [];
      for (const s of servers) {
        if (!s.metro || !(s.metro in capacity)) errors.push(`unknown metro ${JSON.stringify(s.metro)}`);
        if (!s.plan || !METAL_PLANS.some((p) => p.slug === s.plan)) errors.push(`unknown plan ${JSON.stringify(s.plan)}`);
        if (!/^[1-9]\d*$/.test(s.quantity ?? '')) errors.push(`quantity must be a positive whole number, got ${JSON.stringify(s.quantity)}`);
      }
      if (errors.length) return { status: 422, body: { errors } };
      return {
        status: 200,
        body: { servers: servers.map((s) => ({ metro: s.metro, plan: s.plan, quantity: s.quantity, available: (capacity[s.metro!]?.[s.plan!] ?? 0) >= Number(s.quantity) })) },
      };
    }),
    operation('findProjectDevices', 'GET', '/projects/{id}/devices', (req) => {
      const refused = project(req);
      if (refused) return refused;
      const tag = req.query.get('tag');
      const page = Number(req.query.get('page') ?? '1');
      const perPage = Number(req.query.get('per_page') ?? '10');
      const all = devices.filter((d) => d.project === req.params.id && (!tag || d.tags.includes(tag)));
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const href = (p: number) => ({ href: `${prefix}/projects/${req.params.id}/devices?page=${p}&per_page=${perPage}${tag ? `&tag=${encodeURIComponent(tag)}` : ''}` });
      return {
        status: 200,
        body: {
          devices: all.slice((page - 1) * perPage, page * perPage).map(device),
          meta: { first: href(1), last: href(last), self: href(page), ...(page > 1 ? { previous: href(page - 1) } : {}), ...(page < last ? { next: href(page + 1) } : {}), total: all.length, current_page: page, last_page: last },
        },
      };
    }),
    operation('findDeviceById', 'GET', '/devices/{id}', (req) => {
      const d = devices.find((x) => x.id === req.params.id);
      return d ? { status: 200, body: device(d) } : { status: 404, body: { error: 'Not found' } };
    }),
  ];

  const server = await startJsonServer({ routes, prefix, notFound: () => ({ status: 404, body: { error: 'Not found' } }) });
  return {
    url: server.url,
    contract,
    requests: server.requests,
    capacity,
    devices,
    throttleNext: (times, seconds = 0) => (throttle = { left: times, seconds }),
    close: () => server.close(),
  };
}

/** A stable UUID-shaped id from a name (not random, so answers are reproducible). */
function uuid(name: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
