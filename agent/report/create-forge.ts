import { ReportError } from '../core/errors.js';
import { ForgeKind, type Forge, type ForgeClientOptions } from './forge.js';
import { createGitHubForge } from './github.js';
import { createGitLabForge } from './gitlab.js';
import { createGiteaForge } from './gitea.js';

/** Where the fleet repository lives, as the adapters need it (no secret in here). */
export type ForgeSettings =
  | { readonly kind: typeof ForgeKind.GitHub; readonly apiUrl: string; readonly owner: string; readonly repo: string }
  | { readonly kind: typeof ForgeKind.GitLab; readonly baseUrl: string; readonly project: string }
  | { readonly kind: typeof ForgeKind.Gitea; readonly baseUrl: string; readonly owner: string; readonly repo: string };

/**
 * Derives the forge coordinates from the fleet repository's clone URL (https or scp-like ssh).
 * github.com and gitlab.com are recognized; any other host needs `kind`. A GitHub Enterprise
 * Server host gets the API root `https://<host>/api/v3`. Pure.
 */
export function forgeSettingsFromRepoUrl(repoUrl: string, kind?: ForgeKind): ForgeSettings {
  const parsed = parseRepoUrl(repoUrl);
  if (!parsed) throw new ReportError(`${redactUserinfo(repoUrl)}: not a repository URL a forge serves (https://host/owner/repo or git@host:owner/repo)`);
  const { origin, host, segments } = parsed;
  const k = kind ?? (host === 'github.com' ? ForgeKind.GitHub : host === 'gitlab.com' ? ForgeKind.GitLab : undefined);
  if (!k) throw new ReportError(`${origin}: cannot tell which forge serves this host; name it (github, gitlab or gitea)`);
  if (k === ForgeKind.GitLab) {
    if (segments.length < 2) throw new ReportError(`${redactUserinfo(repoUrl)}: a GitLab project path has a group and a name`);
    return { kind: k, baseUrl: origin, project: segments.join('/') };
  }
  if (segments.length !== 2) throw new ReportError(`${redactUserinfo(repoUrl)}: expected <owner>/<repo> after the host`);
  const [owner, repo] = segments as [string, string];
  if (k === ForgeKind.GitHub) return { kind: k, apiUrl: host === 'github.com' ? 'https://api.github.com' : `${origin}/api/v3`, owner, repo };
  return { kind: k, baseUrl: origin, owner, repo };
}

/** The adapter for the settings; the token and fetch come from the composition root. */
export function createForge(settings: ForgeSettings, client: ForgeClientOptions): Forge {
  switch (settings.kind) {
    case ForgeKind.GitHub:
      return createGitHubForge({ ...client, baseUrl: settings.apiUrl, owner: settings.owner, repo: settings.repo });
    case ForgeKind.GitLab:
      return createGitLabForge({ ...client, baseUrl: settings.baseUrl, project: settings.project });
    case ForgeKind.Gitea:
      return createGiteaForge({ ...client, baseUrl: settings.baseUrl, owner: settings.owner, repo: settings.repo });
  }
}

function parseRepoUrl(url: string): { origin: string; host: string; segments: string[] } | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(url);
  let origin: string;
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    host = scp[1]!;
    origin = `https://${host}`;
    path = scp[2]!;
  } else {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:'].includes(u.protocol)) return undefined;
    host = u.hostname;
    origin = u.protocol === 'ssh:' ? `https://${u.hostname}` : `${u.protocol}//${u.host}`;
    path = u.pathname;
  }
  const segments = path.replace(/\.git\/?$/, '').split('/').filter(Boolean);
  return segments.length ? { origin, host, segments } : undefined;
}

/** A clone URL may carry credentials (`https://user:token@host/…`); never repeat them. */
function redactUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1[redacted]@');
}
