/** Limits of a build. Defaults match kustomize's behaviour except where a safety limit is noted. */
import { LoadRestrictor } from './tree-loader.js';

export { LoadRestrictor } from './tree-loader.js';

const MiB = 1024 * 1024;

export interface BuildOptions {
  /**
   * Bound on YAML alias expansion (the `yaml` package's maxAliasCount; -1 disables). kustomize
   * has its own, different "excessive aliasing" check; this one is Drover's.
   */
  readonly maxAliasCount: number;
  /**
   * YAML documents larger than this many bytes are rejected (Drover safety limit; kustomize has
   * none). Large enough for real CRDs (the biggest are 2–3 MiB).
   */
  readonly maxDocumentBytes: number;
  /** Bytes of files one build may read in total (Drover safety limit; kustomize has none). */
  readonly maxTotalBytes: number;
  /** Deepest chain of bases and components (a guard against pathological trees). */
  readonly maxDepth: number;
  /**
   * kustomize's --load-restrictor: LoadRestrictionsRootOnly (default) keeps the files a
   * kustomization loads within its directory; LoadRestrictionsNone lets them be anywhere within
   * the tree (the repository, or the filesystem for a filesystem tree).
   */
  readonly loadRestrictor: LoadRestrictor;
  /**
   * The tree is the local filesystem rooted at "/" (`drover build` outside a git work tree, as
   * kustomize): bases may be anywhere. False: the tree is a repository and bounds the build.
   */
  readonly filesystem: boolean;
}

export function defaultBuildOptions(): BuildOptions {
  return {
    maxAliasCount: 100,
    maxDocumentBytes: 16 * MiB,
    maxTotalBytes: 512 * MiB,
    maxDepth: 64,
    loadRestrictor: LoadRestrictor.RootOnly,
    filesystem: false,
  };
}
