/** Limits of a build. Defaults match kustomize's behaviour except where a safety limit is noted. */
export interface BuildOptions {
  /**
   * Bound on YAML alias expansion (the `yaml` package's maxAliasCount; -1 disables). kustomize
   * has its own, different "excessive aliasing" check; this one is Drover's.
   */
  readonly maxAliasCount: number;
  /** YAML documents larger than this many bytes are rejected (Drover safety limit; kustomize has none). */
  readonly maxDocumentBytes: number;
  /** Deepest chain of bases and components (a guard against pathological trees). */
  readonly maxDepth: number;
}

export function defaultBuildOptions(): BuildOptions {
  return { maxAliasCount: 100, maxDocumentBytes: 1.5 * 1024 * 1024, maxDepth: 64 };
}
