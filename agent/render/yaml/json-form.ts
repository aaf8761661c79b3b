/**
 * Conversions between the renderer's YAML nodes and plain JSON-like data: what kustomize's
 * json.Marshal of a resource holds (and what the public API returns as KubeObject).
 */
import { formatGoJsonFloat } from './go-format.js';
import { scalarToJson, type JsonScalar } from './scalar-resolve.js';
import { NULL, YScalar, type YMap, type YNode } from './yaml-value.js';

export type JsonValue = JsonScalar | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Sets a property even when it is "__proto__". */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** The JSON value kustomize would marshal for a node (go-yaml v3 decode, then encoding/json). */
export function toJsonValue(node: YNode): JsonValue {
  if (typeof node === 'string') return node;
  if (node instanceof YScalar) return scalarToJson(node);
  if (Array.isArray(node)) return node.map(toJsonValue);
  const obj: JsonObject = {};
  for (const [k, v] of node) setOwn(obj, k, toJsonValue(v));
  return obj;
}

/** JSON data back to nodes, as kyaml parses json.Marshal output (numbers keep Go's JSON text). */
export function fromJsonValue(value: unknown): YNode {
  if (value === null || value === undefined) return NULL;
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return new YScalar('bool', value ? 'true' : 'false');
    case 'bigint':
      return new YScalar('int', value.toString());
    case 'number':
      // Go writes integral floats without a fraction, so kyaml reads them back as ints.
      if (Number.isInteger(value) && Math.abs(value) < 1e21) return new YScalar('int', formatGoJsonFloat(value));
      return new YScalar('float', formatGoJsonFloat(value));
    case 'object': {
      if (Array.isArray(value)) return value.map(fromJsonValue);
      const out: YMap = new Map();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.set(k, fromJsonValue(v));
      return out;
    }
    default:
      throw new Error(`cannot convert ${typeof value} to YAML`);
  }
}

/** A node after a JSON round trip (kustomize's JSON 6902 patches re-read the resource this way). */
export function normalizeThroughJson(node: YNode): YNode {
  return fromJsonValue(toJsonValue(node));
}
