// Generates agent/render/data/openapi-schema.ts from kustomize's built-in Kubernetes OpenAPI document,
// kyaml v0.18.1 (the kyaml of kustomize v5.5.0) openapi/kubernetesapi/v1_21_2/swagger.pb,
// downloaded from the Go module proxy like the project's other Go inputs:
//   npx tsx test/support/generate-openapi-schema.ts [--check]
// --check compares instead of writing (exit 1 when the committed file differs).
//
// What it keeps: for each apiVersion|kind the document names (x-kubernetes-group-version-kind),
// the schema paths that lead to lists merged by key (x-kubernetes-patch-strategy containing
// "merge"; keys from x-kubernetes-list-map-keys, else x-kubernetes-patch-merge-key); list items
// only below such lists; definitions only when reachable from a kept kind. A reference back to
// a definition still being pruned counts as kept (so self-referencing schemas stay). Cluster
// scope: kinds whose GET paths never contain "namespaces/{namespace}" (kyaml's rule); the others
// are listed as namespace-scoped.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOpenApiV2, type SwaggerSchema } from './openapi-v2-proto.js';

const KYAML = 'sigs.k8s.io/kustomize/kyaml@v0.18.1';
const SWAGGER = 'openapi/kubernetesapi/v1_21_2/swagger.pb';
const ROOT = new URL('../..', import.meta.url).pathname;
const OUTPUT = join(ROOT, 'agent/render/data/openapi-schema.ts');

interface Node {
  p?: Record<string, Node>;
  a?: Node;
  i?: Node;
  m?: string[];
  $?: string;
}

function downloadKyaml(): string {
  const run = spawnSync('bash', [join(ROOT, 'test/support/build/download-go-module.sh'), KYAML], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cannot download ${KYAML}: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

const REF_PREFIX = '#/definitions/';

function prunedSchema(definitions: ReadonlyMap<string, SwaggerSchema>): (name: string) => Node | undefined {
  const memo = new Map<string, Node | undefined>();
  const inProgress = new Set<string>();
  const pruneDef = (name: string): Node | undefined => {
    if (memo.has(name)) return memo.get(name);
    if (inProgress.has(name)) return {};
    const def = definitions.get(name);
    if (!def) return undefined;
    inProgress.add(name);
    const node = prune(def);
    inProgress.delete(name);
    memo.set(name, node);
    return node;
  };
  const mergeKeys = (s: SwaggerSchema): string[] | undefined => {
    const strategy = s.extensions.get('x-kubernetes-patch-strategy');
    if (typeof strategy !== 'string' || !strategy.includes('merge')) return undefined;
    const listKeys = s.extensions.get('x-kubernetes-list-map-keys');
    if (Array.isArray(listKeys)) return listKeys.map(String);
    const key = s.extensions.get('x-kubernetes-patch-merge-key');
    return typeof key === 'string' ? [key] : [];
  };
  const prune = (s: SwaggerSchema): Node | undefined => {
    if (s.ref) {
      const name = s.ref.startsWith(REF_PREFIX) ? s.ref.slice(REF_PREFIX.length) : s.ref;
      return pruneDef(name) ? { $: name } : undefined;
    }
    const node: Node = {};
    if (s.properties) {
      const p: Record<string, Node> = {};
      for (const key of [...s.properties.keys()].sort()) {
        const child = prune(s.properties.get(key)!);
        if (child) p[key] = child;
      }
      if (Object.keys(p).length) node.p = p;
    }
    if (s.additionalProperties) {
      const a = prune(s.additionalProperties);
      if (a) node.a = a;
    }
    const m = mergeKeys(s);
    if (m && s.items) {
      const i = prune(s.items);
      if (i) node.i = i;
    }
    if (m) node.m = m;
    return Object.keys(node).length ? node : undefined;
  };
  return pruneDef;
}

function apiVersionKinds(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list
    .filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object')
    .map((x) => `${x.group ? `${String(x.group)}/` : ''}${String(x.version ?? '')}|${String(x.kind ?? '')}`);
}

function refsOf(n: Node, out: Set<string>): void {
  if (n.$) out.add(n.$);
  for (const c of Object.values(n.p ?? {})) refsOf(c, out);
  if (n.a) refsOf(n.a, out);
  if (n.i) refsOf(n.i, out);
}

export function generateOpenApiSchema(swagger: Uint8Array): string {
  const doc = parseOpenApiV2(swagger);
  const pruneDef = prunedSchema(doc.definitions);
  const roots: Record<string, string> = {};
  for (const name of doc.definitions.keys()) {
    const gvk = doc.definitions.get(name)!.extensions.get('x-kubernetes-group-version-kind');
    if (gvk === undefined || !pruneDef(name)) continue;
    for (const key of apiVersionKinds(gvk)) roots[key] = name;
  }
  const kept = new Set<string>();
  const queue = [...new Set(Object.values(roots))];
  while (queue.length) {
    const name = queue.pop()!;
    if (kept.has(name)) continue;
    kept.add(name);
    const refs = new Set<string>();
    refsOf(pruneDef(name)!, refs);
    queue.push(...refs);
  }
  const definitions: Record<string, Node> = {};
  for (const name of [...kept].sort()) definitions[name] = pruneDef(name)!;
  const sortedRoots: Record<string, string> = {};
  for (const key of Object.keys(roots).sort()) sortedRoots[key] = roots[key]!;
  const namespaced = new Map<string, boolean>();
  for (const [path, gvk] of doc.getKinds) {
    for (const key of apiVersionKinds(gvk)) {
      if (path.includes('namespaces/{namespace}')) namespaced.set(key, true);
      else if (!namespaced.has(key)) namespaced.set(key, false);
    }
  }
  const clusterScoped = [...namespaced].filter(([, ns]) => !ns).map(([k]) => k).sort();
  const namespaceScoped = [...namespaced].filter(([, ns]) => ns).map(([k]) => k).sort();
  const json = (v: unknown): string => JSON.stringify(v, null, 1);
  return `/**
 * What kustomize's strategic merge needs from its built-in Kubernetes 1.21 OpenAPI document
 * (kyaml/openapi/kubernetesapi/v1_21_2/swagger.pb), generated from it: for each known
 * apiVersion|kind, the schema path to every list merged by key (x-kubernetes-patch-strategy
 * containing "merge", keys from x-kubernetes-list-map-keys or x-kubernetes-patch-merge-key),
 * and the kinds that document lists as cluster-scoped. Lists absent here are replaced whole.
 *
 * Schema nodes: p = properties, a = additionalProperties, i = list items, m = merge keys,
 * $ = reference to a definition.
 */
export interface SchemaNode {
  readonly p?: Readonly<Record<string, SchemaNode>>;
  readonly a?: SchemaNode;
  readonly i?: SchemaNode;
  readonly m?: readonly string[];
  readonly $?: string;
}

export const SCHEMA_ROOTS: Readonly<Record<string, string>> = ${json(sortedRoots)};

export const SCHEMA_DEFINITIONS: Readonly<Record<string, SchemaNode>> = ${json(definitions)};

/** apiVersion|kind pairs the document lists only at cluster scope. */
export const CLUSTER_SCOPED_KINDS: readonly string[] = ${json(clusterScoped)};

/**
 * apiVersion|kind pairs the document lists at namespace scope. With CLUSTER_SCOPED_KINDS, the
 * kinds whose scope kyaml knows without loading a schema (its precomputed table).
 */
export const NAMESPACE_SCOPED_KINDS: readonly string[] = ${json(namespaceScoped)};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = downloadKyaml();
  const out = generateOpenApiSchema(readFileSync(join(dir, SWAGGER)));
  if (process.argv.includes('--check')) {
    const same = readFileSync(OUTPUT, 'utf8') === out;
    console.log(same ? `${OUTPUT} is what ${KYAML}/${SWAGGER} generates` : `${OUTPUT} differs from what ${KYAML}/${SWAGGER} generates`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(OUTPUT, out);
  console.log(`wrote ${OUTPUT} from ${KYAML}/${SWAGGER}`);
}
