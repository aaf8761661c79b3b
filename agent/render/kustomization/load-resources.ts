/**
 * Turns a YAML file into resources as kustomize's resource factory does: documents split and
 * parsed, empty ones skipped, a one-document `List` unwrapped, any other `…List` with `items`
 * inlined (its items through a JSON round trip), and every object required to have a kind and,
 * unless it is a list, a metadata.name.
 */
import type { Issue } from '../../core/errors.js';
import { normalizeThroughJson } from '../yaml/json-form.js';
import { Resource } from './resource.js';
import { YamlLimitError, YamlSyntaxError, parseYamlDocuments, splitDocuments, type YamlLimits } from '../yaml/yaml-parse.js';
import { getString, isNullish, type YNode } from '../yaml/yaml-value.js';

export class ResourceFileError extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
  }
}

function issue(file: string, line: number | undefined, col: number | undefined, message: string, code: string): ResourceFileError {
  return new ResourceFileError({ code, file, line, col, path: [], message });
}

function kindOf(v: YNode): string {
  return getString(v, 'kind');
}

function validate(v: YNode, file: string, line: number): void {
  if (!(v instanceof Map)) throw issue(file, line, 1, 'a resource must be a mapping with apiVersion, kind and metadata', 'MissingMetadata');
  const kind = kindOf(v);
  if (kind === '') throw issue(file, line, 1, 'missing kind in object', 'MissingKind');
  if (kind.endsWith('List')) return;
  const name = getString(v.get('metadata'), 'name');
  if (name === '') throw issue(file, line, 1, `missing metadata.name in ${kind} object`, 'MissingName');
}

function isEmptyNode(v: YNode): boolean {
  return isNullish(v) || (v instanceof Map && v.size === 0) || (Array.isArray(v) && v.length === 0) || v === '';
}

/** Parses a file of resources. Throws ResourceFileError (with file:line:col) on any problem. */
export function parseResourceFile(text: string, file: string, limits?: YamlLimits): Resource[] {
  let docs;
  try {
    docs = parseYamlDocuments(text, limits ? { limits } : {});
  } catch (e) {
    if (e instanceof YamlLimitError) throw issue(file, e.line, e.col, e.message, 'OverLimit');
    if (e instanceof YamlSyntaxError) throw issue(file, e.line, e.col, `invalid YAML: ${e.message}`, 'MalformedYAML');
    throw e;
  }
  const onePiece = splitDocuments(text.replaceAll('\r\n', '\n')).length === 1;
  let nodes: { value: YNode; line: number }[] = [];
  for (const d of docs) {
    if (isNullish(d.value)) continue;
    const v = d.value;
    if (onePiece && v instanceof Map && (kindOf(v) === 'List' || kindOf(v) === 'ResourceList') && (v.has('items') || v.has('functionConfig'))) {
      const items = v.get('items');
      if (Array.isArray(items)) for (const item of items) nodes.push({ value: item, line: d.line });
      continue;
    }
    nodes.push({ value: v, line: d.line });
  }
  nodes = nodes.filter((n) => !isEmptyNode(n.value));
  for (const n of nodes) validate(n.value, file, n.line);
  const out: Resource[] = [];
  while (nodes.length > 0) {
    const n = nodes.shift()!;
    const kind = kindOf(n.value);
    const map = n.value as Map<string, YNode>;
    if (!kind.endsWith('List') || !map.has('items')) {
      out.push(new Resource(map, { file, line: n.line }));
      continue;
    }
    const items = map.get('items')!;
    if (isNullish(items)) continue;
    if (!Array.isArray(items)) throw issue(file, n.line, 1, `expected array in ${kind}/items`, 'InvalidList');
    const inner: { value: YNode; line: number }[] = [];
    for (const item of items) {
      let v = normalizeThroughJson(item);
      if (v instanceof Map && (kindOf(v) === 'List' || kindOf(v) === 'ResourceList') && (v.has('items') || v.has('functionConfig'))) {
        const sub = v.get('items');
        for (const s of Array.isArray(sub) ? sub : []) inner.push({ value: s, line: n.line });
        continue;
      }
      if (isEmptyNode(v)) continue;
      v = v as YNode;
      inner.push({ value: v, line: n.line });
    }
    for (const i of inner) validate(i.value, file, i.line);
    nodes.push(...inner);
  }
  return out;
}
