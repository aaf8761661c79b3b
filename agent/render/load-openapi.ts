/**
 * Applies a kustomization's `openapi:` field to the build's schema setting when the
 * kustomization is loaded (see kustomization/openapi-config.ts for kustomize's rules). The
 * custom document is read through the kustomization's loader (same boundary and load
 * restrictor as its other files), even when an earlier kustomization already set the schema.
 */
import { createHash } from 'node:crypto';
import { BuildFailure, issueAt, toIssues, type BuildContext, type Target } from './build-context.js';
import { OpenApiSchemaError, toCustomOpenApiSchema } from './data/custom-openapi-schema.js';
import { nextOpenApiState, useOpenApiState, type CustomOpenApi } from './kustomization/openapi-config.js';
import { isBuiltinKind, type OpenApiSchema } from './data/kind-info.js';
import type { Resource } from './kustomization/resource.js';
import { toJsonValue, type JsonValue } from './yaml/json-form.js';
import { parseYamlDocuments } from './yaml/yaml-parse.js';

function loadCustom(ctx: BuildContext, t: Target, rel: string): CustomOpenApi {
  let text: string;
  let file: string;
  try {
    const loaded = t.loader.load(rel);
    file = loaded.path;
    text = Buffer.from(loaded.data).toString('utf8');
  } catch (e) {
    throw new BuildFailure(toIssues(e, t, ['openapi', 'path']));
  }
  const parse = (): ReturnType<CustomOpenApi['parse']> => {
    let doc: JsonValue;
    try {
      if (text.startsWith('{')) doc = JSON.parse(text) as JsonValue;
      else {
        const limits = { maxAliasCount: ctx.options.maxAliasCount, maxDocumentBytes: ctx.options.maxDocumentBytes };
        const first = parseYamlDocuments(text, { limits })[0];
        if (first === undefined) throw new OpenApiSchemaError('the file is empty');
        doc = toJsonValue(first.value);
      }
      return toCustomOpenApiSchema(doc);
    } catch (e) {
      // kustomize panics here ("invalid schema file: …"), when the schema is first used.
      throw new BuildFailure([issueAt(t, ['openapi', 'path'], `invalid schema file ${file}: ${(e as Error).message}`, 'InvalidOpenApi')]);
    }
  };
  return { digest: createHash('sha256').update(text).digest('hex'), parse };
}

/** kustomize's SetSchema for kustomization `t`: `reset` for the top kustomization only. */
export function applyOpenApiField(ctx: BuildContext, t: Target, reset: boolean): void {
  const field = t.k.openapi;
  if (field === undefined) return;
  const custom = field.path !== undefined ? loadCustom(ctx, t, field.path) : undefined;
  try {
    ctx.openapi = nextOpenApiState(ctx.openapi, field, custom, reset);
  } catch (e) {
    if (!(e instanceof OpenApiSchemaError)) throw e;
    const at = field.version !== undefined ? 'version' : 'path';
    throw new BuildFailure([issueAt(t, ['openapi', at], e.message, 'InvalidOpenApi')]);
  }
}

/**
 * The schema to merge with, loading a newly set one first (kyaml's initSchema). kustomize loads
 * it on the first lookup: any strategic merge, or any resource of a kind outside its built-in
 * table (`resources` given: load only if one of them is such a kind).
 */
export function useOpenApi(ctx: BuildContext, resources?: readonly Resource[]): OpenApiSchema {
  if (!ctx.openapi.initialized && (resources === undefined || resources.some((r) => !isBuiltinKind(r.apiVersion, r.kind)))) {
    ctx.openapi = useOpenApiState(ctx.openapi);
  }
  return ctx.openapi.schema;
}
