import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defaultApplyOptions } from '../apply/apply-options.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { Logger } from '../core/log.js';
import type { FleetConfig } from '../fleet/fleet-config.js';
import { providersFromConfig, type OpenProviders } from '../reconcile/open-providers.js';

/**
 * The CLI's provider factory for drover.yaml's `providers` block: a token file is read relative
 * to the working directory, a token Secret from the management cluster (default namespace
 * drover-system). Undefined when the fleet configures no provider.
 */
export function openCliProviders(config: FleetConfig, deps: { client: KubeClient; cwd: string; log: Logger; fetch?: typeof fetch }): OpenProviders | undefined {
  return providersFromConfig(config.providers, {
    client: deps.client,
    readFile: (path) => readFile(resolve(deps.cwd, path), 'utf8'),
    fetch: deps.fetch ?? fetch,
    log: deps.log,
    defaultSecretNamespace: defaultApplyOptions().inventoryNamespace,
  });
}
