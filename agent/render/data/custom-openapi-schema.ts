/**
 * A kustomization's custom OpenAPI document (`openapi: {path: …}`), read as kyaml reads it: an
 * OpenAPI v2 (swagger) document whose `definitions` replace kustomize's built-in Kubernetes
 * schema entirely (built-in kinds keep no merge keys unless the document defines them).
 * Definitions with `x-kubernetes-group-version-kind` (a list) become the schema of those kinds; lists
 * whose `x-kubernetes-patch-strategy` contains "merge" are merged by the keys of
 * `x-kubernetes-list-map-keys`, else `x-kubernetes-patch-merge-key` (none: a list of scalars,
 * merged as a set). Extension keys are case-insensitive (go-openapi lowercases them). Only local
 * references (`#/definitions/NAME`) resolve. The document's `paths` give the scope of the kinds
 * their GET operations name (`x-kubernetes-group-version-kind`, a single mapping there):
 * namespaced when a path has `namespaces/{namespace}`, else cluster-scoped; namespaced wins.
 */
import type { SchemaNode } from './openapi-schema.js';
import type { OpenApiSchema } from './kind-info.js';
import type { JsonValue } from '../yaml/json-form.js';

type Obj = { [k: string]: JsonValue };

export class OpenApiSchemaError extends Error {}

const REF_PREFIX = '#/definitions/';

const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function extension(s: Obj, key: string): JsonValue | undefined {
  for (const [k, v] of Object.entries(s)) if (k.toLowerCase() === key) return v;
  return undefined;
}

function mergeKeys(s: Obj): string[] | undefined {
  const strategy = extension(s, 'x-kubernetes-patch-strategy');
  if (typeof strategy !== 'string' || !strategy.includes('merge')) return undefined;
  const listKeys = extension(s, 'x-kubernetes-list-map-keys');
  if (Array.isArray(listKeys)) return listKeys.filter((k): k is string => typeof k === 'string');
  const key = extension(s, 'x-kubernetes-patch-merge-key');
  return typeof key === 'string' ? [key] : [];
}

/** kyaml's Elements(): items are followed only when the schema's single type is "array". */
function isArrayType(s: Obj): boolean {
  const t = s.type;
  return t === 'array' || (Array.isArray(t) && t.length === 1 && t[0] === 'array');
}

function toNode(s: JsonValue, where: string, depth: number): SchemaNode {
  if (!isObj(s)) throw new OpenApiSchemaError(`${where}: expected a schema object, got ${Array.isArray(s) ? 'a list' : JSON.stringify(s)}`);
  if (depth > 64) throw new OpenApiSchemaError(`${where}: schema nested deeper than 64 levels`);
  checkShape(s, where);
  const node: { p?: Record<string, SchemaNode>; a?: SchemaNode; i?: SchemaNode; m?: string[]; $?: string } = {};
  if (typeof s.$ref === 'string' && s.$ref.startsWith(REF_PREFIX)) node.$ = s.$ref.slice(REF_PREFIX.length);
  if (s.properties !== undefined) {
    if (!isObj(s.properties)) throw new OpenApiSchemaError(`${where}.properties: expected a mapping of property schemas`);
    const p: Record<string, SchemaNode> = {};
    for (const [k, v] of Object.entries(s.properties)) p[k] = toNode(v, `${where}.properties.${k}`, depth + 1);
    node.p = p;
  }
  if (isObj(s.additionalProperties)) node.a = toNode(s.additionalProperties, `${where}.additionalProperties`, depth + 1);
  if (isObj(s.items) && isArrayType(s)) node.i = toNode(s.items, `${where}.items`, depth + 1);
  const m = mergeKeys(s);
  if (m) node.m = m;
  return node;
}

/** The field types go-openapi insists on (it rejects the whole document otherwise). */
function checkShape(s: Obj, where: string): void {
  const t = s.type;
  if (t !== undefined && typeof t !== 'string' && !(Array.isArray(t) && t.every((x) => typeof x === 'string'))) {
    throw new OpenApiSchemaError(`${where}.type: expected a string or a list of strings`);
  }
  if (s.$ref !== undefined && typeof s.$ref !== 'string') throw new OpenApiSchemaError(`${where}.$ref: expected a string`);
  if (s.items !== undefined && typeof s.items !== 'object') throw new OpenApiSchemaError(`${where}.items: expected a schema or a list of schemas`);
  const ap = s.additionalProperties;
  if (ap !== undefined && typeof ap !== 'boolean' && !isObj(ap)) throw new OpenApiSchemaError(`${where}.additionalProperties: expected a schema or a boolean`);
}

function apiVersionKinds(v: JsonValue | undefined): string[] {
  // kyaml indexes only a list of group/version/kind mappings; a single mapping is ignored.
  const list = Array.isArray(v) ? v : [];
  return list.filter(isObj).map(apiVersionKindOf);
}

function apiVersionKindOf(x: Obj): string {
  const group = typeof x.group === 'string' ? x.group : '';
  return `${group ? `${group}/` : ''}${typeof x.version === 'string' ? x.version : ''}|${typeof x.kind === 'string' ? x.kind : ''}`;
}

/** kyaml's findNamespaceability over a document's `paths`. */
function scopesOf(paths: JsonValue | undefined): Record<string, boolean> {
  const scopes: Record<string, boolean> = {};
  if (!isObj(paths)) return scopes;
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    const get = isObj(item) ? item.get : undefined;
    const gvk = isObj(get) ? extension(get, 'x-kubernetes-group-version-kind') : undefined;
    if (!isObj(gvk)) continue;
    const key = apiVersionKindOf(gvk);
    if (path.includes('namespaces/{namespace}')) scopes[key] = true;
    else if (!Object.hasOwn(scopes, key)) scopes[key] = false;
  }
  return scopes;
}

/** The merge-key schema and kind scopes a custom OpenAPI document declares. */
export function toCustomOpenApiSchema(doc: JsonValue): OpenApiSchema {
  if (!isObj(doc)) throw new OpenApiSchemaError('expected an OpenAPI v2 document (a mapping with definitions)');
  const defs = doc.definitions ?? {};
  if (!isObj(defs)) throw new OpenApiSchemaError('definitions: expected a mapping of type names to schemas');
  const definitions: Record<string, SchemaNode> = {};
  const roots: Record<string, string> = {};
  for (const name of Object.keys(defs).sort()) {
    const def = defs[name]!;
    definitions[name] = toNode(def, `definitions.${name}`, 0);
    for (const key of apiVersionKinds(extension(def as Obj, 'x-kubernetes-group-version-kind'))) roots[key] = name;
  }
  return { roots, definitions, scopes: scopesOf(doc.paths) };
}
