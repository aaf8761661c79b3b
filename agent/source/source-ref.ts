/** Forges whose pull request head refs Drover knows. */
export const Forge = { GitHub: 'github', Gitea: 'gitea', GitLab: 'gitlab' } as const;
export type Forge = (typeof Forge)[keyof typeof Forge];

/** What the user asked for, and the server refs that may answer it. */
export type SourceRef =
  | { readonly kind: 'commit'; readonly sha: string; readonly display: string }
  | {
      readonly kind: 'ref';
      /** Full refs to look for on the server, first match wins. */
      readonly candidates: readonly string[];
      /** The name used in revisions and messages. */
      readonly display: string;
    };

/** `refs/pull/N/head` (GitHub, Gitea, Forgejo) or `refs/merge-requests/N/head` (GitLab). */
export function pullRequestRef(number: number, forge: Forge): string {
  if (!Number.isInteger(number) || number < 1) throw new RangeError(`pull request number must be a positive integer, got ${number}`);
  return forge === Forge.GitLab ? `refs/merge-requests/${number}/head` : `refs/pull/${number}/head`;
}

/**
 * Parses a ref as the user writes it:
 * - a full 40-hex commit SHA (abbreviated SHAs are not accepted: the server cannot resolve them);
 * - a full ref (`refs/heads/main`, `refs/tags/v1`, `refs/pull/7/head`, `refs/merge-requests/7/head`);
 * - PR shorthands `pull/7`, `pull/7/head`, `merge-requests/7`, `merge-requests/7/head`;
 * - `heads/main`, `tags/v1`;
 * - `HEAD` (the server's default branch);
 * - a plain name: a branch, else a tag of that name.
 * Undefined when it is not a valid git ref name.
 */
export function parseSourceRef(input: string): SourceRef | undefined {
  const ref = input.trim();
  if (/^[0-9a-f]{40}$/.test(ref)) return { kind: 'commit', sha: ref, display: ref };
  if (!isValidRefName(ref)) return undefined;
  if (ref === 'HEAD') return { kind: 'ref', candidates: ['HEAD'], display: 'HEAD' };
  const pr = /^(pull|merge-requests)\/([1-9][0-9]*)(\/head)?$/.exec(ref);
  if (pr) {
    const full = `refs/${pr[1]}/${pr[2]}/head`;
    return { kind: 'ref', candidates: [full], display: full };
  }
  if (ref.startsWith('refs/')) return { kind: 'ref', candidates: [ref], display: ref };
  if (ref.startsWith('heads/')) return { kind: 'ref', candidates: [`refs/${ref}`], display: ref.slice('heads/'.length) };
  if (ref.startsWith('tags/')) return { kind: 'ref', candidates: [`refs/${ref}`], display: ref.slice('tags/'.length) };
  return { kind: 'ref', candidates: [`refs/heads/${ref}`, `refs/tags/${ref}`], display: ref };
}

/** The rules of `git check-ref-format`, for the names a user can type. */
function isValidRefName(ref: string): boolean {
  if (ref === '' || ref === '@' || ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) return false;
  // Control characters, space, ~ ^ : ? * [ \ are not allowed in git ref names.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\./.test(ref)) return false;
  return !ref.split('/').some((part) => part.startsWith('.'));
}
