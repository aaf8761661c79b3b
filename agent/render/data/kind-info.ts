/** Lookups in kustomize's built-in Kubernetes schema: scope of a kind, merge keys of its lists. */
import { CLUSTER_SCOPED_KINDS, SCHEMA_DEFINITIONS, SCHEMA_ROOTS, type SchemaNode } from './openapi-schema.js';

const clusterScoped = new Set(CLUSTER_SCOPED_KINDS);

/** kustomize's IsCertainlyClusterScoped: only kinds its schema knows to be cluster-scoped. */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return clusterScoped.has(`${apiVersion}|${kind}`);
}

function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let i = 0; n?.$ !== undefined && i < 64; i++) n = SCHEMA_DEFINITIONS[n.$];
  return n;
}

/** The schema of a known resource type, or undefined (CRDs and other unknown kinds). */
export function schemaForType(apiVersion: string, kind: string): SchemaNode | undefined {
  const name = SCHEMA_ROOTS[`${apiVersion}|${kind}`];
  return name === undefined ? undefined : deref({ $: name });
}

export function schemaField(node: SchemaNode | undefined, field: string): SchemaNode | undefined {
  if (!node) return undefined;
  return deref(node.p?.[field] ?? node.a);
}

export function schemaElements(node: SchemaNode | undefined): SchemaNode | undefined {
  return node?.m ? deref(node.i) : undefined;
}
