// Types of the values test/support/global-setup.ts provides to the integration tests.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin kubeconfig of the run's real kube-apiserver (client-certificate auth, system:masters). */
    kubeconfigPath: string;
    /** https://127.0.0.1:<port> */
    kubeServer: string;
    controlPlaneVersions: { kubeApiserver: string; etcd: string; capi: string; capp: string };
    /** http://127.0.0.1:<port>; a repo `<gitRoot>/<name>.git` is served at `<gitServerUrl>/<name>.git`. */
    gitServerUrl: string;
    /** Directory of the bare repositories the run's git server serves (test/support/git-repo.ts writes there). */
    gitRoot: string;
    /** e2e-capi only: the real CAPI controllers' version, pids (with kube-apiserver and etcd) and log files. */
    /** browser only: the Chromium executable (Debian's package). */
    chromiumPath: string;
    capiControllers: { version: string; pids: Record<string, number>; logs: Record<string, string> };
  }
}
