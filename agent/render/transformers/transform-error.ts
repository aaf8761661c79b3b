/**
 * A failure inside a transformer or generator. The build turns it into an Issue located at the
 * kustomization field that configured the step, naming the object and field when known.
 */
import type { ObjectRef } from '../../core/object-ref.js';
import type { Resource } from '../kustomization/resource.js';

export class TransformError extends Error {
  constructor(
    message: string,
    readonly object?: ObjectRef,
    /** Field path inside the object, e.g. "spec.replicas". */
    readonly field?: string,
    /** Path below the kustomization entry at fault, e.g. ['target', 'name']. */
    readonly entryPath: (string | number)[] = [],
  ) {
    super(message);
  }

  static refOf(r: Resource): ObjectRef {
    return { apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace || undefined };
  }

  /** Runs `fn`, re-throwing any plain error as a TransformError naming the resource and field. */
  static wrap<T>(r: Resource, field: string | undefined, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof TransformError) {
        if (e.object) throw e;
        throw new TransformError(e.message, TransformError.refOf(r), e.field ?? field, e.entryPath);
      }
      throw new TransformError((e as Error).message, TransformError.refOf(r), field);
    }
  }
}
