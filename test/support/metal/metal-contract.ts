// The Equinix Metal OpenAPI description, read at test time from the equinix-sdk-go Go module
// (spec/services/metalv1/oas3.fetched: openapi3.yaml plus one file per path and schema; the
// module is downloaded through the Go module proxy by test/support/build/download-metal-spec.sh
// and never committed), cut down to the operations Drover's Metal client calls, as an
// ApiContract for the local Metal server.
//
// Stricter than the description in one way: an object schema that lists its properties and
// says nothing about others is taken as closed (additionalProperties: false), so a stand-in
// answer with a field the description does not have is a violation too.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ApiContract, type OperationSpec } from '../forge/openapi-contract.js';

/** The operations of the Metal API that Drover's client calls: [operationId, method, path]. */
export const METAL_OPERATIONS = [
  ['findPlans', 'get', '/plans'],
  ['findPlansByProject', 'get', '/projects/{id}/plans'],
  ['findMetros', 'get', '/locations/metros'],
  ['findOperatingSystems', 'get', '/operating-systems'],
  ['checkCapacityForMetro', 'post', '/capacity/metros'],
  ['findProjectDevices', 'get', '/projects/{id}/devices'],
  ['findDeviceById', 'get', '/devices/{id}'],
] as const;

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'download-metal-spec.sh');
const ID = 'metal:';

let specDir: string | undefined;

/** Downloads the module if needed (cached by Go) and returns the description's directory. */
export function metalSpecDir(): string {
  specDir ??= execFileSync('nice', ['-n', '10', SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return specDir;
}

interface Parameter {
  name: string;
  in: string;
  schema?: object;
  $ref?: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

export function loadMetalContract(dir = metalSpecDir()): ApiContract {
  const root = parse(readFileSync(join(dir, 'openapi3.yaml'), 'utf8')) as { info: { version: string }; paths: Record<string, { $ref?: string }> };
  const files = new Map<string, unknown>();
  /** A spec file (path relative to the spec root), its $refs rewritten to `metal:/<file>`. */
  const load = (file: string): unknown => {
    if (!files.has(file)) {
      files.set(file, null);
      const doc = rewrite(parse(readFileSync(join(dir, file), 'utf8')) as unknown, posix.dirname(file));
      files.set(file, doc);
    }
    return files.get(file);
  };
  const rewrite = (node: unknown, base: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, base));
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) {
        const [file, fragment] = v.split('#');
        const target = posix.normalize(posix.join(base, file!));
        queue.push(target);
        out[k] = `${ID}/${target}${fragment ? `#${fragment}` : ''}`;
      } else out[k] = rewrite(v, base);
    }
    const o = out as { type?: string; properties?: object; additionalProperties?: unknown };
    if (o.properties && (o.type === 'object' || o.type === undefined) && o.additionalProperties === undefined) o.additionalProperties = false;
    return out;
  };
  const queue: string[] = [];

  const ops: OperationSpec[] = METAL_OPERATIONS.map(([operationId, method, template]) => {
    const ref = root.paths[template]?.$ref;
    if (!ref) throw new Error(`Metal OpenAPI ${root.info.version} (${dir}): no path ${template}`);
    const pathFile = posix.normalize(ref);
    const item = load(pathFile) as Record<string, Operation>;
    const op = item[method];
    if (!op || op.operationId !== operationId) throw new Error(`Metal OpenAPI: ${method.toUpperCase()} ${template} is not ${operationId}`);
    const query: Record<string, object> = {};
    for (const p of op.parameters ?? []) {
      const param = p.$ref ? (resolveRef(p.$ref) as Parameter) : p;
      if (param.in === 'query' && param.schema) query[param.name] = param.schema;
    }
    const responses: Record<string, object | undefined> = {};
    for (const [status, r] of Object.entries(op.responses)) responses[status] = r.content?.['application/json']?.schema;
    const body = op.requestBody?.content['application/json']?.schema;
    return { operationId, method: method.toUpperCase(), template, query, requestBody: body, responses };
  });
  function resolveRef(ref: string): unknown {
    return load(ref.slice(ID.length + 1).split('#')[0]!);
  }
  // Every file a loaded file refers to, transitively, becomes a schema document under its id.
  while (queue.length) load(queue.shift()!);
  const documents: Record<string, object> = {};
  for (const [file, doc] of files) if (file.startsWith('components/schemas/') && doc) documents[`${ID}/${file}`] = doc as object;
  return new ApiContract(`Equinix Metal API (equinix-sdk-go metalv1 oas3.fetched, info.version ${root.info.version})`, ops, documents, () => ({ $ref: `${ID}/components/schemas/Error.yaml` }));
}
