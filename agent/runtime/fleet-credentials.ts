import { SourceError, ReportError } from '../core/errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { FleetResource } from './fleet-resource.js';

function decode(data: Record<string, string> | undefined, key: string): string | undefined {
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8').trim();
}

/**
 * Git credentials from the Fleet's `spec.source.secretRef` Secret (keys `username` optional,
 * `password` or `token`), in the Fleet's namespace. Undefined without a secretRef. A missing
 * Secret or key is a SourceError naming the Secret, never its content.
 */
export async function fetchGitCredentials(client: KubeClient, fleet: FleetResource): Promise<{ username?: string; token: string } | undefined> {
  const name = fleet.spec.secretName;
  if (!name) return undefined;
  const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: fleet.namespace, name });
  const where = `${fleet.spec.url}@${fleet.spec.ref}`;
  if (!secret) throw new SourceError(`${where} Secret/${fleet.namespace}/${name} not found (spec.source.secretRef)`);
  const data = secret.data as Record<string, string> | undefined;
  const token = decode(data, 'password') ?? decode(data, 'token');
  if (!token) throw new SourceError(`${where} Secret/${fleet.namespace}/${name} has no "password" or "token" key`);
  const username = decode(data, 'username');
  return username ? { username, token } : { token };
}

/** The forge API token from `spec.forge.tokenSecretRef` (key default `token`); a ReportError naming the Secret when absent. */
export async function fetchForgeToken(client: KubeClient, fleet: FleetResource): Promise<string | undefined> {
  const ref = fleet.spec.forge?.tokenSecret;
  if (!ref) return undefined;
  const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: fleet.namespace, name: ref.name });
  if (!secret) throw new ReportError(`Fleet/${fleet.namespace}/${fleet.name} Secret/${fleet.namespace}/${ref.name} not found (spec.forge.tokenSecretRef)`);
  const token = decode(secret.data as Record<string, string> | undefined, ref.key);
  if (!token) throw new ReportError(`Fleet/${fleet.namespace}/${fleet.name} Secret/${fleet.namespace}/${ref.name} has no "${ref.key}" key`);
  return token;
}
