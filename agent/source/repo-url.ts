import { createHash } from 'node:crypto';

export interface RepoUrl {
  /** The URL git talks to, without userinfo, query or fragment. */
  readonly url: string;
  /** Credentials that were embedded in the URL (`https://user:token@host/…`), if any. */
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
  /** A directory name for this repository's cache: readable and unique per URL. */
  readonly cacheName: string;
}

/**
 * Splits a repository URL into the URL Drover uses and prints (never with credentials) and
 * the credentials it carried. Only http(s) URLs: isomorphic-git speaks smart HTTP only.
 * Undefined when the URL is not an http(s) URL.
 */
export function parseRepoUrl(raw: string): RepoUrl | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const credentials = u.username || u.password ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  const url = u.toString().replace(/\/+$/, '');
  const slug = `${u.host}${u.pathname}`.replace(/\.git\/?$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 8);
  return { url, credentials, cacheName: `${slug}-${hash}` };
}

/**
 * True when `--repo` names a remote repository rather than a local directory: any
 * `scheme://` (whatever its case, after leading spaces) or scp-like `user@host:path`. A remote
 * that is not http(s) is then refused by the git source with its credentials redacted, instead
 * of being read as a local path whose error would print them.
 */
export function isRemoteRepo(raw: string): boolean {
  const s = raw.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[^/@\s]+@[^/:\s]+:/.test(s);
}
