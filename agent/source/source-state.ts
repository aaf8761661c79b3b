import type * as nodeFs from 'node:fs';
import { join } from 'node:path';

/**
 * What a git source remembers between runs, beside the objects in its cache: the server's
 * value of each ref it fetched (to skip fetches that would bring nothing) and the last commit
 * it produced a snapshot for, per ref and overall (to serve the last good revision offline).
 */
export interface SourceState {
  readonly version: 1;
  readonly url: string;
  /** Full server ref → the OID the server advertised and the commit it peels to. */
  readonly remoteRefs: Readonly<Record<string, { readonly oid: string; readonly commit: string }>>;
  /** Display ref (`main`, `refs/pull/7/head`, a SHA) → last commit snapshotted for it. */
  readonly lastGood: Readonly<Record<string, string>>;
  /** The most recent successful snapshot. */
  readonly last: { readonly ref: string; readonly commit: string } | undefined;
}

const FILE = 'drover-source.json';

export function emptyState(url: string): SourceState {
  return { version: 1, url, remoteRefs: {}, lastGood: {}, last: undefined };
}

/** Reads the state file; a missing, unreadable or foreign one counts as empty. */
export async function readSourceState(fs: typeof nodeFs, gitdir: string, url: string): Promise<SourceState> {
  try {
    const parsed = JSON.parse(await fs.promises.readFile(join(gitdir, FILE), 'utf8')) as Partial<SourceState>;
    if (parsed.version !== 1 || parsed.url !== url) return emptyState(url);
    return { ...emptyState(url), ...parsed } as SourceState;
  } catch {
    return emptyState(url);
  }
}

/** Writes the state file atomically (temp file + rename), so a crash never leaves half of it. */
export async function writeSourceState(fs: typeof nodeFs, gitdir: string, state: SourceState): Promise<void> {
  const tmp = join(gitdir, `${FILE}.${process.pid}.tmp`);
  await fs.promises.writeFile(tmp, JSON.stringify(state, null, 2));
  await fs.promises.rename(tmp, join(gitdir, FILE));
}
