import { ReportError } from '../core/errors.js';
import { forgeSettingsFromRepoUrl, type ForgeSettings } from '../report/create-forge.js';
import { ForgeKind } from '../report/forge.js';
import type { FleetResource } from './fleet-resource.js';

/**
 * The forge coordinates of a Fleet: `spec.forge.repository` (owner/name, or a GitLab project
 * path) when set, else read from `spec.source.url`; the API root from `spec.forge.url`
 * (GitHub default https://api.github.com). Undefined without `spec.forge`. Pure.
 */
export function toForgeSettings(fleet: FleetResource): ForgeSettings | undefined {
  const forge = fleet.spec.forge;
  if (!forge) return undefined;
  const url = forge.url?.replace(/\/+$/, '');
  if (forge.repository) {
    const segments = forge.repository.split('/').filter(Boolean);
    if (forge.kind === ForgeKind.GitLab) return { kind: ForgeKind.GitLab, baseUrl: url ?? 'https://gitlab.com', project: segments.join('/') };
    if (segments.length !== 2) throw new ReportError(`Fleet/${fleet.namespace}/${fleet.name} spec.forge.repository: expected <owner>/<repo>, got ${forge.repository}`);
    const [owner, repo] = segments as [string, string];
    if (forge.kind === ForgeKind.GitHub) return { kind: ForgeKind.GitHub, apiUrl: url ?? 'https://api.github.com', owner, repo };
    if (!url) throw new ReportError(`Fleet/${fleet.namespace}/${fleet.name} spec.forge.url: gitea needs the forge url`);
    return { kind: ForgeKind.Gitea, baseUrl: url, owner, repo };
  }
  const settings = forgeSettingsFromRepoUrl(fleet.spec.url, forge.kind);
  if (!url) return settings;
  return settings.kind === ForgeKind.GitHub ? { ...settings, apiUrl: url } : { ...settings, baseUrl: url };
}
