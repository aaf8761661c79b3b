/** Lookups in an OpenAPI schema (kustomize's built-in one by default): scope of a kind, merge keys of its lists. */
import { CLUSTER_SCOPED_KINDS, NAMESPACE_SCOPED_KINDS, SCHEMA_DEFINITIONS, SCHEMA_ROOTS, type SchemaNode } from './openapi-schema.js';

/**
 * The part of an OpenAPI document strategic merge reads: the root definition of each
 * `apiVersion|kind` and the definitions `$` references name.
 */
export interface OpenApiSchema {
  readonly roots: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, SchemaNode>>;
  /**
   * Scope of kinds a custom document's `paths` declare (`apiVersion|kind` → namespaced), for
   * kinds outside the built-in table. The built-in schema needs none: its table covers its kinds.
   */
  readonly scopes?: Readonly<Record<string, boolean>>;
}

/** kustomize's built-in Kubernetes 1.21.2 schema (the one `openapi: {version: v1.21.2}` names). */
export const BUILTIN_SCHEMA: OpenApiSchema = { roots: SCHEMA_ROOTS, definitions: SCHEMA_DEFINITIONS };

const clusterScoped = new Set(CLUSTER_SCOPED_KINDS);
const namespaceScoped = new Set(NAMESPACE_SCOPED_KINDS);

/**
 * The scopes of the schema the running build has loaded (kyaml keeps them in its global schema;
 * a build is synchronous, so the build in progress sets this and clears it when done).
 */
let loadedScopes: (() => Readonly<Record<string, boolean>> | undefined) | undefined;

/** Runs `body` with `scopes` as the loaded schema's kind scopes (see isClusterScoped). */
export function withLoadedScopes<T>(scopes: () => Readonly<Record<string, boolean>> | undefined, body: () => T): T {
  const outer = loadedScopes;
  loadedScopes = scopes;
  try {
    return body();
  } finally {
    loadedScopes = outer;
  }
}

/**
 * kustomize's IsCertainlyClusterScoped: kinds its built-in table knows to be cluster-scoped, and
 * kinds a loaded custom schema's paths declare cluster-scoped.
 */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  const key = `${apiVersion}|${kind}`;
  if (clusterScoped.has(key)) return true;
  if (namespaceScoped.has(key)) return false;
  const scopes = loadedScopes?.();
  return scopes !== undefined && Object.hasOwn(scopes, key) && scopes[key] === false;
}

/**
 * Whether kustomize knows the kind's scope without loading a schema (kyaml's precomputed table,
 * generated from the same built-in document: every kind it lists a scope for).
 */
export function isBuiltinKind(apiVersion: string, kind: string): boolean {
  const key = `${apiVersion}|${kind}`;
  return namespaceScoped.has(key) || clusterScoped.has(key);
}

function deref(api: OpenApiSchema, node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let i = 0; n?.$ !== undefined && i < 64; i++) n = Object.hasOwn(api.definitions, n.$) ? api.definitions[n.$] : undefined;
  return n;
}

/** The schema of a known resource type, or undefined (CRDs and other unknown kinds). */
export function schemaForType(api: OpenApiSchema, apiVersion: string, kind: string): SchemaNode | undefined {
  const key = `${apiVersion}|${kind}`;
  return Object.hasOwn(api.roots, key) ? deref(api, { $: api.roots[key]! }) : undefined;
}

export function schemaField(api: OpenApiSchema, node: SchemaNode | undefined, field: string): SchemaNode | undefined {
  if (!node) return undefined;
  const p = node.p && Object.hasOwn(node.p, field) ? node.p[field] : undefined;
  return deref(api, p ?? node.a);
}

export function schemaElements(api: OpenApiSchema, node: SchemaNode | undefined): SchemaNode | undefined {
  return node?.m ? deref(api, node.i) : undefined;
}
