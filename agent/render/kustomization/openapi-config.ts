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
  /** The schema the last setting chose, loaded at the next use. */
  readonly pending: { readonly key: string; readonly schema: () => OpenApiSchema };
  /** Whether `pending` has been loaded since it was chosen (kyaml's schemaInit). */
  readonly initialized: boolean;
  /**
   * The schema in use: every schema loaded so far, later definitions over earlier ones (kyaml adds
   * each loaded document's definitions to the global schema and never clears it).
   */
  readonly schema: OpenApiSchema;
  /** Identifies the loaded schemas, in order, for caches. */
  readonly key: string;
}

const EMPTY_SCHEMA: OpenApiSchema = { roots: {}, definitions: {} };

export const INITIAL_OPENAPI_STATE: OpenApiState = {
  set: false,
  pending: { key: 'builtin', schema: () => BUILTIN_SCHEMA },
  initialized: false,
  schema: EMPTY_SCHEMA,
  key: '',
};

/** A custom document as loaded: its digest now, its schema when it takes effect. */
export interface CustomOpenApi {
  readonly digest: string;
  readonly parse: () => OpenApiSchema;
}

/** The state after a kustomization's `openapi:` field (kyaml's SetSchema; undefined: no field). */
export function nextOpenApiState(state: OpenApiState, field: Readonly<Record<string, string>> | undefined, custom: CustomOpenApi | undefined, reset: boolean): OpenApiState {
  if (state.set && !reset) return state;
  const version = field?.version;
  if (custom) {
    if (version !== undefined) throw new OpenApiSchemaError('builtin version and custom schema provided, cannot use both');
    return { ...state, set: true, initialized: false, pending: { key: `custom:${custom.digest}`, schema: custom.parse } };
  }
  if (version === undefined || version === '') return state;
  if (version !== BUILTIN_OPENAPI_VERSION) throw new OpenApiSchemaError(`the specified OpenAPI version is not built in: "${version}" (kustomize has only ${BUILTIN_OPENAPI_VERSION})`);
  return { ...state, set: true, initialized: false, pending: INITIAL_OPENAPI_STATE.pending };
}

/**
 * The state once the schema is used (kyaml's initSchema): the pending schema's definitions are
 * added to those loaded before. Throws OpenApiSchemaError for an invalid custom document.
 */
export function useOpenApiState(state: OpenApiState): OpenApiState {
  if (state.initialized) return state;
  const add = state.pending.schema();
  const schema =
    state.key === ''
      ? add
      : {
          roots: { ...state.schema.roots, ...add.roots },
          definitions: { ...state.schema.definitions, ...add.definitions },
          scopes: { ...state.schema.scopes, ...add.scopes },
        };
  return { ...state, initialized: true, schema, key: state.key === '' ? state.pending.key : `${state.key}+${state.pending.key}` };
}
