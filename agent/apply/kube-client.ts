/**
 * Moved to agent/kube/kube-client.ts (the one Kubernetes client edge). This re-export keeps
 * imports of branches written before the move compiling; new code imports agent/kube.
 */
export * from '../kube/kube-client.js';
