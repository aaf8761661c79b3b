import type { Logger } from '../core/log.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { AgentContext, AgentPlugin } from './agent-plugin.js';
import { WebhookResult } from './metrics.js';
import { FLEET_API_VERSION, FLEET_KIND, parseFleetResource, type FleetResource } from './fleet-resource.js';
import type { RouteRequest, RouteResponse } from './http-server.js';
import type { PullRequestInbox } from './pr-inbox.js';
import { DeliveryLog } from './webhook-deliveries.js';
import { detectWebhookForge, isTrackedRef, parseWebhookEvent, toDeliveryId, toEventName } from './webhook-event.js';
import { headerValue, SIGNATURE_HEADER, verifyWebhookSignature, type WebhookForge } from './webhook-signature.js';

/** Where the forges deliver: `POST /hooks/<namespace>/<name>`, one route per Fleet. */
export const WEBHOOK_PATH_PREFIX = '/hooks/';
/** The largest delivery read (GitHub caps its payloads at 25 MB; a push of a fleet repository is far below 5 MiB). */
export const WEBHOOK_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** What became of one delivery (for logs and metrics). */
export const DeliveryResult = {
  Triggered: 'triggered',
  PullRequestQueued: 'pull-request-queued',
  Pong: 'pong',
  Ignored: 'ignored',
  Duplicate: 'duplicate',
  Unauthorized: 'unauthorized',
  NotFound: 'not-found',
  BadRequest: 'bad-request',
  Unavailable: 'unavailable',
  Standby: 'standby',
  TooLarge: 'too-large',
} as const;
export type DeliveryResult = (typeof DeliveryResult)[keyof typeof DeliveryResult];

export interface WebhookDelivery {
  /** `<namespace>/<name>`, when the path named one. */
  readonly fleet?: string | undefined;
  readonly forge?: WebhookForge | undefined;
  readonly event?: string | undefined;
  readonly delivery?: string | undefined;
  readonly result: DeliveryResult;
  readonly status: number;
}

export interface WebhookPluginOptions {
  /** Pull request heads go here for the pull request plug-in to check on the Fleet's next pass. */
  readonly inbox?: PullRequestInbox | undefined;
  /** Default WEBHOOK_MAX_BODY_BYTES. */
  readonly maxBodyBytes?: number | undefined;
  /** Delivery IDs remembered per Fleet (default 1024). */
  readonly deliveryLogSize?: number | undefined;
  /** Called once per delivery with its outcome (metrics). */
  readonly onDelivery?: ((delivery: WebhookDelivery) => void) | undefined;
}

/**
 * Signed webhooks from GitHub, GitLab and Gitea as an agent plug-in: `POST /hooks/<ns>/<name>`
 * reads the Fleet and its `spec.webhook.secretRef` Secret, verifies the delivery (constant time;
 * unsigned or wrong → 401, nothing done), acts on each delivery ID once, and then: a push to the
 * Fleet's tracked ref queues its reconcile now; a pull request opened, reopened or pushed to
 * (into the tracked branch, checks on) puts its head in the inbox and queues the reconcile, whose
 * pull request check plans that head first. Bodies over the bound → 413 while reading; events
 * the agent does not act on → 202.
 */
export function createWebhookPlugin(options: WebhookPluginOptions = {}): AgentPlugin {
  const deliveries = new Map<string, DeliveryLog>();
  return {
    name: 'webhooks',
    start(ctx) {
      ctx.http.route('POST', WEBHOOK_PATH_PREFIX, (req) => handleDelivery(req, ctx, deliveries, options), {
        maxBodyBytes: options.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES,
        onBodyTooLarge: (req) => {
          const forge = detectWebhookForge(req.headers);
          ctx.metrics.recordWebhookDelivery(forge ?? 'other', WebhookResult.TooLarge);
          options.onDelivery?.({ forge, result: DeliveryResult.TooLarge, status: 413 });
          ctx.log.warn({ component: 'webhooks', path: req.path, forge, result: DeliveryResult.TooLarge, status: 413 }, 'webhook delivery refused');
        },
      });
    },
    onFleetRemoved(key) {
      deliveries.delete(key);
    },
  };
}

async function handleDelivery(req: RouteRequest, ctx: AgentContext, deliveries: Map<string, DeliveryLog>, options: WebhookPluginOptions): Promise<RouteResponse> {
  const log = ctx.log.child({ component: 'webhooks' });
  const answer = (d: WebhookDelivery, body: unknown, headers?: Record<string, string>): RouteResponse => {
    options.onDelivery?.(d);
    ctx.metrics.recordWebhookDelivery(d.forge ?? 'other', toMetricResult(d.result));
    const fields = { fleet: d.fleet, forge: d.forge, event: d.event, delivery: d.delivery, result: d.result, status: d.status };
    if (d.status === 401 || d.status >= 500) log.warn(fields, 'webhook delivery refused');
    else if (d.result === DeliveryResult.Triggered || d.result === DeliveryResult.PullRequestQueued) log.info(fields, 'webhook delivery accepted');
    else log.debug(fields, 'webhook delivery not acted on');
    return { status: d.status, body, ...(headers ? { headers } : {}) };
  };
  const parts = req.path.slice(WEBHOOK_PATH_PREFIX.length).split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return answer({ result: DeliveryResult.NotFound, status: 404 }, { error: `expected ${WEBHOOK_PATH_PREFIX}<namespace>/<name>` });
  const [namespace, name] = parts as [string, string];
  const key = `${namespace}/${name}`;
  const where = `Fleet/${namespace}/${name}`;
  // A standby reconciles nothing and its queue is not the leader's: say so rather than accept and drop.
  if (!ctx.isLeader()) return answer({ fleet: key, result: DeliveryResult.Standby, status: 503 }, { error: 'this replica stands by; the leader acts on webhooks' }, { 'retry-after': '5' });
  if (!ctx.state.get(key)) return answer({ fleet: key, result: DeliveryResult.NotFound, status: 404 }, { error: `${where} is not served by this agent` });

  // Unsigned: refused before anything is read from the apiserver (no GETs for anonymous traffic).
  const announced = detectWebhookForge(req.headers);
  const signatureHeaders = announced ? [SIGNATURE_HEADER[announced]] : Object.values(SIGNATURE_HEADER);
  if (!signatureHeaders.some((h) => headerValue(req.headers, h))) {
    return answer({ fleet: key, forge: announced, result: DeliveryResult.Unauthorized, status: 401 }, { error: `unsigned delivery: ${signatureHeaders.join(' or ')} is missing` });
  }
  let fleet: FleetResource;
  let secret: string;
  try {
    const found = await fetchFleetAndSecret(ctx.client, namespace, name, log);
    if (found === 'absent') return answer({ fleet: key, result: DeliveryResult.NotFound, status: 404 }, { error: `${where} is not served by this agent` });
    if (found === 'no-webhook') return answer({ fleet: key, result: DeliveryResult.NotFound, status: 404 }, { error: `${where} receives no webhooks (no spec.webhook.secretRef)` });
    ({ fleet, secret } = found);
  } catch (e) {
    log.warn({ fleet: key, error: (e as Error).message }, 'webhook secret not read');
    return answer({ fleet: key, result: DeliveryResult.Unavailable, status: 503 }, { error: `${where} webhook secret is not available; see the agent's log` });
  }

  const forge = detectWebhookForge(req.headers) ?? fleet.spec.forge?.kind;
  if (!forge) return answer({ fleet: key, result: DeliveryResult.Unauthorized, status: 401 }, { error: `unsigned delivery: expected one of ${Object.values(SIGNATURE_HEADER).join(', ')}` });
  const event = toEventName(forge, req.headers);
  const delivery = toDeliveryId(forge, req.headers);
  const base = { fleet: key, forge, event, delivery };
  const check = verifyWebhookSignature(forge, req.headers, req.body, secret);
  if (!check.ok) return answer({ ...base, result: DeliveryResult.Unauthorized, status: 401 }, { error: `${check.header} ${check.problem === 'missing' ? 'is missing' : check.problem === 'malformed' ? 'is malformed' : 'does not match the Fleet\'s webhook secret'}` });

  let payload: unknown;
  try {
    payload = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
  } catch {
    return answer({ ...base, result: DeliveryResult.BadRequest, status: 400 }, { error: 'the body is not JSON (configure the webhook with content type application/json)' });
  }
  if (delivery !== undefined) {
    let seen = deliveries.get(key);
    if (!seen) deliveries.set(key, (seen = new DeliveryLog(options.deliveryLogSize)));
    if (!seen.record(`${forge}:${delivery}`)) return answer({ ...base, result: DeliveryResult.Duplicate, status: 200 }, { result: 'duplicate', message: `delivery ${delivery} was acted on already` });
  }

  const parsed = parseWebhookEvent(forge, event, payload);
  switch (parsed.type) {
    case 'ping':
      return answer({ ...base, result: DeliveryResult.Pong, status: 200 }, { result: 'pong' });
    case 'ignored':
      return answer({ ...base, result: DeliveryResult.Ignored, status: 202 }, { result: 'ignored', reason: parsed.reason });
    case 'push':
      if (!isTrackedRef(parsed.ref, fleet.spec.ref)) return answer({ ...base, result: DeliveryResult.Ignored, status: 202 }, { result: 'ignored', reason: `push to ${parsed.ref}; ${where} tracks ${fleet.spec.ref}` });
      ctx.trigger(key);
      return answer({ ...base, result: DeliveryResult.Triggered, status: 200 }, { result: 'reconcile queued', fleet: key, ref: parsed.ref, ...(parsed.after ? { after: parsed.after } : {}) });
    case 'pull-request':
      if (!fleet.spec.pullRequests || !options.inbox) return answer({ ...base, result: DeliveryResult.Ignored, status: 202 }, { result: 'ignored', reason: `${where} has pull request checks off (spec.pullRequests.enabled)` });
      if (parsed.pr.baseRef !== fleet.spec.ref) return answer({ ...base, result: DeliveryResult.Ignored, status: 202 }, { result: 'ignored', reason: `pull request into ${parsed.pr.baseRef}; ${where} tracks ${fleet.spec.ref}` });
      options.inbox.add(key, parsed.pr);
      ctx.trigger(key);
      return answer({ ...base, result: DeliveryResult.PullRequestQueued, status: 200 }, { result: 'plan check queued', fleet: key, pullRequest: parsed.pr.number, head: parsed.pr.headSha });
  }
}

/** The Fleet as it is now and its webhook secret (two GETs). The secret's value never leaves this function but as the return value. */
async function fetchFleetAndSecret(client: KubeClient, namespace: string, name: string, log: Logger): Promise<{ fleet: FleetResource; secret: string } | 'absent' | 'no-webhook'> {
  const obj = await client.get({ apiVersion: FLEET_API_VERSION, kind: FLEET_KIND, namespace, name });
  if (!obj) return 'absent';
  const fleet = parseFleetResource(obj);
  const ref = fleet.spec.webhookSecret;
  if (!ref) return 'no-webhook';
  const where = `Fleet/${namespace}/${name} spec.webhook.secretRef`;
  const s = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: ref.name });
  if (!s) throw new Error(`${where}: Secret/${namespace}/${ref.name} not found`);
  const raw = (s.data as Record<string, string> | undefined)?.[ref.key];
  const secret = raw === undefined ? '' : Buffer.from(raw, 'base64').toString('utf8').trim();
  if (!secret) throw new Error(`${where}: Secret/${namespace}/${ref.name} has no "${ref.key}" key`);
  log.debug({ fleet: `${namespace}/${name}`, secret: `Secret/${namespace}/${ref.name}` }, 'webhook secret read');
  return { fleet, secret };
}

/** The metric's closed set of results for one delivery's outcome. */
function toMetricResult(result: DeliveryResult): WebhookResult {
  switch (result) {
    case DeliveryResult.Triggered:
    case DeliveryResult.PullRequestQueued:
    case DeliveryResult.Pong:
      return WebhookResult.Accepted;
    case DeliveryResult.Ignored:
      return WebhookResult.Ignored;
    case DeliveryResult.Duplicate:
      return WebhookResult.Duplicate;
    case DeliveryResult.Unauthorized:
      return WebhookResult.Unauthorized;
    case DeliveryResult.TooLarge:
      return WebhookResult.TooLarge;
    case DeliveryResult.NotFound:
    case DeliveryResult.BadRequest:
      return WebhookResult.Rejected;
    case DeliveryResult.Unavailable:
    case DeliveryResult.Standby:
      return WebhookResult.Error;
  }
}
