// Validates requests and responses of a forge stand-in against a published API description
// (an OpenAPI 3.0 document such as GitHub's, or hand-written JSON schemas from a forge's docs),
// with ajv. Every mismatch is kept as a violation so a test can assert there were none.
import { Ajv, type ValidateFunction } from 'ajv';

export interface OperationSpec {
  readonly operationId: string;
  readonly method: string;
  /** Path template as the description writes it: `/repos/{owner}/{repo}/statuses/{sha}`. */
  readonly template: string;
  /** Schemas of the query parameters that the stand-in checks, by name. */
  readonly query: Record<string, object>;
  /** Schema of the JSON request body, if the operation takes one. */
  readonly requestBody?: object | undefined;
  /** Schema of each documented response status. */
  readonly responses: Record<string, object | undefined>;
}

export class ApiContract {
  readonly violations: string[] = [];
  private readonly ajv: Ajv;
  private readonly cache = new Map<object, ValidateFunction>();

  /** `documents`: schemas registered under an id (`gh`), so `{ $ref: 'gh#/components/…' }` resolves. */
  constructor(
    readonly name: string,
    private readonly operations: readonly OperationSpec[],
    documents: Record<string, object> = {},
    /**
     * Schema for an error status an operation does not list (GitHub documents its 422 for a
     * too-long status description only in prose): the error body must still have the forge's
     * error shape. Undefined: an undocumented status is a violation.
     */
    private readonly undocumentedError?: (status: number) => object | undefined,
  ) {
    this.ajv = new Ajv({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });
    for (const [id, doc] of Object.entries(documents)) this.ajv.addSchema(doc, id);
  }

  operation(operationId: string): OperationSpec {
    const op = this.operations.find((o) => o.operationId === operationId);
    if (!op) throw new Error(`${this.name}: no operation ${operationId} in the contract`);
    return op;
  }

  /** Checks the query and body of a request; returns the problems (and records them). */
  checkRequest(operationId: string, query: URLSearchParams, body: unknown): string[] {
    const op = this.operation(operationId);
    const problems: string[] = [];
    for (const [name, schema] of Object.entries(op.query)) {
      const raw = query.get(name);
      if (raw === null) continue;
      const type = (schema as { type?: string }).type;
      const value = type === 'integer' || type === 'number' ? (/^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw) : type === 'boolean' ? raw === 'true' ? true : raw === 'false' ? false : raw : raw;
      problems.push(...this.check(schema, value).map((e) => `query ${name}${e}`));
    }
    if (op.requestBody) problems.push(...this.check(op.requestBody, body).map((e) => `body${e}`));
    else if (body !== undefined) problems.push('body: the operation takes none');
    return this.record(`${operationId} request`, problems);
  }

  /** Checks a response body against the schema documented for its status. */
  checkResponse(operationId: string, status: number, body: unknown): string[] {
    const op = this.operation(operationId);
    if (!(String(status) in op.responses)) {
      const fallback = status >= 400 ? this.undocumentedError?.(status) : undefined;
      if (!fallback) return this.record(`${operationId} response`, [`status ${status} is not documented`]);
      return this.record(`${operationId} response ${status} (error shape)`, this.check(fallback, body).map((e) => `body${e}`));
    }
    const schema = op.responses[String(status)];
    return this.record(`${operationId} response ${status}`, schema ? this.check(schema, body).map((e) => `body${e}`) : []);
  }

  private check(schema: object, value: unknown): string[] {
    let validate = this.cache.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.cache.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || ''} ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
  }

  private record(where: string, problems: string[]): string[] {
    for (const p of problems) this.violations.push(`${this.name} ${where}: ${p}`);
    return problems;
  }
}
