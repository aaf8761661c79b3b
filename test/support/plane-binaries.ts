// Runs the project's build scripts (test/support/build/*.sh) that build etcd and kube-apiserver
// from the Go module proxy and download the CAPI/CAPP modules holding the CRDs. Each script skips
// its work when the versioned result is cached in .cache/, and prints its result path(s) on stdout.
// A missing Go toolchain or an unreachable proxy fails here, with the script's own message.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PlaneVersionOptions {
  /** Kubernetes version of kube-apiserver, e.g. "1.36.3" (script default when unset). */
  kubeVersion?: string;
  /** etcd server version, e.g. "3.6.16". */
  etcdVersion?: string;
  /** sigs.k8s.io/cluster-api version whose CRDs are installed, e.g. "1.14.2". */
  capiVersion?: string;
  /** sigs.k8s.io/cluster-api-provider-packet version, e.g. "0.9.0". */
  cappVersion?: string;
}

export interface PlaneBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  /** CRD base directories in the Go module cache: CAPI core, kubeadm bootstrap, kubeadm control plane, Packet. */
  readonly crdDirs: readonly string[];
  /** Wall time of each script, in ms (a few ms when cached). */
  readonly timingsMs: { readonly etcd: number; readonly kubeApiserver: number; readonly crds: number };
}

export const BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'build');

/** Builds (or finds cached) etcd and kube-apiserver and downloads the CRD modules, one after another. */
export async function ensurePlaneBinaries(opts: PlaneVersionOptions & { log?: (chunk: string) => void } = {}): Promise<PlaneBinaries> {
  const log = opts.log ?? ((chunk: string) => process.stderr.write(chunk));
  const t0 = Date.now();
  const [etcd] = await runBuildScript('build-etcd.sh', opt(opts.etcdVersion), log);
  const t1 = Date.now();
  const [kubeApiserver] = await runBuildScript('build-kube-apiserver.sh', opt(opts.kubeVersion), log);
  const t2 = Date.now();
  const crdArgs = opts.cappVersion ? [opts.capiVersion ?? '', opts.cappVersion] : opt(opts.capiVersion);
  const crdDirs = await runBuildScript('download-crds.sh', crdArgs, log);
  const t3 = Date.now();
  if (!etcd || !kubeApiserver || crdDirs.length === 0) throw new Error('control plane build scripts printed no result path');
  return { etcd, kubeApiserver, crdDirs, timingsMs: { etcd: t1 - t0, kubeApiserver: t2 - t1, crds: t3 - t2 } };
}

function opt(value: string | undefined): string[] {
  return value ? [value.replace(/^v/, '')] : [];
}

/** Runs one script; resolves with its stdout lines, rejects with its exit status and stderr tail. */
export function runBuildScript(script: string, args: string[], log: (chunk: string) => void): Promise<string[]> {
  const path = join(BUILD_DIR, script);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString();
      stderr = (stderr + text).slice(-8000);
      log(text);
    });
    child.once('error', (err) => reject(new Error(`cannot run ${path}: ${err.message} (bash is required)`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(stdout.split('\n').map((l) => l.trim()).filter(Boolean));
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      reject(new Error(`${script} failed (${signal ?? `exit ${code}`}); the local control plane needs Go >= 1.26 and the Go module proxy:\n${tail}`));
    });
  });
}
