/**
 * Which fleet repository an environment's inventory belongs to: the repository's host and path
 * (scheme, credentials, a trailing `.git` or `/` and letter case of the host dropped, so the CLI
 * and the agent name one repository alike) and the fleet file inside it. Two fleets that both
 * have an environment called `staging` would otherwise share one inventory and prune each other's
 * objects. Undefined for a local directory: it names no repository to compare. Pure.
 */
export function sourceIdentity(repository: string, configFile = 'drover.yaml'): string | undefined {
  let url: URL;
  try {
    url = new URL(repository.trim());
  } catch {
    return undefined;
  }
  if (!/^(https?|ssh|git):$/i.test(url.protocol) || !url.host) return undefined;
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, '').replace(/\.git$/, '');
  return `${url.host.toLowerCase()}${path}:${configFile.replace(/^\.?\/+/, '')}`;
}
