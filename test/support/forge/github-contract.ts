// GitHub's published OpenAPI description (npm @octokit/openapi, api.github.com), cut down to
// the operations Drover calls, as an ApiContract for the GitHub stand-in server.
import { createRequire } from 'node:module';
import { ApiContract, type OperationSpec } from './openapi-contract.js';

interface OpenApiDoc {
  info: { version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: object; parameters: Record<string, Parameter>; responses: Record<string, { content?: Record<string, { schema: object }> }> };
}
interface Parameter {
  name: string;
  in: string;
  schema: object;
  $ref?: string;
}
interface OpenApiOperation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: object }> }>;
}

/** The operations of api.github.com that Drover's GitHub adapter uses or may use. */
export const GITHUB_OPERATIONS = [
  ['post', '/repos/{owner}/{repo}/statuses/{sha}'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/status'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/statuses'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['patch', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  ['get', '/repos/{owner}/{repo}/pulls'],
] as const;

let doc: OpenApiDoc | undefined;

/** The api.github.com description shipped in @octokit/openapi (loaded once; ~13 MB). */
export function githubOpenApi(): OpenApiDoc {
  doc ??= createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json') as OpenApiDoc;
  return doc;
}

export function loadGitHubContract(): ApiContract {
  const spec = githubOpenApi();
  const ops: OperationSpec[] = GITHUB_OPERATIONS.map(([method, template]) => {
    const op = spec.paths[template]?.[method];
    if (!op) throw new Error(`@octokit/openapi ${spec.info.version}: no ${method.toUpperCase()} ${template}`);
    const query: Record<string, object> = {};
    for (const p of op.parameters ?? []) {
      const param = p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : p;
      if (param.in === 'query') query[param.name] = rebase(param.schema);
    }
    const responses: Record<string, object | undefined> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const resolved = r.$ref ? spec.components.responses[r.$ref.split('/').pop()!]! : r;
      const schema = resolved.content?.['application/json']?.schema;
      responses[status] = schema ? rebase(schema) : undefined;
    }
    const body = op.requestBody?.content['application/json']?.schema;
    return { operationId: op.operationId, method: method.toUpperCase(), template, query, requestBody: body ? rebase(body) : undefined, responses };
  });
  return new ApiContract(`api.github.com (@octokit/openapi ${spec.info.version})`, ops, { gh: { components: spec.components } }, (status) =>
    status === 422 ? { $ref: 'gh#/components/schemas/validation-error' } : { $ref: 'gh#/components/schemas/basic-error' },
  );
}

/** Points `#/components/…` references of an inline schema at the registered document `gh`. */
function rebase(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"gh#/components/')) as object;
}
