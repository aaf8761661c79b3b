// The pre-test build machinery (test/support/build/binaries.ts + common.sh) on a real, tiny Go
// program (test/support/build/fixtures/build-hello.sh) built into a temp cache: a finished build
// is found without rebuilding, a SIGKILL mid-build leaves nothing a later run takes for a binary
// and the later run recovers by itself (with flock and with the mkdir-lock fallback), concurrent
// runs wait for one build, and a failing build fails with its last lines.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, binary, binaryPathOf, preparePrerequisites, prebuiltBinary, type BinarySpec } from '../support/build/binaries.js';
import { waitUntil } from '../support/wait-until.js';

const hello = (version = '1.0.0'): BinarySpec => binary({ name: 'hello', title: 'hello', version, script: 'build/fixtures/build-hello.sh', projects: [] });

let root: string;
let n = 0;
/** A fresh cache root per test, so tests never see each other's builds. */
const freshCache = () => join(root, `cache-${++n}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'drover-test-binaries-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function leftovers(cache: string): string[] {
  const bin = join(cache, 'bin');
  return existsSync(bin) ? readdirSync(bin).filter((f) => f.startsWith('hello-')) : [];
}

/** Starts the build script in its own process group and resolves once a line matching `until` was printed. */
function startBuild(cache: string, env: Record<string, string>, until: RegExp): Promise<{ pid: number; output: () => string; exited: Promise<number | null> }> {
  const child = spawn('bash', [join(PROJECT_ROOT, 'test/support/build/fixtures/build-hello.sh'), '1.0.0'], {
    env: { ...process.env, ...env, DROVER_CACHE: cache },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const exited = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      if (until.test(out)) resolve({ pid: child.pid!, output: () => out, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`build exited ${code} before printing ${until}:\n${out}`)));
  });
}

describe('test binaries: built once, before the tests, into a cache that never holds a half build', () => {
  it('builds a binary into <cache>/bin/<name>-v<version>/ once; the next run finds it without building', async () => {
    const cache = freshCache();
    const lines: string[] = [];
    const first = (await preparePrerequisites([hello()], { cache, log: (l) => lines.push(l) })).get('hello')!;
    expect(first.cached).toBe(false);
    expect(first.path).toBe(binaryPathOf(hello(), cache));
    expect(execFileSync(first.path!, { encoding: 'utf8' })).toBe('hello v1.0.0\n');
    expect(lines).toContainEqual(expect.stringMatching(/^drover: building hello v1\.0\.0 from its Go module, first run only: step 2\/2: compiling \(\dm\d\ds elapsed\)$/));
    expect(lines.at(-1)).toMatch(/^drover: building hello v1\.0\.0 from its Go module: done in \dm\d\ds$/);
    expect(leftovers(cache)).toEqual(['hello-v1.0.0']);

    const again = (await preparePrerequisites([hello()], { cache, log: (l) => lines.push(l) })).get('hello')!;
    expect(again).toMatchObject({ cached: true, path: first.path });
    expect(prebuiltBinary('hello', [hello()], cache)).toBe(first.path);
  }, 120_000);

  it('says how to build a binary that is not built, and never builds it', () => {
    const cache = freshCache();
    expect(() => prebuiltBinary('hello', [hello()], cache)).toThrow(/^hello v1\.0\.0 is not built \(no executable .*\/bin\/hello-v1\.0\.0\/hello\); `npm test` builds it before any test starts, or run `npm run binaries`$/);
    expect(leftovers(cache)).toEqual([]);
  });

  for (const lock of ['flock', 'mkdir lock (no flock)'] as const) {
    it(`a build SIGKILLed mid-way leaves only a temp dir, and the next run removes it and builds (${lock})`, async () => {
      const cache = freshCache();
      const env: Record<string, string> = { HELLO_HOLD_SECONDS: '120', ...(lock === 'flock' ? {} : { DROVER_NO_FLOCK: '1' }) };
      const build = await startBuild(cache, env, /step 2\/2: compiling/);
      // The partial binary is in the build's temp dir when the whole process group is killed.
      const tmp = leftovers(cache);
      expect(tmp).toHaveLength(1);
      expect(tmp[0]).toMatch(/^hello-v1\.0\.0\.tmp\.\w{6}$/);
      await waitUntil(async () => (existsSync(join(cache, 'bin', tmp[0]!, 'out', 'hello')) ? true : undefined), { what: 'the partial binary', timeoutMs: 30_000 });
      process.kill(-build.pid, 'SIGKILL');
      expect(await build.exited).toBe(null);

      expect(leftovers(cache)).toEqual(tmp); // nothing at the binary's own path
      expect(() => prebuiltBinary('hello', [hello()], cache)).toThrow(/is not built/);
      if (lock !== 'flock') expect(readFileSync(join(cache, 'bin', '.hello-v1.0.0.lock.d', 'pid'), 'utf8').trim()).toBe(String(build.pid));

      // The next run (same lock kind, no hold) cleans up by itself and builds.
      const lines: string[] = [];
      const { HELLO_HOLD_SECONDS: _hold, ...rest } = env;
      const r = (await preparePrerequisites([hello()], { cache, env: rest, log: (l) => lines.push(l) })).get('hello')!;
      expect(r.cached).toBe(false);
      expect(execFileSync(r.path!, { encoding: 'utf8' })).toBe('hello v1.0.0\n');
      expect(lines).toContainEqual(`drover: removing ${join(cache, 'bin', tmp[0]!)}, left by an interrupted build`);
      if (lock !== 'flock') expect(lines).toContainEqual(`drover: removed the build lock of hello-v1.0.0 left by process ${build.pid}, which is gone`);
      expect(leftovers(cache)).toEqual(['hello-v1.0.0']);
      expect(existsSync(join(cache, 'bin', '.hello-v1.0.0.lock.d'))).toBe(false);
    }, 120_000);
  }

  it('concurrent runs wait for one build instead of racing', async () => {
    const cache = freshCache();
    const buildsLog = join(root, `builds-${n}.log`);
    const env = { HELLO_HOLD_SECONDS: '3', HELLO_BUILDS_LOG: buildsLog };
    const logs: string[][] = [[], []];
    const [a, b] = await Promise.all(logs.map((log) => preparePrerequisites([hello()], { cache, env, log: (l) => log.push(l) })));
    expect(a!.get('hello')!.path).toBe(b!.get('hello')!.path);
    expect(readFileSync(buildsLog, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(logs.flat()).toContainEqual(expect.stringMatching(/^drover: waiting for another run's build of hello-v1\.0\.0 to finish \(lock .*\)$/));
    expect(leftovers(cache)).toEqual(['hello-v1.0.0']);
  }, 120_000);

  it('a failing build fails at once with its last lines and leaves nothing in the cache', async () => {
    const cache = freshCache();
    const err = await preparePrerequisites([hello()], { cache, env: { HELLO_BROKEN: '1' }, log: () => {} }).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/^drover: hello v1\.0\.0: build\/fixtures\/build-hello\.sh failed \(exit 1\) after \dm\d\ds; its last lines:\n/);
    expect(err!.message).toContain('step 2/2: compiling');
    expect(err!.message).toMatch(/main\.go:6:\d+: syntax error/);
    expect(leftovers(cache)).toEqual([]);
  }, 120_000);
});
