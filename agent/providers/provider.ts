import type { KubeObject } from '../core/kube-object.js';
import type { ObjectRef } from '../core/object-ref.js';

/**
 * The seam between Drover and an infrastructure provider's own API (Equinix Metal, and next
 * AWS, Azure, vSphere, an on-premises bare-metal API). A provider is keyed by the infrastructure
 * API group and kinds it reads (`infrastructure.cluster.x-k8s.io` + `PacketMachineTemplate`).
 * Plan and health never call it: the orchestrator fetches a `ProviderReport` (provider-report.ts)
 * and machine states once per reconcile and hands them in as data.
 */
export interface InfraKind {
  readonly group: string;
  readonly kind: string;
}

export const ProviderFindingCode = {
  /** A machine type (Metal: plan slug) the provider does not offer. */
  UnknownMachineType: 'unknown-machine-type',
  /** A location (Metal: metro) the provider does not have. */
  UnknownLocation: 'unknown-location',
  /** An operating system the provider does not offer. */
  UnknownOperatingSystem: 'unknown-operating-system',
  /** More new machines of a type than the location can take. */
  OverCapacity: 'over-capacity',
  /** The provider's API could not be asked; nothing was checked. */
  ProviderUnavailable: 'provider-unavailable',
} as const;
export type ProviderFindingCode = (typeof ProviderFindingCode)[keyof typeof ProviderFindingCode];

export interface ProviderFinding {
  readonly severity: 'block' | 'warn';
  readonly code: ProviderFindingCode;
  /** `Kind/ns/name field: what and what to do`. */
  readonly message: string;
  /** The object it is about, when there is one. */
  readonly object?: ObjectRef | undefined;
  /** For capacity findings: the shape of the request it answers. */
  readonly shape?: MachineShape | undefined;
}

/** What machines a template makes: the provider's machine type in a location. */
export interface MachineShape {
  /** Metal: the plan slug (`c3.small.x86`). */
  readonly type: string;
  /** Metal: the metro code (`am`). */
  readonly location: string;
}

/** `quantity` more machines of `shape`, for the listed objects (pools, control planes). */
export interface CapacityRequest {
  readonly shape: MachineShape;
  readonly quantity: number;
  /** `Kind/ns/name` of what asks for them, for the finding's message. */
  readonly for: readonly string[];
}

export interface HourlyPrice {
  readonly perHour: number;
  /** ISO 4217; Metal prices are USD. */
  readonly currency: string;
}

/** Provider-side state of one infrastructure machine, normalized for health. */
export const MachinePhase = {
  /** Asked for and not running yet (Metal: queued, provisioning). */
  Pending: 'pending',
  Ready: 'ready',
  Failed: 'failed',
  /** Exists but does not run (Metal: inactive, powering off). */
  Stopped: 'stopped',
  /** Being deleted. */
  Deleting: 'deleting',
} as const;
export type MachinePhase = (typeof MachinePhase)[keyof typeof MachinePhase];

export interface MachineState {
  /** The provider's id of the machine (Metal: the device UUID). */
  readonly id: string;
  /** The provider's own word (Metal: queued, provisioning, active, failed, inactive, …). */
  readonly state: string;
  readonly phase: MachinePhase;
  /** When the machine was created at the provider (ISO 8601), to tell a stuck provisioning. */
  readonly createdAt?: string | undefined;
}

export interface InfrastructureProvider {
  /** Short name for messages and configuration: `equinix-metal`. */
  readonly name: string;
  /** The infrastructure kinds this provider reads (cluster, machine template and machine kinds). */
  readonly kinds: readonly InfraKind[];
  /**
   * Pure: the machines a machine template of this provider makes, given the infrastructure
   * cluster of its Cluster (where the location may be set). Undefined when it cannot tell.
   */
  toMachineShape(template: KubeObject, infraCluster: KubeObject | undefined): MachineShape | undefined;
  /** Findings about desired objects of this provider's kinds (unknown types, locations, images). */
  validate(objects: readonly KubeObject[]): Promise<ProviderFinding[]>;
  /** Findings for requests the provider cannot take now. */
  capacity(requests: readonly CapacityRequest[]): Promise<ProviderFinding[]>;
  /** The hourly price of one machine of this shape; undefined when the provider has none. */
  price(shape: MachineShape): Promise<HourlyPrice | undefined>;
  /** The provider-side state of an infrastructure machine; undefined when it has none yet. */
  machineDetails(machine: KubeObject): Promise<MachineState | undefined>;
}

/** `group/kind`: the key a provider is found by. */
export function infraKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}
