import type { Change, CostDelta, Finding, Plan } from './plan.js';
import type { PlanJson } from './plan-schema.js';

/** The plan as JSON (schema: plan-schema.ts, plan.schema.json), with absent fields left out. */
export function toPlanJson(plan: Plan): PlanJson {
  return {
    schemaVersion: 1,
    environment: plan.environment,
    revision: plan.revision,
    blocked: plan.blocked,
    counts: { ...plan.counts },
    clusters: plan.clusters.map((c) => ({ name: c.name, skipped: c.skipped, changes: c.changes.map(changeJson), findings: c.findings.map(findingJson), ...(c.cost ? { cost: costJson(c.cost) } : {}) })),
    changes: plan.changes.map(changeJson),
    findings: plan.findings.map(findingJson),
    ...(plan.cost ? { cost: costJson(plan.cost) } : {}),
  };
}

export function formatPlanJson(plan: Plan): string {
  return `${JSON.stringify(toPlanJson(plan), null, 2)}\n`;
}

function changeJson(c: Change): PlanJson['changes'][number] {
  const out: Record<string, unknown> = { type: c.type, object: c.object };
  for (const k of ['path', 'target', 'from', 'to', 'paths', 'machines', 'managers'] as const) if (c[k] !== undefined) out[k] = c[k];
  return out as PlanJson['changes'][number];
}

function findingJson(f: Finding): PlanJson['findings'][number] {
  return { severity: f.severity, code: f.code, message: f.message };
}

function costJson(c: CostDelta): NonNullable<PlanJson['cost']> {
  return { perHour: c.perHour, currency: c.currency, items: c.items.map((i) => ({ count: i.count, type: i.type, location: i.location, ...(i.perHour !== undefined ? { perHour: i.perHour } : {}) })) };
}
