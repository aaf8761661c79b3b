// `drover agent` as a child process (node --import tsx test/support/drover-cli.ts agent …), for
// the tests that need several replicas, signals, or another identity: its HTTP URL as it prints
// it, its log, its exit code, and the signals a kubelet would send.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitUntil } from './wait-until.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface AgentProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it wrote on stdout and stderr so far. */
  log(): string;
  /** Its HTTP server's base URL, once it printed it. */
  url(): Promise<string>;
  /** Resolves with the exit code (or the signal's name) when it ends. */
  readonly exited: Promise<number | string>;
  /** GET a JSON route of its HTTP server. */
  getJson<T>(path: string): Promise<T>;
  /** SIGTERM and wait for the exit (no-op when it ended). */
  stop(): Promise<number | string>;
}

/** Starts `drover agent <args>` with POD_NAME=name (its identity in Leases and Events). */
export function startAgentProcess(name: string, args: readonly string[], env: Record<string, string | undefined> = {}): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/drover-cli.ts'), 'agent', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, POD_NAME: name, ...env } });
  let text = '';
  child.stdout!.on('data', (c) => (text += String(c)));
  child.stderr!.on('data', (c) => (text += String(c)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let ended = false;
  void exited.then(() => (ended = true));
  const url = () =>
    waitUntil(async () => / at (http:\/\/[^\s]+)\n/.exec(text)?.[1], {
      what: `agent ${name} serving`,
      timeoutMs: 120_000,
      intervalMs: 100,
      abort: () => (ended ? new Error(`agent ${name} exited before serving:\n${text.slice(-3000)}`) : undefined),
    });
  return {
    name,
    child,
    log: () => text,
    url,
    exited,
    async getJson<T>(path: string): Promise<T> {
      const res = await fetch(`${await url()}${path}`);
      if (!res.ok) throw new Error(`agent ${name} GET ${path}: ${res.status}`);
      return (await res.json()) as T;
    },
    async stop() {
      if (!ended) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The agent's `GET /api/leader` answer. */
export interface LeaderView {
  readonly identity: string;
  readonly leading: boolean;
  readonly holder?: string | undefined;
  readonly requests: Record<string, number>;
}

/** Kubernetes writes a replica sent, from its request counts. */
export function writesOf(view: LeaderView): number {
  return ['apply', 'create', 'replace', 'patch', 'status', 'delete'].reduce((n, v) => n + (view.requests[v] ?? 0), 0);
}
