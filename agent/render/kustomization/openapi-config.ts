/**
 * kustomize's `openapi:` field (kyaml's openapi.SetSchema). The schema is one setting per build,
 * changed as kustomizations are loaded: the top kustomization sets it first (`reset`), then
 * each base and component, when loaded, sets it only if nothing has set it yet (so the first
 * kustomization in load order with an `openapi:` field wins, and patches run before that use the
 * schema in effect then). `path` names a custom document that replaces the built-in schema;
 * `version` names a built-in one (only v1.21.2 exists); both at once are an error. A custom
 * document is parsed only when it takes effect.
 */
import { BUILTIN_SCHEMA, type OpenApiSchema } from '../data/kind-info.js';
import { OpenApiSchemaError } from '../data/custom-openapi-schema.js';

/** The only Kubernetes schema version kustomize v5.5 has built in. */
export const BUILTIN_OPENAPI_VERSION = 'v1.21.2';

export interface OpenApiState {
  /** Whether a kustomization has set the schema (kyaml: a version or a custom schema is set). */
  readonly set: boolean;
  readonly schema: OpenApiSchema;
  /** Identifies the schema for caches: `builtin`, or `custom:` and a digest of the document. */
  readonly key: string;
}

export const INITIAL_OPENAPI_STATE: OpenApiState = { set: false, schema: BUILTIN_SCHEMA, key: 'builtin' };

/** A custom document as loaded: its digest now, its schema when it takes effect. */
export interface CustomOpenApi {
  readonly digest: string;
  readonly parse: () => OpenApiSchema;
}

/** The state after a kustomization's `openapi:` field (undefined: no field). */
export function nextOpenApiState(state: OpenApiState, field: Readonly<Record<string, string>> | undefined, custom: CustomOpenApi | undefined, reset: boolean): OpenApiState {
  if (state.set && !reset) return state;
  const version = field?.version;
  if (custom) {
    if (version !== undefined) throw new OpenApiSchemaError('builtin version and custom schema provided, cannot use both');
    return { set: true, schema: custom.parse(), key: `custom:${custom.digest}` };
  }
  if (version === undefined || version === '') return state;
  if (version !== BUILTIN_OPENAPI_VERSION) throw new OpenApiSchemaError(`the specified OpenAPI version is not built in: "${version}" (kustomize has only ${BUILTIN_OPENAPI_VERSION})`);
  return { set: true, schema: BUILTIN_SCHEMA, key: 'builtin' };
}
