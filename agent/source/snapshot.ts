import type { FileTree } from '../core/file-tree.js';

/**
 * One revision of a fleet repository, immutable: what every later stage reads.
 * - git: `revision` is `<ref>@sha1:<commit>` (`main@sha1:…`, `v1.2@sha1:…`,
 *   `refs/pull/7/head@sha1:…`; for an exact commit the ref is the commit itself), `sha` the
 *   commit, `tree` the commit's tree read from git objects (hashOf gives tree/blob OIDs).
 * - local directory: `revision` is `local@sha1:<hash>`, where the hash is the git tree OID the
 *   directory's content would have (so equal content gives an equal revision), and `sha` that hash.
 */
export interface FleetSnapshot {
  readonly revision: string;
  /** The commit SHA (git) or the directory's content hash (local). */
  readonly sha: string;
  /** The ref as the user named it, shorthand expanded: `main`, `v1.2`, `refs/pull/7/head`, a SHA, `local`. */
  readonly ref: string;
  readonly tree: FileTree;
}
