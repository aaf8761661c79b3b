// The one registry of what the tests need built or downloaded before any test file starts: the
// Go-built binaries (etcd, kube-apiserver, Gitea, …) and the CRD module downloads. `npm test`
// prepares all of them first (test/support/build/prebuild.ts, `npm run binaries`), outside vitest,
// so no build ever runs inside a test hook or under a test timeout; a project's globalSetup
// prepares its own entries too, which is instant when they are cached and makes
// `npx vitest run --project integration some.int.test.ts` work alone.
//
// Adding a binary is one entry: `binary({ name, title, version, script, projects })`, where the
// script (relative to test/support) sources build/common.sh, takes the version as $1, builds with
// begin_build/step/finish_build into `<cache>/bin/<name>-v<version>/<binary>` and prints that path.
// Tests get the path with `prebuiltBinary(name)`, which never builds.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUPPORT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PROJECT_ROOT = resolve(SUPPORT_DIR, '..', '..');

/** The vitest projects (vitest.config.ts). */
export type TestProjectName = 'unit' | 'oracle' | 'integration' | 'e2e-capi' | 'browser';

interface PrerequisiteBase {
  /** Registry key. */
  readonly name: string;
  /** How progress lines name it, e.g. "Gitea". */
  readonly title: string;
  /** Shown in progress lines; for a binary also its cache key. */
  readonly version: string;
  /** Path of the bash script relative to test/support. */
  readonly script: string;
  readonly args: readonly string[];
  /** Projects whose globalSetup prepares it when run alone (`npm test` prepares every entry). */
  readonly projects: readonly TestProjectName[];
}

/** A binary built by a script into `<cache>/bin/<name>-v<version>/<binary>`. */
export interface BinarySpec extends PrerequisiteBase {
  readonly kind: 'binary';
  /** File name of the executable in its cache directory. */
  readonly binary: string;
}

/** A script whose stdout lines are its result (e.g. directories in the Go module cache). */
export interface ScriptSpec extends PrerequisiteBase {
  readonly kind: 'script';
}

export type Prerequisite = BinarySpec | ScriptSpec;

export function binary(spec: { name: string; title: string; version: string; script: string; projects: readonly TestProjectName[]; binary?: string }): BinarySpec {
  const version = spec.version.replace(/^v/, '');
  return { kind: 'binary', binary: spec.binary ?? spec.name, args: [version], ...spec, version };
}

export function script(spec: { name: string; title: string; version: string; script: string; args?: readonly string[]; projects: readonly TestProjectName[] }): ScriptSpec {
  return { kind: 'script', args: [], ...spec };
}

const env = process.env;
const pick = (name: string, fallback: string): string => (env[name] ?? fallback).replace(/^v/, '');

export const KUBE_VERSION = pick('KUBE_VERSION', '1.36.3');
export const ETCD_VERSION = pick('ETCD_VERSION', '3.6.16');
export const CAPI_VERSION = pick('CAPI_VERSION', '1.14.2');
export const CAPP_VERSION = pick('CAPP_VERSION', '0.9.0');
export const GITEA_VERSION = pick('GITEA_VERSION', '1.26.0');

export function etcdSpec(version = ETCD_VERSION): BinarySpec {
  return binary({ name: 'etcd', title: 'etcd', version, script: 'build/build-etcd.sh', projects: ['integration', 'e2e-capi', 'browser'] });
}
export function kubeApiserverSpec(version = KUBE_VERSION): BinarySpec {
  return binary({ name: 'kube-apiserver', title: 'kube-apiserver', version, script: 'build/build-kube-apiserver.sh', projects: ['integration', 'e2e-capi', 'browser'] });
}
export function crdsSpec(capi = CAPI_VERSION, capp = CAPP_VERSION): ScriptSpec {
  return script({ name: 'crds', title: 'Cluster API and Packet provider CRDs', version: `cluster-api v${capi}, packet v${capp}`, script: 'build/download-crds.sh', args: [capi, capp], projects: ['integration', 'e2e-capi', 'browser'] });
}

export const METAL_SDK_VERSION = pick('METAL_SDK_VERSION', '0.66.0');

/** The Equinix Metal OpenAPI description (equinix-sdk-go spec/services/metalv1) the local Metal server is held to. */
export function metalSpecSpec(version = METAL_SDK_VERSION): ScriptSpec {
  return script({ name: 'metal-spec', title: 'Equinix Metal OpenAPI description', version: `equinix-sdk-go v${version}`, script: 'build/download-metal-spec.sh', args: [version], projects: ['integration'] });
}

/** Everything `npm test` prepares before vitest starts, in this order (one at a time: 2 cores). */
export const PREREQUISITES: readonly Prerequisite[] = [
  script({ name: 'tools', title: 'system tools (git, openssl, gcc, flock)', version: 'Debian', script: 'build/ensure-tools.sh', projects: ['integration', 'e2e-capi', 'browser'] }),
  etcdSpec(),
  kubeApiserverSpec(),
  crdsSpec(),
  binary({ name: 'gitea', title: 'Gitea', version: GITEA_VERSION, script: 'forge/build-gitea.sh', projects: ['integration', 'e2e-capi', 'browser'] }),
  metalSpecSpec(),
  script({ name: 'chromium', title: 'Chromium (Debian package) for the browser tests', version: 'Debian', script: 'build/ensure-chromium.sh', projects: ['browser'] }),
  ...capiControllerSpecs(),
];

/**
 * The real Cluster API controllers of the e2e-capi project (test/support/capi-controllers.ts) and
 * `npm run cluster -- up --capi`: the four managers, kube-controller-manager (garbage collector and
 * namespace controllers) and the managers' config directories (CRD kustomizations, webhooks).
 */
export function capiControllerSpecs(capi = CAPI_VERSION, kube = KUBE_VERSION): Prerequisite[] {
  const manager = (name: string, title: string) => binary({ name, title, version: capi, script: `build/build-${name}.sh`, projects: ['e2e-capi'] });
  return [
    manager('capi-core', 'Cluster API core manager'),
    manager('capi-kubeadm-bootstrap', 'Cluster API kubeadm bootstrap manager'),
    manager('capi-kubeadm-control-plane', 'Cluster API kubeadm control plane manager'),
    manager('capd', 'CAPD (in-memory infrastructure provider)'),
    binary({ name: 'kube-controller-manager', title: 'kube-controller-manager', version: kube, script: 'build/build-kube-controller-manager.sh', projects: ['e2e-capi'] }),
    script({ name: 'capi-config', title: 'Cluster API manager configs', version: `cluster-api v${capi}`, script: 'build/download-capi-config.sh', args: [capi], projects: ['e2e-capi'] }),
  ];
}

export function prerequisitesFor(project: TestProjectName, list: readonly Prerequisite[] = PREREQUISITES): Prerequisite[] {
  return list.filter((p) => p.projects.includes(project));
}

/** The cache root the scripts use: $DROVER_CACHE, else `.cache` in the project. */
export function cacheRoot(): string {
  return resolve(env.DROVER_CACHE ?? join(PROJECT_ROOT, '.cache'));
}

export function binaryPathOf(spec: BinarySpec, cache = cacheRoot()): string {
  return join(cache, 'bin', `${spec.name}-v${spec.version}`, spec.binary);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a binary the pre-test step built. Never builds: a missing binary is an error that
 * says how to build it.
 */
export function prebuiltBinary(name: string, list: readonly Prerequisite[] = PREREQUISITES, cache = cacheRoot()): string {
  const spec = list.find((p): p is BinarySpec => p.kind === 'binary' && p.name === name);
  if (!spec) throw new Error(`no binary named ${name} in test/support/build/binaries.ts`);
  const path = binaryPathOf(spec, cache);
  if (!isExecutable(path)) {
    throw new Error(`${spec.title} v${spec.version} is not built (no executable ${path}); \`npm test\` builds it before any test starts, or run \`npm run binaries\``);
  }
  return path;
}

export interface PrerequisiteResult {
  readonly name: string;
  /** The script's stdout lines (for a binary: its path). */
  readonly lines: readonly string[];
  /** For a binary: its executable. */
  readonly path?: string;
  /** True when found ready without running a build. */
  readonly cached: boolean;
  /** True when the script waited for another process's build of it (and then found it built). */
  readonly waited?: boolean;
  readonly ms: number;
}

export interface PrepareOptions {
  /** Receives progress lines (without newline); default: stderr. */
  log?: (line: string) => void;
  /** Cache root passed to the scripts as DROVER_CACHE (default: cacheRoot()). */
  cache?: string;
  /** Extra environment for the scripts. */
  env?: Record<string, string>;
  /** How often a long step reprints its progress line; 30 s unless set. */
  heartbeatMs?: number;
}

/**
 * Prepares each entry in order: a binary found executable in the cache costs one stat; otherwise
 * its script builds it (under its lock). The first failure rejects with the script's last lines.
 */
export async function preparePrerequisites(list: readonly Prerequisite[] = PREREQUISITES, opts: PrepareOptions = {}): Promise<Map<string, PrerequisiteResult>> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cache = resolve(opts.cache ?? cacheRoot());
  const results = new Map<string, PrerequisiteResult>();
  for (const spec of list) results.set(spec.name, await prepareOne(spec, cache, log, opts));
  return results;
}

async function prepareOne(spec: Prerequisite, cache: string, log: (line: string) => void, opts: PrepareOptions): Promise<PrerequisiteResult> {
  const t0 = Date.now();
  if (spec.kind === 'binary') {
    const path = binaryPathOf(spec, cache);
    if (isExecutable(path)) return { name: spec.name, lines: [path], path, cached: true, ms: Date.now() - t0 };
  }
  const { lines, waited } = await runScript(spec, cache, log, opts);
  const ms = Date.now() - t0;
  if (spec.kind === 'script') return { name: spec.name, lines, cached: false, waited, ms };
  const path = binaryPathOf(spec, cache);
  const printed = lines.at(-1);
  if (printed !== path) throw new Error(`${spec.script} printed ${printed ?? 'nothing'} where the registry expects ${path}`);
  if (!isExecutable(path)) throw new Error(`${spec.script} succeeded but ${path} is not executable`);
  return { name: spec.name, lines, path, cached: false, waited, ms };
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

const TAIL_LINES = 30;

function runScript(spec: Prerequisite, cache: string, log: (line: string) => void, opts: PrepareOptions): Promise<{ lines: string[]; waited: boolean }> {
  const path = join(SUPPORT_DIR, spec.script);
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [path, ...spec.args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...opts.env, DROVER_CACHE: cache },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let partial = '';
    const tail: string[] = [];
    let lastProgress = '';
    let lastPrinted = Date.now();
    let waited = false;
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      // The scripts' own progress lines are shown; the go command's chatter only on failure.
      if (line.startsWith('drover:')) {
        if (line.startsWith('drover: waiting for another run')) waited = true;
        lastProgress = line;
        lastPrinted = Date.now();
        log(line);
      }
    };
    const heartbeatMs = opts.heartbeatMs ?? 30_000;
    const timer = setInterval(() => {
      if (!lastProgress || Date.now() - lastPrinted < heartbeatMs) return;
      lastPrinted = Date.now();
      log(`drover: still at: ${lastProgress.replace(/^drover: /, '').replace(/ \(\d+m\d\ds elapsed\)$/, '')} (${formatElapsed(Date.now() - t0)} elapsed)`);
    }, Math.min(heartbeatMs, 5_000));
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => {
      const text = partial + c.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const l of parts) onLine(l);
    });
    child.once('error', (err) => {
      clearInterval(timer);
      reject(new Error(`cannot run ${path}: ${err.message} (bash is required)`));
    });
    child.once('close', (code, signal) => {
      clearInterval(timer);
      if (partial) onLine(partial);
      if (code === 0) return resolvePromise({ lines: stdout.split('\n').map((l) => l.trim()).filter(Boolean), waited });
      reject(new Error(
        `drover: ${spec.title} ${spec.kind === 'binary' ? `v${spec.version}` : spec.version}: ${spec.script} failed (${signal ?? `exit ${code}`}) after ${formatElapsed(Date.now() - t0)}; its last lines:\n` +
        tail.map((l) => `  ${l}`).join('\n'),
      ));
    });
  });
}
