/**
 * The parts of the Equinix Metal API (`https://api.equinix.com/metal/v1`) Drover reads, typed
 * by hand from its public OpenAPI description (equinix-sdk-go `spec/services/metalv1`,
 * `components/schemas/*.yaml`). Every field is optional because the description marks none
 * of them required; the client checks what it uses.
 */

/** `Plan.yaml`: a machine type. `pricing` is `{hour}` in practice (the schema says only object). */
export interface MetalPlan {
  id?: string;
  slug?: string;
  name?: string;
  line?: string;
  class?: string;
  type?: 'standard' | 'workload_optimized' | 'custom';
  categories?: string[];
  deployment_types?: ('on_demand' | 'spot_market')[];
  legacy?: boolean;
  pricing?: { hour?: number };
  /** Metros the plan is offered in (`href` ends in the metro id), with a metro price when it differs. */
  available_in_metros?: { href?: string; price?: { hour?: number } }[];
}

/** `Metro.yaml`. */
export interface MetalMetro {
  id?: string;
  code?: string;
  name?: string;
  country?: string;
}

/** `OperatingSystem.yaml`: `slug` is what PacketMachineTemplate `os` names. */
export interface MetalOperatingSystem {
  id?: string;
  slug?: string;
  name?: string;
  distro?: string;
  version?: string;
  provisionable_on?: string[];
}

/** `ServerInfo.yaml` (request) and `CapacityCheckPerMetroInfo.yaml` (answer); `quantity` is a string. */
export interface MetalCapacityServer {
  metro: string;
  plan: string;
  quantity: string;
}
export interface MetalCapacityAnswer extends Partial<MetalCapacityServer> {
  available?: boolean;
}

/** Device states (`Device.yaml` `state` enum). */
export const DeviceState = {
  Queued: 'queued',
  Provisioning: 'provisioning',
  Deprovisioning: 'deprovisioning',
  Reinstalling: 'reinstalling',
  Active: 'active',
  Inactive: 'inactive',
  Failed: 'failed',
  PoweringOn: 'powering_on',
  PoweringOff: 'powering_off',
  Deleted: 'deleted',
} as const;
export type DeviceState = (typeof DeviceState)[keyof typeof DeviceState];

/** `Device.yaml`, the fields Drover reads. */
export interface MetalDevice {
  id?: string;
  hostname?: string;
  state?: DeviceState;
  tags?: string[];
  created_at?: string;
  updated_at?: string;
  metro?: { code?: string };
  plan?: { slug?: string };
}

/** `Meta.yaml`: pagination of list answers. */
export interface MetalMeta {
  next?: { href: string };
  current_page?: number;
  last_page?: number;
  total?: number;
}

/** `Error.yaml`: either `error` or `errors` is set. */
export interface MetalErrorBody {
  error?: string;
  errors?: string[];
}
