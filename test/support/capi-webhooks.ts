// The webhook plumbing of the CAPI managers outside a cluster network, the way envtest's
// WebhookInstallOptions does it: every `service` reference (CRD conversion, admission webhooks)
// becomes `url: https://127.0.0.1:<manager's webhook port>/<path>` with the CA of the serving
// certificate all managers share. The CRDs come from each component's config/crd kustomization,
// rendered with Drover's own renderer (conversion patches and contract labels included).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { buildKustomization } from '../../agent/render/index.js';
import { loadDirectoryTree } from '../../agent/render/load-directory.js';
import type { CapiManager } from './capi-binaries.js';
import type { CrdManifest } from './crd-install.js';
import { requestKube, type KubeEndpoint } from './kube-request.js';

const FIELD_MANAGER = 'drover-test-capi';
const ADMISSION = '/apis/admissionregistration.k8s.io/v1';
const WEBHOOK_KINDS = { MutatingWebhookConfiguration: 'mutatingwebhookconfigurations', ValidatingWebhookConfiguration: 'validatingwebhookconfigurations' } as const;
/** The Packet provider's CRDs (v1beta1 contract): CAPI core refuses infrastructure refs to CRDs without a contract label. */
export const PACKET_CRDS = ['packetclusters', 'packetmachines', 'packetmachinetemplates'].map((p) => `${p}.infrastructure.cluster.x-k8s.io`);

type ClientConfig = { url: string; caBundle: string };
const clientConfig = (baseUrl: string, path: string, caPem: string): ClientConfig => ({ url: `${baseUrl}${path}`, caBundle: Buffer.from(caPem).toString('base64') });

/** Renders `<configDir>/crd` and points every conversion webhook at `<baseUrl>/convert`. */
export function renderWebhookCrds(configDir: string, baseUrl: string, caPem: string): CrdManifest[] {
  return buildKustomization(loadDirectoryTree(join(configDir, 'crd')), '').map((obj) => {
    const crd = obj as unknown as CrdManifest & { spec: { conversion?: { strategy?: string; webhook?: Record<string, unknown> } } };
    if (crd.kind !== 'CustomResourceDefinition') throw new Error(`${configDir}/crd: expected only CustomResourceDefinitions, got ${String(crd.kind)}/${crd.metadata.name}`);
    const webhook = crd.spec.conversion?.webhook;
    if (crd.spec.conversion?.strategy !== 'Webhook' || !webhook) return crd;
    return { ...crd, spec: { ...crd.spec, conversion: { strategy: 'Webhook', webhook: { ...webhook, clientConfig: clientConfig(baseUrl, '/convert', caPem) } } } };
  });
}

export interface WebhookConfiguration extends KubeObject {
  kind: keyof typeof WEBHOOK_KINDS;
  webhooks: Array<{ name: string; clientConfig: ClientConfig | { service: { path?: string } }; [field: string]: unknown }>;
}

/**
 * The admission webhooks of `<configDir>/webhook/manifests.yaml`, renamed `drover-<manager>-mutating`
 * and `-validating` (every component ships the same two names) and pointed at `baseUrl`.
 */
export async function readWebhookConfigurations(manager: CapiManager, configDir: string, baseUrl: string, caPem: string): Promise<WebhookConfiguration[]> {
  const file = join(configDir, 'webhook', 'manifests.yaml');
  const out: WebhookConfiguration[] = [];
  for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
    const obj = doc.toJS() as WebhookConfiguration | null;
    if (!obj) continue;
    if (!(obj.kind in WEBHOOK_KINDS)) throw new Error(`${file}: unexpected kind ${String(obj.kind)}`);
    const suffix = obj.kind === 'MutatingWebhookConfiguration' ? 'mutating' : 'validating';
    out.push({
      ...obj,
      metadata: { name: `drover-${manager}-${suffix}`, labels: { 'drover.dev/test-capi': 'true' } },
      webhooks: obj.webhooks.map((w) => {
        const path = 'service' in w.clientConfig ? w.clientConfig.service.path : undefined;
        if (!path) throw new Error(`${file}: webhook ${w.name} has no service path`);
        return { ...w, clientConfig: clientConfig(baseUrl, path, caPem) };
      }),
    });
  }
  return out;
}

/** Server-side applies a webhook configuration. */
export async function applyWebhookConfiguration(ep: KubeEndpoint, cfg: WebhookConfiguration): Promise<void> {
  const path = `${ADMISSION}/${WEBHOOK_KINDS[cfg.kind]}/${cfg.metadata.name}?fieldManager=${FIELD_MANAGER}&force=true`;
  const res = await requestKube(ep, { method: 'PATCH', path, contentType: 'application/apply-patch+yaml', body: JSON.stringify(cfg) });
  if (res.status !== 200 && res.status !== 201) throw new Error(`${cfg.kind}/${cfg.metadata.name}: apply failed with HTTP ${res.status}: ${res.body.slice(0, 300)}`);
}

/**
 * Deletes every webhook configuration the test controllers registered (by label). Must run before
 * the managers stop: a registered webhook nobody serves fails every CAPI write with "failed calling
 * webhook … connection refused".
 */
export async function deleteWebhookConfigurations(ep: KubeEndpoint): Promise<void> {
  for (const plural of Object.values(WEBHOOK_KINDS)) {
    const res = await requestKube(ep, { method: 'DELETE', path: `${ADMISSION}/${plural}?labelSelector=${encodeURIComponent('drover.dev/test-capi=true')}` });
    if (res.status !== 200) throw new Error(`deleting ${plural} labelled drover.dev/test-capi: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }
}

/** Adds the v1beta1 contract label to the Packet CRDs the control plane installed. */
export async function labelPacketCrds(ep: KubeEndpoint): Promise<void> {
  for (const name of PACKET_CRDS) {
    const res = await requestKube(ep, {
      method: 'PATCH',
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ metadata: { labels: { 'cluster.x-k8s.io/v1beta1': 'v1beta1' } } }),
    });
    if (res.status !== 200) throw new Error(`CustomResourceDefinition/${name}: adding the contract label failed with HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }
}
