import type * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
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
  const tmp = join(gitdir, `${FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.promises.writeFile(tmp, JSON.stringify(state, null, 2));
  await fs.promises.rename(tmp, join(gitdir, FILE));
}

/**
 * Reads, changes and writes the state file under an exclusive lock (`drover-source.json.lock`,
 * created with O_EXCL), so concurrent renders sharing one cache (several processes, or several
 * sources in one) each add their refs and none is lost. A lock older than `staleMs` was left by
 * a crashed process and is taken over. Returns the state written.
 */
export async function updateSourceState(
  fs: typeof nodeFs,
  gitdir: string,
  url: string,
  change: (state: SourceState) => SourceState,
  options: { waitMs?: number; staleMs?: number } = {},
): Promise<SourceState> {
  const lock = join(gitdir, `${FILE}.lock`);
  const waitMs = options.waitMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await (await fs.promises.open(lock, 'wx')).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await fs.promises.stat(lock).then((st) => Date.now() - st.mtimeMs, () => 0);
      if (age > staleMs) await fs.promises.rm(lock, { force: true });
      else if (Date.now() - started > waitMs) throw new Error(`${lock} is held by another process for more than ${waitMs} ms`);
      else await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** Math.min(attempt, 6)) + Math.random() * 5));
    }
  }
  try {
    const next = change(await readSourceState(fs, gitdir, url));
    await writeSourceState(fs, gitdir, next);
    return next;
  } finally {
    await fs.promises.rm(lock, { force: true });
  }
}
