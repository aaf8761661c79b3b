// The admin kubeconfig of the local control plane: the CA and client certificate inline, so the
// file works from any directory and can be copied (kubectl, drover, @kubernetes/client-node).
import { stringify } from 'yaml';

export interface AdminKubeconfigInput {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  /** Cluster, user and context name; "drover-test" unless set. */
  name?: string;
}

export function toAdminKubeconfig(input: AdminKubeconfigInput): string {
  const name = input.name ?? 'drover-test';
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': b64(input.caCert) } }],
    users: [{ name: `${name}-admin`, user: { 'client-certificate-data': b64(input.clientCert), 'client-key-data': b64(input.clientKey) } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
