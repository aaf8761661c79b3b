/**
 * kustomize's `crds:` (LoadConfigFromCRDs): each file holds OpenAPI definitions (JSON when it
 * starts with "{", else YAML) keyed by type name (`group.version.Kind`, e.g.
 * `example.com/pkg/apis/v1.MyKind`). For every definition that looks like a Kubernetes type (it
 * has kind, apiVersion and metadata properties), its properties — following `$ref`s into other
 * definitions — are searched for kustomize's extensions, which become field specs for the kind:
 * `x-kubernetes-annotation` (commonAnnotations), `x-kubernetes-label-selector` (commonLabels),
 * `x-kubernetes-identity` (namePrefix), and `x-kubernetes-object-ref-kind` with
 * `x-kubernetes-object-ref-api-version` (and `x-kubernetes-object-ref-name-key`, default `name`)
 * (a name reference to that kind).
 */
import { toTransformerConfig, type TransformerConfig } from './field-specs.js';
import type { JsonValue } from '../yaml/json-form.js';

type Json = JsonValue;
type Obj = { [k: string]: Json };

export class CrdConfigError extends Error {}

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An extension as go-openapi's Extensions.GetString reads it: key case-insensitive, string values only. */
function extension(schema: Obj, key: string): string | undefined {
  for (const [k, v] of Object.entries(schema)) if (k.toLowerCase() === key && typeof v === 'string') return v;
  return undefined;
}

function propertiesOf(def: Json | undefined): Obj | undefined {
  if (!isObj(def)) return undefined;
  const schema = def.Schema;
  if (!isObj(schema)) return undefined;
  return isObj(schema.properties) ? schema.properties : undefined;
}

/** The field specs the definitions in one `crds:` file declare. */
export function configFromCrdDefinitions(defs: Json): TransformerConfig {
  if (!isObj(defs)) throw new CrdConfigError('expected a mapping of type names to OpenAPI definitions');
  const out = { commonAnnotations: [] as Obj[], commonLabels: [] as Obj[], namePrefix: [] as Obj[], nameReference: [] as Obj[] };
  for (const name of Object.keys(defs).sort()) {
    const props = propertiesOf(defs[name]);
    if (!props || !('kind' in props) || !('apiVersion' in props) || !('metadata' in props)) continue;
    if (name.split('.').length < 3) throw new CrdConfigError('`api` should be specified in dot notation: group.version.kind');
    const kind = name.split('.').pop()!;
    const fs = (path: string[]): Obj => ({ kind, path: path.join('/'), create: false });
    const walk = (typeName: string, path: string[]): void => {
      const p = propertiesOf(defs[typeName]);
      if (!p || path.length > 64) return;
      for (const [prop, schema] of Object.entries(p)) {
        if (!isObj(schema)) continue;
        const here = [...path, prop];
        if (extension(schema, 'x-kubernetes-annotation') !== undefined) out.commonAnnotations.push(fs(here));
        if (extension(schema, 'x-kubernetes-label-selector') !== undefined) out.commonLabels.push(fs(here));
        if (extension(schema, 'x-kubernetes-identity') !== undefined) out.namePrefix.push(fs(here));
        const version = extension(schema, 'x-kubernetes-object-ref-api-version');
        const refKind = extension(schema, 'x-kubernetes-object-ref-kind');
        if (version !== undefined && refKind !== undefined) {
          const nameKey = extension(schema, 'x-kubernetes-object-ref-name-key') ?? 'name';
          const existing = out.nameReference.find((r) => r.kind === refKind && r.version === version);
          if (existing) (existing.fieldSpecs as Obj[]).push(fs([...here, nameKey]));
          else out.nameReference.push({ kind: refKind, version, fieldSpecs: [fs([...here, nameKey])] });
        }
        const ref = schema.$ref;
        if (typeof ref === 'string' && ref !== '') walk(ref, here);
      }
    };
    walk(name, []);
  }
  return toTransformerConfig(out);
}
