import { formatRef, type ObjectRef } from './object-ref.js';
import { redactUrlCredentials } from './redact-url.js';

/** Terminal errors wait for a new revision (bad input); transient ones back off and retry. */
export const Retry = { Terminal: 'terminal', Transient: 'transient' } as const;
export type Retry = (typeof Retry)[keyof typeof Retry];

export const Stage = {
  Source: 'source',
  Fleet: 'fleet',
  Render: 'render',
  Plan: 'plan',
  Apply: 'apply',
  Health: 'health',
  Report: 'report',
  Provider: 'provider',
  Runtime: 'runtime',
  Cli: 'cli',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** One problem at one place. Render and fleet errors collect all of them before failing. */
export interface Issue {
  readonly code: string;
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  readonly col?: number | undefined;
  readonly object?: ObjectRef | undefined;
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Formats a field path as kustomize and kubectl print it: `spec.template.spec.containers[0].image`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** `<file:line:col> <Kind/ns/name> <field.path>: <message>`, leaving out the parts it lacks. */
export function formatIssue(issue: Issue): string {
  const where: string[] = [];
  if (issue.file !== undefined) {
    let loc = issue.file;
    if (issue.line !== undefined) loc += `:${issue.line}`;
    if (issue.line !== undefined && issue.col !== undefined) loc += `:${issue.col}`;
    where.push(loc);
  }
  if (issue.object) where.push(formatRef(issue.object));
  const path = formatPath(issue.path);
  if (path) where.push(path);
  return where.length ? `${where.join(' ')}: ${issue.message}` : issue.message;
}

export interface DroverErrorOptions {
  cause?: unknown;
  retry?: Retry;
  data?: Record<string, unknown>;
}

/** Base of every error Drover throws or returns. `code` is the class name. */
export abstract class DroverError extends Error {
  abstract readonly stage: Stage;
  readonly retry: Retry;
  readonly data: Record<string, unknown>;

  constructor(message: string, options: DroverErrorOptions = {}) {
    // Credentials in a URL never reach a message, whoever built it (see redact-url.ts).
    super(redactUrlCredentials(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.retry = options.retry ?? Retry.Terminal;
    this.data = options.data ?? {};
  }

  get code(): string {
    return this.constructor.name;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** An error made of several issues; its message lists every one of them, one per line. */
abstract class IssuesError extends DroverError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], options: DroverErrorOptions = {}) {
    const clean = issues.map((i) => (i.message.includes('@') ? { ...i, message: redactUrlCredentials(i.message) } : i));
    super(clean.map(formatIssue).join('\n'), options);
    this.issues = clean;
  }
}

/** `repo@ref …`: clone, fetch, auth and ref errors. */
export class SourceError extends DroverError {
  readonly stage = Stage.Source;
}
/** drover.yaml problems, with file:line and field path. */
export class FleetError extends IssuesError {
  readonly stage = Stage.Fleet;
}
/** Kustomize build problems, with file:line:col, object and field path. */
export class RenderError extends IssuesError {
  readonly stage = Stage.Render;
}
export class PlanError extends DroverError {
  readonly stage = Stage.Plan;
}
/** `Kind/ns/name <reason>: <cause>` from the apiserver. */
export class ApplyError extends DroverError {
  readonly stage = Stage.Apply;
}
export class HealthError extends DroverError {
  readonly stage = Stage.Health;
}
/** Forge and SHA in the message; never the token. */
export class ReportError extends DroverError {
  readonly stage = Stage.Report;
}
/** An infrastructure provider's API (Equinix Metal, …): the endpoint and the object it was for; never the token. */
export class ProviderError extends DroverError {
  readonly stage = Stage.Provider;
}
/** Bad configuration or command line. */
export class ConfigError extends IssuesError {
  readonly stage = Stage.Runtime;
}

export function isDroverError(e: unknown): e is DroverError {
  return e instanceof DroverError;
}
