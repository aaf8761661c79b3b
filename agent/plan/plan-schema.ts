import { z } from 'zod';
import { ChangeType, FindingCode, Severity } from './plan.js';

/**
 * The JSON form of a plan (`drover plan --output json`), version 1. format-json.ts emits it;
 * plan.schema.json is this schema as JSON Schema (regenerated and checked by the unit tests);
 * README.md explains each field.
 */
const values = <T extends Record<string, string>>(o: T) => Object.values(o) as [T[keyof T], ...Array<T[keyof T]>];

export const changeJsonSchema = z.strictObject({
  type: z.enum(values(ChangeType)).describe('create-cluster, delete-cluster, resize, upgrade, template-swap, update, create, delete or adopt'),
  object: z.string().describe('Kind/namespace/name of the object changed'),
  path: z.string().optional().describe('field changed, for resize, upgrade and template-swap (e.g. spec.replicas)'),
  target: z.string().optional().describe('which control plane or pool: "control plane" or a pool name'),
  from: z.unknown().optional().describe('live value (a number, version, template name, or a cluster summary for delete-cluster)'),
  to: z.unknown().optional().describe('value after apply (or a cluster summary for create-cluster)'),
  paths: z.array(z.string()).optional().describe('every field changed, for update and adopt'),
  machines: z.number().int().nonnegative().optional().describe('machines replaced by the rollout this change starts'),
  managers: z.array(z.string()).optional().describe('for adopt: the field managers that wrote the object so far'),
});

export const findingJsonSchema = z.strictObject({
  severity: z.enum(values(Severity)).describe('block: apply writes nothing; warn: apply proceeds'),
  code: z.enum(values(FindingCode)),
  message: z.string().describe('Kind/namespace/name, field, what is wrong and what to do'),
});

export const costJsonSchema = z
  .strictObject({
    perHour: z.number().describe('hourly cost change, the sum of the priced items'),
    currency: z.string().describe('ISO 4217 (USD for Equinix Metal)'),
    items: z.array(
      z.strictObject({
        count: z.number().int().describe('machines more (positive) or fewer (negative)'),
        type: z.string().describe("the provider's machine type (Metal: plan slug)"),
        location: z.string().describe("the provider's location (Metal: metro code)"),
        perHour: z.number().optional().describe('price of one machine per hour; absent when the provider has none'),
      }),
    ),
  })
  .describe('hourly cost change from the infrastructure provider (drover.yaml providers); absent without one');

export const planJsonSchema = z.strictObject({
  schemaVersion: z.literal(1),
  environment: z.string(),
  revision: z.string().describe('<ref>@sha1:<hash>'),
  blocked: z.boolean().describe('true when a finding blocks: apply writes nothing (exit code 2)'),
  counts: z.strictObject({
    desired: z.number().int().nonnegative().describe('objects Git declares'),
    create: z.number().int().nonnegative(),
    update: z.number().int().nonnegative(),
    delete: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative().describe('objects of paused or moving clusters'),
    adopt: z.number().int().nonnegative().describe('objects that exist in no inventory and that apply takes over'),
  }),
  clusters: z.array(
    z.strictObject({
      name: z.string().describe('namespace/name of the Cluster'),
      skipped: z.boolean().describe('paused or being moved: nothing applied or pruned'),
      changes: z.array(changeJsonSchema),
      findings: z.array(findingJsonSchema),
      cost: costJsonSchema.optional(),
    }),
  ),
  changes: z.array(changeJsonSchema).describe('changes to objects of no single cluster'),
  findings: z.array(findingJsonSchema).describe('findings about the environment as a whole'),
  cost: costJsonSchema.optional(),
});

export type PlanJson = z.infer<typeof planJsonSchema>;

/** The schema as a JSON Schema document (draft 2020-12). */
export function planJsonSchemaDocument(): Record<string, unknown> {
  return { $id: 'https://drover.dev/schemas/plan-v1.json', title: 'Drover plan', ...z.toJSONSchema(planJsonSchema) };
}
