import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { createKubeClient } from '../kube/kube-client.js';
import { FLEET_API_VERSION, FLEET_KIND, parseFleetResource } from '../runtime/fleet-resource.js';
import { formatWebhookInstructions } from '../runtime/webhook-instructions.js';
import type { WebhookForge } from '../runtime/webhook-signature.js';
import { fail, type CliIo } from './cli-io.js';
import { loadKubeConfig } from './kube-config.js';

const USAGE = `Usage: drover webhook-url fleet NAME --url AGENT_URL [-n NAMESPACE] [--forge github|gitlab|gitea]
                          [--secret NAME [--key KEY]] [--kubeconfig F]

Prints what to configure on the forge so that pushes and pull requests reach the agent at once:
the webhook URL (AGENT_URL/hooks/NAMESPACE/NAME, AGENT_URL being the agent's Service as the forge
reaches it), content type, where the secret is, and which events. Reads the Fleet (its forge kind,
tracked branch and spec.webhook.secretRef) unless --forge and --secret are both given.
`;

const FORGES = ['github', 'gitlab', 'gitea'] as const;

/** `drover webhook-url fleet NAME`: at most one GET of the Fleet; never reads the Secret's value. */
export async function runWebhookUrlCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (e) {
      throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `webhook-url: ${(e as Error).message.replace(/\.$/, '')}` }]);
    }
    const v = parsed.values;
    const [kind, name, ...extra] = parsed.positionals;
    const problems: string[] = [];
    if (kind !== 'fleet' || !name || extra.length) problems.push('expected "fleet NAME"');
    if (!v.url || !/^https?:\/\/[^\s/]+/.test(v.url)) problems.push('--url must be the agent\'s http(s) URL as the forge reaches it, such as https://drover.example.com');
    if (v.forge !== undefined && !(FORGES as readonly string[]).includes(v.forge)) problems.push(`--forge must be one of ${FORGES.join(', ')}, got ${JSON.stringify(v.forge)}`);
    if (problems.length) throw new ConfigError(problems.map((p) => ({ code: 'InvalidFlag', path: [], message: `webhook-url: ${p}` })));
    const namespace = v.namespace ?? io.env.DROVER_NAMESPACE ?? 'drover-system';
    let forge = v.forge as WebhookForge | undefined;
    let secret = v.secret ? { name: v.secret, key: v.key ?? 'token' } : undefined;
    let ref: string | undefined;
    if (!forge || !secret) {
      const kubeconfig = v.kubeconfig ?? io.env.KUBECONFIG?.split(':')[0] ?? `${io.env.HOME}/.kube/config`;
      const client = createKubeClient(loadKubeConfig('webhook-url', kubeconfig), { fieldManager: 'drover-cli' });
      const obj = await client.get({ apiVersion: FLEET_API_VERSION, kind: FLEET_KIND, namespace, name: name! });
      if (!obj) throw new ConfigError([{ code: 'NotFound', path: [], message: `webhook-url: Fleet/${namespace}/${name} not found` }]);
      const fleet = parseFleetResource(obj);
      forge ??= fleet.spec.forge?.kind;
      secret ??= fleet.spec.webhookSecret;
      ref = fleet.spec.ref;
    }
    io.stdout.write(formatWebhookInstructions({ baseUrl: v.url!, namespace, name: name!, ref, forge, secret }));
    return 0;
  } catch (e) {
    return fail(io, e);
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: { namespace: { type: 'string', short: 'n' }, kubeconfig: { type: 'string' }, url: { type: 'string' }, forge: { type: 'string' }, secret: { type: 'string' }, key: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
}
