import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { fleetExitCode, formatFleetText } from '../page/format-fleet-text.js';
import type { FleetView } from '../page/page-model.js';
import { pagePath } from '../page/page-urls.js';
import { fail, type CliIo } from './cli-io.js';

export const FLEET_STATUS_USAGE = `Usage: drover status --fleet NAME [-n NAMESPACE] --agent-url URL [-o text|json]

What the agent's fleet page shows, from its JSON (GET <agent-url>/api/fleets/<namespace>/<name>):
each environment in promotion order with its revisions and condition, each cluster's state.
--agent-url is the agent's HTTP address [DROVER_AGENT_URL]: a port-forward
(kubectl -n drover-system port-forward svc/drover 8080) or the apiserver's service proxy
through kubectl proxy (http://127.0.0.1:8001/api/v1/namespaces/drover-system/services/drover:http/proxy).
Exit codes: 0 every environment ready, 3 something converging or waiting, 1 a failure.
`;

/** `drover status --fleet NAME`: one GET of the agent's page data, printed as text or JSON. */
export async function runFleetStatusCommand(args: readonly string[], io: CliIo, fetchFn: typeof fetch = globalThis.fetch): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(FLEET_STATUS_USAGE);
    return 0;
  }
  try {
    let values;
    try {
      values = parseArgs({ args: [...args], options: { fleet: { type: 'string' }, namespace: { type: 'string', short: 'n' }, 'agent-url': { type: 'string' }, output: { type: 'string', short: 'o' } }, strict: true }).values;
    } catch (e) {
      throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `status: ${(e as Error).message.replace(/\.$/, '')}` }]);
    }
    const agentUrl = (values['agent-url'] ?? io.env.DROVER_AGENT_URL)?.replace(/\/+$/, '');
    const output = values.output ?? 'text';
    const problems: string[] = [];
    if (!values.fleet) problems.push('--fleet NAME is required');
    if (!agentUrl || !/^https?:\/\//.test(agentUrl)) problems.push('--agent-url must be the agent\'s http(s) URL (or set DROVER_AGENT_URL)');
    if (output !== 'text' && output !== 'json') problems.push('-o must be text or json');
    if (problems.length) throw new ConfigError(problems.map((message) => ({ code: 'InvalidFlag', path: [], message: `status: ${message}` })));
    const namespace = values.namespace ?? io.env.DROVER_NAMESPACE ?? 'drover-system';
    const url = `${agentUrl}${pagePath.fleetJson(namespace, values.fleet!)}`;
    let res: Response;
    try {
      res = await fetchFn(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new ConfigError([{ code: 'Unreachable', path: [], message: `status: ${redact(url)}: the agent did not answer: ${(e as Error).message}` }]);
    }
    if (res.status === 404) throw new ConfigError([{ code: 'NotFound', path: [], message: `status: Fleet/${namespace}/${values.fleet} is not served by the agent at ${redact(agentUrl!)}` }]);
    if (!res.ok) throw new ConfigError([{ code: 'AgentError', path: [], message: `status: ${redact(url)}: HTTP ${res.status}` }]);
    const view = (await res.json()) as FleetView;
    io.stdout.write(output === 'json' ? `${JSON.stringify(view, null, 2)}\n` : formatFleetText(view));
    return fleetExitCode(view);
  } catch (e) {
    return fail(io, e);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}
