import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { createKubeClient } from '../kube/kube-client.js';
import { FLEET_API_VERSION, FLEET_KIND, RECONCILE_AT_ANNOTATION } from '../runtime/fleet-resource.js';
import { fail, type CliIo } from './cli-io.js';
import { loadKubeConfig } from './kube-config.js';

const USAGE = `Usage: drover reconcile fleet NAME [-n NAMESPACE] [--kubeconfig F]

Asks the agent to reconcile the Fleet now: sets the annotation ${RECONCILE_AT_ANNOTATION} to the
current time. The agent polls the source and walks the environments again, even at the same
revision (a terminal failure is retried).
`;

/** `drover reconcile fleet NAME`: one merge patch of the Fleet's annotations. */
export async function runReconcileCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (e) {
      throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `reconcile: ${(e as Error).message.replace(/\.$/, '')}` }]);
    }
    const [kind, name, ...extra] = parsed.positionals;
    if (kind !== 'fleet' || !name || extra.length) throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `reconcile: expected "fleet NAME"\n${USAGE}` }]);
    const namespace = parsed.values.namespace ?? io.env.DROVER_NAMESPACE ?? 'drover-system';
    const kubeconfig = parsed.values.kubeconfig ?? io.env.KUBECONFIG?.split(':')[0] ?? `${io.env.HOME}/.kube/config`;
    const client = createKubeClient(loadKubeConfig('reconcile', kubeconfig), { fieldManager: 'drover-cli' });
    const at = new Date((io.now ?? Date.now)()).toISOString();
    const ref = { apiVersion: FLEET_API_VERSION, kind: FLEET_KIND, namespace, name };
    if (!(await client.get(ref))) throw new ConfigError([{ code: 'NotFound', path: [], message: `reconcile: Fleet/${namespace}/${name} not found` }]);
    await client.mergePatch(ref, { metadata: { annotations: { [RECONCILE_AT_ANNOTATION]: at } } });
    io.stdout.write(`Fleet/${namespace}/${name}: reconcile requested (${RECONCILE_AT_ANNOTATION}=${at})\n`);
    return 0;
  } catch (e) {
    return fail(io, e);
  }
}

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], options: { namespace: { type: 'string', short: 'n' }, kubeconfig: { type: 'string' } }, strict: true, allowPositionals: true });
}
