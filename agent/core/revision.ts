/** `<ref>@sha1:<hash>`: how every message and status names a fleet revision. */
export function formatRevision(ref: string, sha: string): string {
  return `${ref}@sha1:${sha}`;
}

/** Splits a formatted revision back into ref and sha; undefined when it is not one. */
export function parseRevision(revision: string): { ref: string; sha: string } | undefined {
  const m = /^(.*)@sha1:([0-9a-f]{40})$/.exec(revision);
  return m ? { ref: m[1]!, sha: m[2]! } : undefined;
}
