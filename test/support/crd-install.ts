// Installs CustomResourceDefinitions the way envtest does: read the YAML files, create them with
// server-side apply (the kubeadm control plane CRDs are ~360 KB, too big for client-side apply's
// last-applied annotation), then wait until each is Established and its served group/versions
// list it in discovery.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { requestKube, type KubeEndpoint } from './kube-request.js';
import { waitUntil } from './wait-until.js';

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  [field: string]: unknown;
}

export interface CrdManifest {
  apiVersion: string;
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [field: string]: unknown };
  spec: { group: string; names: { plural: string; kind: string }; versions: CrdVersion[]; [field: string]: unknown };
}

/** Reads every CRD document of the *.yaml files in `dir`; `file` is kept for error messages. */
export async function loadCrdManifests(dir: string): Promise<Array<{ file: string; crd: CrdManifest }>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const out: Array<{ file: string; crd: CrdManifest }> = [];
  for (const f of files) out.push(...(await loadCrdFile(join(dir, f))));
  if (out.length === 0) throw new Error(`${dir}: no CustomResourceDefinition found`);
  return out;
}

/** The CRD documents of one YAML file (Drover's own, manifests/crd-fleets.yaml). */
export async function loadCrdFile(file: string): Promise<Array<{ file: string; crd: CrdManifest }>> {
  const out: Array<{ file: string; crd: CrdManifest }> = [];
  for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as CrdManifest | null;
    if (!value) continue;
    if (value.kind !== 'CustomResourceDefinition') throw new Error(`${file}: expected a CustomResourceDefinition, got kind ${String(value.kind)}`);
    out.push({ file, crd: value });
  }
  return out;
}

/**
 * Returns a copy of `crd` with the named versions no longer served. Without a conversion webhook
 * the apiserver would relabel objects between versions instead of converting them, so a request
 * for an unserved version must 404 rather than silently succeed. The storage version stays served.
 */
export function withUnservedVersions(crd: CrdManifest, unserved: readonly string[]): CrdManifest {
  const versions = crd.spec.versions.map((v) => {
    if (!unserved.includes(v.name)) return v;
    if (v.storage) throw new Error(`CustomResourceDefinition/${crd.metadata.name}: cannot stop serving storage version ${v.name}`);
    return { ...v, served: false };
  });
  return { ...crd, spec: { ...crd.spec, versions } };
}

export async function installCrds(ep: KubeEndpoint, crds: readonly CrdManifest[], opts: { timeoutMs: number }): Promise<void> {
  await Promise.all(crds.map((crd) => applyCrd(ep, crd)));
  await Promise.all(crds.map((crd) => waitEstablished(ep, crd, opts.timeoutMs)));
  const discovery = new Map<string, Set<string>>(); // "group/version" → plurals expected
  for (const crd of crds) {
    for (const v of crd.spec.versions.filter((x) => x.served)) {
      const gv = `${crd.spec.group}/${v.name}`;
      discovery.set(gv, (discovery.get(gv) ?? new Set()).add(crd.spec.names.plural));
    }
  }
  await Promise.all([...discovery].map(([gv, plurals]) => waitDiscovered(ep, gv, plurals, opts.timeoutMs)));
}

async function applyCrd(ep: KubeEndpoint, crd: CrdManifest): Promise<void> {
  const name = encodeURIComponent(crd.metadata.name);
  const res = await requestKube(ep, {
    method: 'PATCH',
    path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=drover-test-plane&force=true`,
    contentType: 'application/apply-patch+yaml',
    body: JSON.stringify(crd),
    timeoutMs: 60_000,
  });
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`CustomResourceDefinition/${crd.metadata.name}: server-side apply failed with HTTP ${res.status}: ${statusMessage(res.body)}`);
  }
}

async function waitEstablished(ep: KubeEndpoint, crd: CrdManifest, timeoutMs: number): Promise<void> {
  await waitUntil(async () => {
    const res = await requestKube(ep, { path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(crd.metadata.name)}` });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${statusMessage(res.body)}`);
    const conditions = (JSON.parse(res.body) as { status?: { conditions?: Array<{ type: string; status: string; message?: string }> } }).status?.conditions ?? [];
    const bad = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
    if (bad) throw new Error(`names not accepted: ${bad.message ?? ''}`);
    return conditions.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  }, { what: `CustomResourceDefinition/${crd.metadata.name} to be Established`, timeoutMs });
}

async function waitDiscovered(ep: KubeEndpoint, gv: string, plurals: Set<string>, timeoutMs: number): Promise<void> {
  await waitUntil(async () => {
    const res = await requestKube(ep, { path: `/apis/${gv}` });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const listed = new Set((JSON.parse(res.body) as { resources?: Array<{ name: string }> }).resources?.map((r) => r.name));
    const missing = [...plurals].filter((p) => !listed.has(p));
    if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
    return true;
  }, { what: `${gv} in discovery`, timeoutMs });
}

function statusMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 500);
  } catch {
    return body.slice(0, 500);
  }
}
