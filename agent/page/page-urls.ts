import { forgeSettingsFromRepoUrl, type ForgeSettings } from '../report/create-forge.js';
import { toId } from './html.js';

const seg = (s: string) => encodeURIComponent(s);

/** Paths of the page's views. Pure. */
export const pagePath = {
  fleet: (ns: string, name: string) => `/fleets/${seg(ns)}/${seg(name)}`,
  environment: (ns: string, name: string, env: string) => `${pagePath.fleet(ns, name)}/environments/${seg(env)}`,
  cluster: (ns: string, name: string, env: string, clusterNs: string, cluster: string) => `${pagePath.environment(ns, name, env)}/clusters/${seg(clusterNs)}/${seg(cluster)}`,
  /** JSON of one Fleet: the same data the fleet view shows. */
  fleetJson: (ns: string, name: string) => `/api/fleets/${seg(ns)}/${seg(name)}`,
};

/** The id of a cluster's cell in the grid (the target of `drover/<env>/<cluster>` status links), unique on a page of several Fleets. */
export function cellId(ns: string, name: string, env: string, cluster: string): string {
  return `cell-${toId(ns, name, env, cluster)}`;
}

/**
 * Where a commit status of a Fleet links to on the page (`--public-url`): `drover/<env>/<cluster>`
 * to the cluster's cell, `drover/<env>` to the environment, `drover/plan/<env>` to its plans.
 * Undefined for contexts that are not Drover's. Pure.
 */
export function statusTargetUrl(publicUrl: string, ns: string, name: string, context: string): string | undefined {
  const base = publicUrl.replace(/\/+$/, '');
  const parts = context.split('/');
  if (parts[0] !== 'drover' || parts.length < 2) return undefined;
  if (parts[1] === 'plan' && parts.length === 3) return `${base}${pagePath.environment(ns, name, parts[2]!)}#plans`;
  if (parts.length === 2) return `${base}${pagePath.environment(ns, name, parts[1]!)}`;
  if (parts.length === 3) return `${base}${pagePath.fleet(ns, name)}#${cellId(ns, name, parts[1]!, parts[2]!)}`;
  return undefined;
}

/** `<web URL of the repository>/commit/` (GitLab: `/-/commit/`) for the Fleet's forge, or from a github.com / gitlab.com repository URL. Pure. */
export function commitUrlPrefix(forge: ForgeSettings | undefined, repository: string): string | undefined {
  let settings = forge;
  if (!settings) {
    try {
      settings = forgeSettingsFromRepoUrl(repository);
    } catch {
      return undefined;
    }
  }
  switch (settings.kind) {
    case 'github': {
      const web = settings.apiUrl === 'https://api.github.com' ? 'https://github.com' : settings.apiUrl.replace(/\/api\/v3\/?$/, '');
      return `${web}/${seg(settings.owner)}/${seg(settings.repo)}/commit/`;
    }
    case 'gitlab':
      return `${settings.baseUrl}/${settings.project.split('/').map(seg).join('/')}/-/commit/`;
    case 'gitea':
      return `${settings.baseUrl}/${seg(settings.owner)}/${seg(settings.repo)}/commit/`;
  }
}
