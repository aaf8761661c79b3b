// A real Gitea, built from its Go module by build-gitea.sh before the tests start (cached in
// .cache/bin/gitea-v<ver>/; see test/support/build/binaries.ts), started on loopback for one
// test file: app.ini with INSTALL_LOCK and SQLite, `gitea migrate`, an admin user and an API
// token made with Gitea's own CLI, then `gitea web`. Repositories, commits and pull requests are
// made through Gitea's API, as a user would.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { prebuiltBinary } from '../build/binaries.js';
import { findFreePorts } from '../free-ports.js';
import { spawnPlaneProcess, type PlaneProcess } from '../plane-process.js';

const run = promisify(execFile);

/**
 * The Gitea binary the pre-test step built (test/support/build/binaries.ts: `npm test` and the
 * integration project's globalSetup build it before any test file starts). Never builds.
 */
export function giteaBinary(): string {
  return prebuiltBinary('gitea');
}

export interface GiteaInstance {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly version: string;
  readonly user: string;
  /** An access token of the admin user (scopes: all). */
  readonly token: string;
  /** Calls the API as the admin user; throws on a non-2xx answer. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Creates a repository with one commit on `main`; resolves with that commit's SHA. */
  createRepo(name: string): Promise<{ sha: string }>;
  /** Adds a file on a new branch and opens a pull request from it; resolves with its number and head SHA. */
  openPullRequest(repo: string, branch: string): Promise<{ number: number; headSha: string }>;
  stop(): Promise<void>;
}

export async function startGitea(binary: string): Promise<GiteaInstance> {
  const work = await mkdtemp(join(tmpdir(), 'drover-gitea-'));
  const [port] = await findFreePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const ini = join(work, 'app.ini');
  const staticRoot = dirname(binary); // build-gitea.sh puts templates/, options/, public/ beside the binary
  await writeFile(
    ini,
    [
      ...(process.getuid?.() === 0 ? ['I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true'] : []),
      'APP_NAME = drover-test',
      'RUN_MODE = prod',
      `WORK_PATH = ${work}`,
      '[server]',
      'PROTOCOL = http',
      'HTTP_ADDR = 127.0.0.1',
      `HTTP_PORT = ${port}`,
      `ROOT_URL = ${url}/`,
      `STATIC_ROOT_PATH = ${staticRoot}`,
      'DISABLE_SSH = true',
      'OFFLINE_MODE = true',
      'LFS_START_SERVER = false',
      '[database]',
      'DB_TYPE = sqlite3',
      `PATH = ${join(work, 'gitea.db')}`,
      '[repository]',
      `ROOT = ${join(work, 'repos')}`,
      '[security]',
      'INSTALL_LOCK = true',
      '[service]',
      'DISABLE_REGISTRATION = true',
      '[webhook]',
      // Tests receive webhooks on 127.0.0.1 (Gitea's default allows external hosts only).
      'ALLOWED_HOST_LIST = loopback',
      'DELIVER_TIMEOUT = 30',
      '[log]',
      'MODE = console',
      'LEVEL = warn',
      '',
    ].join('\n'),
  );
  const cli = async (...args: string[]): Promise<string> => (await run(binary, [...args, '--config', ini], { cwd: work, env: { ...process.env, GITEA_WORK_DIR: work } })).stdout;
  let web: PlaneProcess | undefined;
  try {
    await cli('migrate');
    await cli('admin', 'user', 'create', '--username', 'drover', '--password', 'drover-test-password-1', '--email', 'drover@example.test', '--admin', '--must-change-password=false');
    // Gitea logs to stdout too; the token is the last line, 40 hex digits.
    const out = await cli('admin', 'user', 'generate-access-token', '--username', 'drover', '--token-name', 'drover-test', '--scopes', 'all', '--raw');
    const token = out.trim().split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{40}$/.test(l)).pop();
    if (!token) throw new Error('gitea admin user generate-access-token printed no token');
    web = spawnPlaneProcess('gitea', binary, ['web', '--config', ini], { logPath: join(work, 'web.log') });
    const version = await waitForVersion(url, web);
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { authorization: `token ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`gitea ${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const w = web;
    return {
      url,
      version,
      user: 'drover',
      token,
      api,
      async createRepo(name) {
        await api('POST', '/user/repos', { name, auto_init: true, default_branch: 'main', readme: 'Default' });
        const branch = await api<{ commit: { id: string } }>('GET', `/repos/drover/${name}/branches/main`);
        return { sha: branch.commit.id };
      },
      async openPullRequest(repo, branch) {
        const content = Buffer.from(`apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: ${branch}}\n`).toString('base64');
        const file = await api<{ commit: { sha: string } }>('POST', `/repos/drover/${repo}/contents/clusters/${branch}.yaml`, { content, message: `add ${branch}`, branch: 'main', new_branch: branch });
        const pr = await api<{ number: number; head: { sha: string } }>('POST', `/repos/drover/${repo}/pulls`, { head: branch, base: 'main', title: `Add ${branch}` });
        return { number: pr.number, headSha: pr.head.sha ?? file.commit.sha };
      },
      async stop() {
        await w.stop();
        await rm(work, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await web?.stop();
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function waitForVersion(url: string, web: PlaneProcess): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (web.hasExited()) throw new Error(`gitea web exited before answering; see ${web.logPath}`);
    try {
      const res = await fetch(`${url}/api/v1/version`);
      if (res.ok) return ((await res.json()) as { version: string }).version;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`gitea at ${url} did not answer within 60 s; see ${web.logPath}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
