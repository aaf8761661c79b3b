import type { KubeClient } from '../kube/kube-client.js';
import { ProviderError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { ProvidersConfig, TokenSource } from '../fleet/fleet-config.js';
import { MetalClient } from '../providers/metal/metal-client.js';
import { createMetalProvider } from '../providers/metal/metal-provider.js';
import type { InfrastructureProvider } from '../providers/provider.js';
import { ProviderSet } from '../providers/provider-set.js';

/** Opens the providers of one environment for one reconcile (their answers are cached in it). */
export type OpenProviders = (environment: string) => Promise<ProviderSet>;

export interface OpenProvidersDeps {
  /** Reads a Secret for `token.secret`. */
  readonly client: KubeClient;
  /** Reads `token.file` (the composition root passes node:fs). */
  readonly readFile: (path: string) => Promise<string>;
  readonly fetch: typeof fetch;
  readonly log: Logger;
  /** Namespace of a token Secret that names none. */
  readonly defaultSecretNamespace: string;
}

/**
 * The provider factory for drover.yaml's `providers` block: no block, no providers (and no
 * calls). The token is read on each open (a rotated Secret or file is picked up) and never logged.
 */
export function providersFromConfig(config: ProvidersConfig | undefined, deps: OpenProvidersDeps): OpenProviders | undefined {
  if (!config?.equinixMetal) return undefined;
  return async (environment) => {
    const providers: InfrastructureProvider[] = [];
    const metal = config.equinixMetal;
    if (metal) {
      const token = await readToken(metal.token, deps, 'equinix-metal');
      const client = new MetalClient({ baseUrl: metal.apiURL, token, fetch: deps.fetch, log: deps.log.child({ provider: 'equinix-metal' }) });
      providers.push(createMetalProvider({ client, projectId: metal.projects[environment] }));
    }
    return new ProviderSet(providers);
  };
}

async function readToken(source: TokenSource, deps: OpenProvidersDeps, provider: string): Promise<string> {
  if (source.file !== undefined) {
    try {
      return (await deps.readFile(source.file)).trim();
    } catch (e) {
      throw new ProviderError(`${provider}: cannot read the token file ${source.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
    }
  }
  const { name, key } = source.secret;
  const namespace = source.secret.namespace ?? deps.defaultSecretNamespace;
  const where = `Secret/${namespace}/${name} key ${key}`;
  let secret;
  try {
    secret = await deps.client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  } catch (e) {
    throw new ProviderError(`${provider}: cannot read the token from ${where}: ${(e as Error).message}`, { cause: e });
  }
  const data = (secret?.data as Record<string, string> | undefined)?.[key];
  if (!secret || data === undefined) throw new ProviderError(`${provider}: no token at ${where}`);
  return Buffer.from(data, 'base64').toString('utf8').trim();
}
