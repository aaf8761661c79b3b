/**
 * The shape of a kustomization file (kustomize's types.Kustomization and the types it embeds),
 * as data for the strict decoder: every field kustomize knows, whether Drover supports it, and
 * the Go type name kustomize names in its errors.
 */
export type FieldType =
  | { readonly t: 'string' }
  | { readonly t: 'bool' }
  | { readonly t: 'int' }
  | { readonly t: 'list'; readonly of: FieldType }
  | { readonly t: 'map'; readonly of: FieldType }
  | { readonly t: 'struct'; readonly name: string; readonly fields: Readonly<Record<string, FieldType>> };

const str = { t: 'string' } as const;
const bool = { t: 'bool' } as const;
const int = { t: 'int' } as const;
const list = (of: FieldType): FieldType => ({ t: 'list', of });
const map = (of: FieldType): FieldType => ({ t: 'map', of });
const struct = (name: string, fields: Record<string, FieldType>): FieldType => ({ t: 'struct', name, fields });

const gvk = { group: str, version: str, kind: str };
const resId = { ...gvk, name: str, namespace: str };

export const selectorType = struct('Selector', { ...resId, annotationSelector: str, labelSelector: str });
export const fieldSpecType = struct('FieldSpec', { ...gvk, path: str, create: bool });
const generatorOptions = struct('GeneratorOptions', {
  labels: map(str),
  annotations: map(str),
  disableNameSuffixHash: bool,
  immutable: bool,
});
const generatorArgs = {
  namespace: str,
  name: str,
  behavior: str,
  literals: list(str),
  files: list(str),
  envs: list(str),
  env: str,
  options: generatorOptions,
};
const fieldOptions = struct('FieldOptions', { delimiter: str, index: int, encoding: str, create: bool });
const replacement = {
  source: struct('SourceSelector', { ...resId, fieldPath: str, options: fieldOptions }),
  targets: list(
    struct('TargetSelector', {
      select: selectorType,
      reject: list(selectorType),
      fieldPaths: list(str),
      options: fieldOptions,
    }),
  ),
};
const patch = struct('Patch', { path: str, patch: str, target: selectorType, options: map(bool) });

/** Fields Drover reads. Everything else kustomize knows is rejected with "unsupported field". */
export const kustomizationType = struct('Kustomization', {
  kind: str,
  apiVersion: str,
  metadata: struct('ObjectMeta', { name: str, namespace: str, labels: map(str), annotations: map(str) }),
  namePrefix: str,
  nameSuffix: str,
  namespace: str,
  commonLabels: map(str),
  labels: list(struct('Label', { pairs: map(str), includeSelectors: bool, includeTemplates: bool, fields: list(fieldSpecType) })),
  commonAnnotations: map(str),
  patchesStrategicMerge: list(str),
  patchesJson6902: list(patch),
  patches: list(patch),
  images: list(struct('Image', { name: str, newName: str, tagSuffix: str, newTag: str, digest: str })),
  imageTags: list(struct('Image', { name: str, newName: str, tagSuffix: str, newTag: str, digest: str })),
  replacements: list(struct('ReplacementField', { ...replacement, path: str })),
  replicas: list(struct('Replica', { name: str, count: int })),
  sortOptions: struct('SortOptions', {
    order: str,
    legacySortOptions: struct('LegacySortOptions', { orderFirst: list(str), orderLast: list(str) }),
  }),
  resources: list(str),
  components: list(str),
  bases: list(str),
  configMapGenerator: list(struct('ConfigMapArgs', generatorArgs)),
  secretGenerator: list(struct('SecretArgs', { ...generatorArgs, type: str })),
  generatorOptions,
  configurations: list(str),
  transformers: list(str),
  generators: list(str),
  vars: list(
    struct('Var', {
      name: str,
      objref: struct('Target', { apiVersion: str, ...resId }),
      fieldref: struct('FieldSelector', { fieldPath: str }),
    }),
  ),
  buildMetadata: list(str),
  crds: list(str),
  openapi: map(str),
});

/** Fields kustomize accepts that Drover refuses, with the reason shown to the user. */
export const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  helmGlobals: 'Helm charts are not supported (no exec)',
  helmCharts: 'Helm charts are not supported (no exec)',
  helmChartInflationGenerator: 'Helm charts are not supported (no exec)',
  validators: 'validator plugins are not supported (no exec or KRM functions)',
};

/** A replacements file (`replacements: [{path: f}]`) holds a list of these. */
export const replacementType = struct('Replacement', replacement);

const objectMeta = struct('ObjectMeta', { name: str, namespace: str, labels: map(str), annotations: map(str) });
const fieldSpecs = list(fieldSpecType);

/**
 * The configuration of each built-in plugin kustomize can load from `transformers:` and
 * `generators:` (apiVersion: builtin), as its Go struct reads it (unknown fields ignored).
 */
export const BUILTIN_PLUGIN_TYPES: Readonly<Record<string, FieldType>> = {
  AnnotationsTransformer: struct('AnnotationsTransformerPlugin', { annotations: map(str), fieldSpecs }),
  LabelTransformer: struct('LabelTransformerPlugin', { labels: map(str), fieldSpecs }),
  NamespaceTransformer: struct('NamespaceTransformerPlugin', { metadata: objectMeta, fieldSpecs, unsetOnly: bool, setRoleBindingSubjects: str }),
  PrefixSuffixTransformer: struct('PrefixSuffixTransformerPlugin', { prefix: str, suffix: str, fieldSpecs }),
  PrefixTransformer: struct('PrefixTransformerPlugin', { prefix: str, fieldSpecs }),
  SuffixTransformer: struct('SuffixTransformerPlugin', { suffix: str, fieldSpecs }),
  ImageTagTransformer: struct('ImageTagTransformerPlugin', { imageTag: struct('Image', { name: str, newName: str, tagSuffix: str, newTag: str, digest: str }), fieldSpecs }),
  ReplicaCountTransformer: struct('ReplicaCountTransformerPlugin', { replica: struct('Replica', { name: str, count: int }), fieldSpecs }),
  PatchTransformer: struct('PatchTransformerPlugin', { path: str, patch: str, target: selectorType, options: map(bool) }),
  PatchStrategicMergeTransformer: struct('PatchStrategicMergeTransformerPlugin', { paths: list(str), patches: str }),
  PatchJson6902Transformer: struct('PatchJson6902TransformerPlugin', { target: selectorType, path: str, jsonOp: str }),
  ReplacementTransformer: struct('ReplacementTransformerPlugin', { replacements: list(struct('ReplacementField', { ...replacement, path: str })) }),
  HashTransformer: struct('HashTransformerPlugin', {}),
  ConfigMapGenerator: struct('ConfigMapGeneratorPlugin', { metadata: objectMeta, ...generatorArgs }),
  SecretGenerator: struct('SecretGeneratorPlugin', { metadata: objectMeta, ...generatorArgs, type: str }),
};
