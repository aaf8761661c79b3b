/**
 * The content-hash name suffix of generated ConfigMaps and Secrets, computed like kustomize's
 * hasher: sha256 of the JSON of {kind, name, data[, binaryData]} (Secrets: {kind, type, name,
 * data[, stringData]}), its first ten hex digits with 0,1,3,a,e mapped to g,h,k,m,t. kustomize
 * looks the name up under a key that never matches, so "name" is always "" in that JSON.
 */
import { createHash } from 'node:crypto';
import { goJsonMarshal } from '../yaml/go-json.js';
import { toJsonValue, type JsonObject, type JsonValue } from '../yaml/json-form.js';
import type { Resource } from '../kustomization/resource.js';
import { scalarText, type YMap } from '../yaml/yaml-value.js';

const ENCODE: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };

export function encodeHash(hex: string): string {
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ENCODE[c]!);
}

/** What json.Unmarshal into map[string]interface{} gives back: numbers become float64. */
function asGoDecoded(v: JsonValue): JsonValue {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(asGoDecoded);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = asGoDecoded(x);
    return out;
  }
  return v;
}

function fieldValue(obj: YMap, field: string): JsonValue {
  const v = obj.get(field);
  if (v === undefined) return '';
  if (v instanceof Map) return asGoDecoded(toJsonValue(v));
  if (Array.isArray(v)) return null;
  return scalarText(v);
}

function isObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function contentHash(r: Resource): string {
  const obj = r.obj;
  let doc: JsonObject;
  if (r.kind === 'ConfigMap') {
    doc = { kind: 'ConfigMap', name: '', data: fieldValue(obj, 'data') };
    const bin = fieldValue(obj, 'binaryData');
    if (isObject(bin)) doc.binaryData = bin;
  } else if (r.kind === 'Secret') {
    doc = { kind: 'Secret', type: fieldValue(obj, 'type'), name: '', data: fieldValue(obj, 'data') };
    const sd = fieldValue(obj, 'stringData');
    if (isObject(sd)) doc.stringData = sd;
  } else {
    doc = toJsonValue(obj) as JsonObject;
  }
  return encodeHash(createHash('sha256').update(goJsonMarshal(doc)).digest('hex'));
}

/** kustomize's HashTransformer: `name-<hash>` for every resource that asked for it. */
export function addHashSuffixes(resources: readonly Resource[]): void {
  for (const r of resources) {
    if (!r.needsHashSuffix) continue;
    const h = contentHash(r);
    r.storePreviousId();
    r.setName(`${r.name}-${h}`);
  }
}
