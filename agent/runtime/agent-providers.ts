import type { Logger } from '../core/log.js';
import type { FleetConfig } from '../fleet/fleet-config.js';
import type { KubeClient } from '../kube/kube-client.js';
import { providersFromConfig, type OpenProviders } from '../reconcile/open-providers.js';

/**
 * The agent's factory for drover.yaml's `providers` block. Unlike the CLI, the agent never reads a
 * file a repository names (its filesystem holds its own credentials): a provider token comes from
 * a Secret only (RBAC lets the agent read Secrets in its own namespace). Undefined when the fleet
 * configures no provider, so no provider is called.
 */
export function openAgentProviders(config: FleetConfig, deps: { client: KubeClient; log: Logger; secretNamespace: string; fetch?: typeof fetch }): OpenProviders | undefined {
  return providersFromConfig(config.providers, {
    client: deps.client,
    readFile: () => Promise.reject(new Error('the agent reads provider tokens from a Secret (token.secret), never from a file named by the repository')),
    fetch: deps.fetch ?? globalThis.fetch,
    log: deps.log,
    defaultSecretNamespace: deps.secretNamespace,
  });
}
