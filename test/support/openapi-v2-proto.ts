// Reads the parts of a gnostic OpenAPI v2 protobuf document (kyaml's embedded swagger.pb) that
// kustomize's strategic merge and scope lookups use: definitions (refs, properties, items,
// additionalProperties, vendor extensions) and the GET operations' group-version-kind per path.
// Field numbers are those of github.com/google/gnostic-models openapiv2/OpenAPIv2.proto.
import { parse as parseYaml } from 'yaml';

/** One field of a protobuf message: its number and its bytes (length-delimited) or number. */
type Field = { n: number; bytes?: Uint8Array; num?: bigint };

function readVarint(buf: Uint8Array, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos.i++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
}

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = Number(readVarint(buf, pos));
    const n = key >>> 3;
    switch (key & 7) {
      case 0:
        out.push({ n, num: readVarint(buf, pos) });
        break;
      case 1:
        pos.i += 8;
        out.push({ n });
        break;
      case 2: {
        const len = Number(readVarint(buf, pos));
        out.push({ n, bytes: buf.subarray(pos.i, pos.i + len) });
        pos.i += len;
        break;
      }
      case 5:
        pos.i += 4;
        out.push({ n });
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7} at byte ${pos.i}`);
    }
  }
  return out;
}

const text = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('utf8') : '');
const all = (fs: Field[], n: number): Uint8Array[] => fs.filter((f) => f.n === n && f.bytes).map((f) => f.bytes!);
const one = (fs: Field[], n: number): Uint8Array | undefined => all(fs, n)[0];

export interface SwaggerSchema {
  readonly ref?: string;
  readonly properties?: ReadonlyMap<string, SwaggerSchema>;
  readonly additionalProperties?: SwaggerSchema;
  readonly items?: SwaggerSchema;
  /** Vendor extensions (x-kubernetes-…), decoded from their YAML. */
  readonly extensions: ReadonlyMap<string, unknown>;
}

/** NamedAny list → name → value (Any.yaml decoded). */
function extensionsOf(named: Uint8Array[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const na of named) {
    const f = fields(na);
    const anyMsg = one(f, 2);
    out.set(text(one(f, 1)), anyMsg ? parseYaml(text(one(fields(anyMsg), 2))) : undefined);
  }
  return out;
}

function schemaOf(buf: Uint8Array): SwaggerSchema {
  const f = fields(buf);
  const ref = one(f, 1);
  const props = one(f, 25);
  const additional = one(f, 21);
  const items = one(f, 23);
  let additionalProperties: SwaggerSchema | undefined;
  if (additional) {
    const s = one(fields(additional), 1);
    if (s) additionalProperties = schemaOf(s);
  }
  let itemSchema: SwaggerSchema | undefined;
  if (items) {
    const s = one(fields(items), 1);
    if (s) itemSchema = schemaOf(s);
  }
  return {
    ...(ref ? { ref: text(ref) } : {}),
    ...(props ? { properties: namedSchemas(all(fields(props), 1)) } : {}),
    ...(additionalProperties ? { additionalProperties } : {}),
    ...(itemSchema ? { items: itemSchema } : {}),
    extensions: extensionsOf(all(f, 31)),
  };
}

function namedSchemas(named: Uint8Array[]): Map<string, SwaggerSchema> {
  const out = new Map<string, SwaggerSchema>();
  for (const ns of named) {
    const f = fields(ns);
    const value = one(f, 2);
    out.set(text(one(f, 1)), value ? schemaOf(value) : { extensions: new Map() });
  }
  return out;
}

export interface SwaggerDocument {
  readonly definitions: ReadonlyMap<string, SwaggerSchema>;
  /** Path → the group-version-kinds its GET operation names (x-kubernetes-group-version-kind). */
  readonly getKinds: ReadonlyMap<string, unknown>;
}

export function parseOpenApiV2(buf: Uint8Array): SwaggerDocument {
  const doc = fields(buf);
  const defs = one(doc, 9);
  const definitions = defs ? namedSchemas(all(fields(defs), 1)) : new Map<string, SwaggerSchema>();
  const getKinds = new Map<string, unknown>();
  const paths = one(doc, 8);
  for (const np of paths ? all(fields(paths), 2) : []) {
    const f = fields(np);
    const item = one(f, 2);
    const get = item ? one(fields(item), 2) : undefined;
    if (!get) continue;
    const gvk = extensionsOf(all(fields(get), 13)).get('x-kubernetes-group-version-kind');
    if (gvk !== undefined) getKinds.set(text(one(f, 1)), gvk);
  }
  return { definitions, getKinds };
}
