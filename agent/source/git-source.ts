import type * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { addRemote, fetch as gitFetch, init, listServerRefs, readObject, writeRef, type AuthCallback, type HttpClient, type ServerRef } from 'isomorphic-git';
import { fileTreeFromNodes, type DirNode } from './object-tree.js';
import { formatRevision } from '../core/revision.js';
import { silentLogger, type Logger } from '../core/log.js';
import type { FileTree } from '../core/file-tree.js';
import { createTreeLoader } from './git-tree-loader.js';
import { defaultGitTimeouts, withGitTimeouts, type GitTimeouts } from './git-http-timeouts.js';
import { parseRepoUrl } from './repo-url.js';
import { redactUrlCredentials } from '../core/redact-url.js';
import { SourceFailure, sourceError, toSourceError } from './source-error.js';
import { parseSourceRef } from './source-ref.js';
import { readSourceState, updateSourceState, type SourceState } from './source-state.js';
import type { FleetSnapshot } from './snapshot.js';

export interface GitSourceOptions {
  /** http(s) URL of the fleet repository. Userinfo in it counts as credentials and is dropped from the URL. */
  readonly url: string;
  /** Base cache directory; this repository's bare git directory is `<cacheDir>/git/<host-path-hash>`. */
  readonly cacheDir: string;
  /**
   * Credentials, sent as HTTP basic auth when the server asks (401). `token` alone goes as
   * `x-access-token:<token>` (GitHub, Gitea/Forgejo); GitLab needs `username: 'oauth2'` for OAuth
   * tokens. The composition root reads them from a file or an environment variable.
   */
  readonly auth?: { readonly username?: string | undefined; readonly token?: string | undefined } | undefined;
  /** node:fs (isomorphic-git's file system client; the cache lives on it). */
  readonly fs: typeof nodeFs;
  /** isomorphic-git's HTTP client (`isomorphic-git/http/node`). */
  readonly http: HttpClient;
  /** Fetch only the last `depth` commits of a ref (shallow). Exact commits below that depth cannot be found. */
  readonly depth?: number | undefined;
  /** Fetch only the requested ref (default true); false fetches every branch with it. */
  readonly singleBranch?: boolean | undefined;
  /** Connect, idle (server silence) and total limits per HTTP request; see defaultGitTimeouts(). */
  readonly timeouts?: Partial<GitTimeouts> | undefined;
  /** Shorthand for `timeouts.totalMs`. */
  readonly timeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
}

/** A fleet repository reached over smart HTTP(S), cached on disk between fetches and runs. */
export interface GitSource {
  /** The repository URL without credentials, as messages name it. */
  readonly repo: string;
  /** The bare git directory of the cache. */
  readonly gitdir: string;
  /**
   * The snapshot of `ref` (branch, tag, full commit SHA, `refs/pull/N/head`,
   * `refs/merge-requests/N/head`, `pull/N`, `merge-requests/N`, `HEAD`). Asks the server for the
   * ref's value first (one GET, no pack) and fetches only when it moved and the commit is not
   * cached. An exact commit already cached needs no network at all. Throws a SourceError naming
   * `repo@ref`: unreachable, auth refused, repository or ref not found.
   */
  fetchRevision(ref: string): Promise<FleetSnapshot>;
  /**
   * The last snapshot fetched successfully — for `ref`, or for any ref when omitted — served
   * from the cache without network, also by a new source object after a restart.
   */
  lastGood(ref?: string): Promise<FleetSnapshot | undefined>;
  /** Git objects read into memory since the source was made, and tree nodes held now. */
  stats(): { readonly objectsRead: number; readonly cachedNodes: number };
}

/** How many refs keep their last snapshot in memory (PR heads come and go). */
const MEMORY_REFS = 8;

export function createGitSource(options: GitSourceOptions): GitSource {
  const parsedUrl = parseRepoUrl(options.url.trim());
  if (!parsedUrl) {
    throw sourceError(redactUrlCredentials(options.url.trim(), ''), SourceFailure.InvalidUrl, 'only http(s) URLs are supported');
  }
  const repo = parsedUrl.url;
  const { fs } = options;
  const gitdir = join(options.cacheDir, 'git', parsedUrl.cacheName);
  const credentials = options.auth?.token !== undefined || options.auth?.username !== undefined
    ? { username: options.auth.username ?? 'x-access-token', password: options.auth.token ?? '' }
    : parsedUrl.credentials;
  const secrets = credentials ? [credentials.password, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')] : [];
  const onAuth: AuthCallback | undefined = credentials ? () => ({ ...credentials }) : undefined;
  const http = withGitTimeouts(options.http, { ...defaultGitTimeouts(), ...(options.timeoutMs !== undefined ? { totalMs: options.timeoutMs } : {}), ...options.timeouts });
  const log = (options.logger ?? silentLogger).child({ repo });
  const singleBranch = options.singleBranch ?? true;
  const depth = options.depth;
  const loader = createTreeLoader({ fs, gitdir });
  /** Last snapshot per display ref (with its root node), most recent last. */
  const memory = new Map<string, { snapshot: FleetSnapshot; root: DirNode }>();
  const trees = new WeakMap<DirNode, FileTree>();
  let initialized = false;
  let chain: Promise<unknown> = Promise.resolve();

  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const ensureInit = async (): Promise<void> => {
    if (initialized) return;
    await fs.promises.mkdir(gitdir, { recursive: true });
    await init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    // isomorphic-git files fetched branches under the remote's refspec.
    await addRemote({ fs, gitdir, remote: 'origin', url: repo, force: true });
    initialized = true;
  };

  const hasCommit = async (oid: string): Promise<boolean> => {
    try {
      const { type } = await readObject({ fs, gitdir, oid, format: 'parsed' });
      return type === 'commit' || type === 'tag';
    } catch {
      return false;
    }
  };

  const serverRefs = (): Promise<ServerRef[]> => listServerRefs({ http, url: repo, onAuth, protocolVersion: 1, symrefs: true, peelTags: true });

  /** The snapshot of a cached commit; remembers it as the ref's last good one and drops unreachable nodes. */
  const snapshotOf = async (commit: string, display: string): Promise<FleetSnapshot> => {
    const known = memory.get(display);
    if (known?.snapshot.sha === commit) return known.snapshot;
    const { commit: peeled, root } = await loader.loadCommit(commit);
    let tree = trees.get(root);
    if (!tree) {
      tree = fileTreeFromNodes(root);
      trees.set(root, tree);
    }
    const snapshot: FleetSnapshot = Object.freeze({ revision: formatRevision(display, peeled), sha: peeled, ref: display, tree });
    memory.delete(display);
    memory.set(display, { snapshot, root });
    while (memory.size > MEMORY_REFS) memory.delete(memory.keys().next().value!);
    loader.retain([...memory.values()].map((m) => m.root));
    return snapshot;
  };

  /** Fetches an exact commit: via a ref that points at it, else every branch and tag, else by id. */
  const fetchCommit = async (sha: string): Promise<void> => {
    const refs = await serverRefs();
    const tip = refs.find((r) => r.ref !== 'HEAD' && (r.oid === sha || r.peeled === sha));
    if (tip) {
      await gitFetch({ fs, http, gitdir, url: repo, onAuth, ref: tip.ref, singleBranch: true, depth, tags: false });
      return;
    }
    await gitFetch({ fs, http, gitdir, url: repo, onAuth, ref: sha, singleBranch: false, tags: true });
    if (await hasCommit(sha)) return;
    // Servers with uploadpack.allowAnySHA1InWant (GitHub, GitLab) hand out unadvertised commits.
    await gitFetch({ fs, http, gitdir, url: repo, onAuth, ref: sha, singleBranch: true, tags: false });
  };

  /** The commit a ref names now, with the server ref value to remember (merged into the state file under its lock). */
  const resolveCommit = async (input: string): Promise<{ commit: string; display: string; remoteRef?: { ref: string; oid: string; commit: string } }> => {
    const parsed = parseSourceRef(input);
    const where = `${repo}@${parsed?.display ?? input.trim()}`;
    if (!parsed) throw sourceError(where, SourceFailure.InvalidRef, 'expected a branch, tag, full commit SHA or pull request ref');
    let state: SourceState;
    try {
      await ensureInit();
      state = await readSourceState(fs, gitdir, repo);
    } catch (e) {
      throw sourceError(where, SourceFailure.Failed, `cannot use cache directory ${gitdir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, e);
    }
    try {
      if (parsed.kind === 'commit') {
        if (!(await hasCommit(parsed.sha))) {
          const started = Date.now();
          await fetchCommit(parsed.sha);
          if (!(await hasCommit(parsed.sha))) throw sourceError(where, SourceFailure.RefMissing, 'the server has no such commit');
          log.info({ ref: parsed.display, commit: parsed.sha, ms: Date.now() - started }, 'fetched commit');
        }
        return { commit: parsed.sha, display: parsed.display };
      }
      const refs = await serverRefs();
      const match = findServerRef(refs, parsed.candidates);
      if (!match) throw sourceError(where, SourceFailure.RefMissing, `the server has no ${parsed.candidates.join(' or ')}`);
      const commit = match.peeled ?? match.oid;
      const cached = state.remoteRefs[match.ref];
      if (!(cached?.oid === match.oid && (await hasCommit(cached.commit))) && !(await hasCommit(commit))) {
        const started = Date.now();
        await gitFetch({ fs, http, gitdir, url: repo, onAuth, ref: match.ref, singleBranch, depth, tags: false });
        if (!(await hasCommit(commit))) throw sourceError(where, SourceFailure.Failed, `fetched ${match.ref} but commit ${commit} is not in the pack`);
        log.info({ ref: parsed.display, commit, ms: Date.now() - started }, 'fetched revision');
      } else {
        log.debug({ ref: parsed.display, commit }, 'ref unchanged, nothing fetched');
      }
      // Our own copy of the ref gives the next fetch of it a "have" line, so it brings a delta.
      await writeRef({ fs, gitdir, ref: match.ref, value: commit, force: true });
      return { commit, display: parsed.display, remoteRef: { ref: match.ref, oid: match.oid, commit } };
    } catch (e) {
      throw toSourceError(http.takeFault() ?? e, where, secrets);
    }
  };

  const snapshotAndRemember = async (commit: string, display: string, remoteRef: { ref: string; oid: string; commit: string } | undefined): Promise<FleetSnapshot> => {
    let snapshot: FleetSnapshot;
    try {
      snapshot = await snapshotOf(commit, display);
    } catch (e) {
      throw toSourceError(http.takeFault() ?? e, `${repo}@${display}`, secrets);
    }
    // Merged under the state file's lock: other sources sharing this cache keep their refs.
    try {
      await updateSourceState(fs, gitdir, repo, (state) => ({
        ...state,
        remoteRefs: remoteRef ? { ...state.remoteRefs, [remoteRef.ref]: { oid: remoteRef.oid, commit: remoteRef.commit } } : state.remoteRefs,
        lastGood: { ...state.lastGood, [display]: snapshot.sha },
        last: { ref: display, commit: snapshot.sha },
      }));
    } catch (e) {
      throw sourceError(`${repo}@${display}`, SourceFailure.Failed, `cannot update the cache state in ${gitdir}: ${(e as Error).message}`, e);
    }
    return snapshot;
  };

  return {
    repo,
    gitdir,
    fetchRevision: (ref) =>
      serialize(async () => {
        http.takeFault(); // a fault of an earlier fetch is not this one's
        const { commit, display, remoteRef } = await resolveCommit(ref);
        return snapshotAndRemember(commit, display, remoteRef);
      }),
    stats: () => ({ objectsRead: loader.objectsRead, cachedNodes: loader.cached }),
    lastGood: (ref) =>
      serialize(async () => {
        const display = ref === undefined ? undefined : (parseSourceRef(ref)?.display ?? ref);
        if (display !== undefined && memory.has(display)) return memory.get(display)!.snapshot;
        if (display === undefined && memory.size) return [...memory.values()].pop()!.snapshot;
        try {
          await ensureInit();
        } catch (e) {
          throw sourceError(`${repo}@${display ?? 'last'}`, SourceFailure.Failed, `cannot use cache directory ${gitdir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, e);
        }
        const state = await readSourceState(fs, gitdir, repo);
        const name = display ?? state.last?.ref;
        const commit = display !== undefined ? state.lastGood[display] : state.last?.commit;
        if (name === undefined || commit === undefined || !(await hasCommit(commit))) return undefined;
        try {
          return await snapshotOf(commit, name);
        } catch (e) {
          throw toSourceError(http.takeFault() ?? e, `${repo}@${name}`, secrets);
        }
      }),
  };
}

/** The first candidate the server has; `HEAD` resolves to the branch it points at. */
function findServerRef(refs: readonly ServerRef[], candidates: readonly string[]): ServerRef | undefined {
  const byName = new Map(refs.map((r) => [r.ref, r]));
  for (const c of candidates) {
    const r = byName.get(c);
    if (!r) continue;
    if (c === 'HEAD' && r.target && byName.has(r.target)) return byName.get(r.target);
    return r;
  }
  return undefined;
}
