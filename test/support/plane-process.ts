// Long-running processes of the local control plane (etcd, kube-apiserver): each runs in its own
// process group with its output in a log file, and is stopped as a group (SIGTERM, then SIGKILL).
//
// Orphans: a test run that crashes must not leave etcd and kube-apiserver behind. Two guards:
// `setpriv --pdeathsig KILL` (util-linux) makes the kernel kill the child when this process dies,
// even by SIGKILL; an 'exit' handler kills the groups on a normal or error exit. `cluster up`
// asks for the opposite (`survivesParent`) and is stopped by pid from its state file instead.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface PlaneProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves when the process has exited; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once `exited` has resolved. */
  hasExited(): boolean;
  stop(): Promise<void>;
}

export interface SpawnPlaneProcessOptions {
  logPath: string;
  /** Keep running after this Node process exits (for `npm run cluster -- up`). */
  survivesParent?: boolean;
  /** Extra environment variables on top of this process's (CAPD's POD_IP). */
  env?: Record<string, string>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

let setprivPath: string | null | undefined;
function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    const probe = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
    setprivPath = probe.status === 0 && probe.stdout.includes('--pdeathsig') ? 'setpriv' : null;
  }
  return setprivPath;
}

export function spawnPlaneProcess(name: string, binary: string, args: readonly string[], opts: SpawnPlaneProcessOptions): PlaneProcess {
  if (!existsSync(binary)) throw new Error(`${name}: binary ${binary} does not exist`);
  const survives = opts.survivesParent ?? false;
  const setpriv = survives ? null : findSetpriv();
  const [command, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', binary, ...args]] : [binary, [...args]];
  const log = openSync(opts.logPath, 'a');
  let child;
  try {
    child = spawn(command, argv, { detached: true, stdio: ['ignore', log, log], ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${binary}`);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => { done = true; liveGroups.delete(pid); resolve({ code: null, signal: null }); });
    child.once('exit', (code, signal) => { done = true; liveGroups.delete(pid); resolve({ code, signal }); });
  });
  if (survives) {
    child.unref();
  } else {
    liveGroups.add(pid);
    installExitHook();
  }
  return {
    name,
    pid,
    logPath: opts.logPath,
    exited,
    hasExited: () => done,
    async stop() {
      if (done) return;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      signalGroup(pid, 'SIGKILL'); // anything the leader left behind in its group
    },
  };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** True while `pid` names a running (not zombie) process. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Stops process groups that are not our children (started by an earlier `cluster up`). */
export async function stopProcessGroups(pids: readonly number[], graceMs = 10_000): Promise<void> {
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isProcessAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids) signalGroup(pid, 'SIGKILL');
}

/** The last lines of a process's log, for error messages. */
export function readLogTail(logPath: string, lines = 20): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
