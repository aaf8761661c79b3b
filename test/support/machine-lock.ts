// A lock held by this process for as long as it lives, shared by every run on the machine: for
// resources that exist once per machine, such as the fixed ports CAPD's in-memory backend binds.
// `flock` (util-linux) takes it in a child whose stdin is a pipe from this process: the child
// exits, and the kernel drops the lock, when this process releases it or dies in any way.
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MachineLock {
  release(): Promise<void>;
}

/**
 * Waits for the machine-wide lock `name` (a file in the temporary directory). `onWait` is called
 * once if another process holds it, so a run can say what it is waiting for.
 */
export async function acquireMachineLock(name: string, onWait?: (path: string) => void): Promise<MachineLock> {
  const path = join(tmpdir(), `drover-${name}.lock`);
  const child = spawn('flock', ['--exclusive', path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waitTimer = setTimeout(() => onWait?.(path), 1_000);
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot take the machine lock ${path} with flock: ${err.message}`)));
      child.once('exit', (code) => reject(new Error(`flock on ${path} exited with ${code} before taking the lock`)));
      child.stdout!.once('data', () => resolve());
    });
  } finally {
    clearTimeout(waitTimer);
  }
  child.removeAllListeners('exit');
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  return { release: () => releaseLock(child) };
}

function releaseLock(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin!.end();
  });
}
