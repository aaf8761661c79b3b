import { toRef, type KubeObject } from '../../core/kube-object.js';
import { formatRef } from '../../core/object-ref.js';
import { findCloseMatches, formatCloseMatches } from '../close-matches.js';
import {
  MachinePhase,
  ProviderFindingCode,
  type HourlyPrice,
  type InfrastructureProvider,
  type MachineShape,
  type MachineState,
  type ProviderFinding,
} from '../provider.js';
import type { MetalClient } from './metal-client.js';
import { DeviceState, type MetalDevice, type MetalMetro, type MetalPlan } from './metal-types.js';

const INFRA = 'infrastructure.cluster.x-k8s.io';
/** cluster-api-provider-packet tags every device it creates with its cluster and machine. */
export const CAPP_CLUSTER_TAG = 'capp:cluster-id:';
export const CAPP_MACHINE_TAG = 'capp:machine-uid:';
const PROVIDER_ID_PREFIX = 'equinixmetal://';

export interface MetalProviderOptions {
  readonly client: MetalClient;
  /**
   * The Metal project of the environment: plans (and their prices) are read per project and
   * devices are listed in it. Undefined: the public plan list, devices only by id.
   */
  readonly projectId?: string | undefined;
}

/**
 * Equinix Metal behind the provider seam, for cluster-api-provider-packet objects
 * (PacketCluster, PacketMachineTemplate, PacketMachine in infrastructure.cluster.x-k8s.io).
 * Every list it reads is fetched once for the life of the instance (one reconcile).
 */
export function createMetalProvider(options: MetalProviderOptions): InfrastructureProvider {
  const { client, projectId } = options;
  const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= load());
  };
  const plans = once(() => (projectId ? client.listProjectPlans(projectId) : client.listPlans()));
  const metros = once(() => client.listMetros());
  const systems = once(() => client.listOperatingSystems());
  const devicesOf = new Map<string, Promise<MetalDevice[]>>();
  const planScope = projectId ? `a plan of project ${projectId}` : 'a Metal plan';

  return {
    name: 'equinix-metal',
    kinds: ['PacketCluster', 'PacketMachineTemplate', 'PacketMachine'].map((kind) => ({ group: INFRA, kind })),

    toMachineShape(template, infraCluster) {
      const spec = templateSpec(template);
      const type = str(spec.machineType);
      const location = str(spec.metro) ?? str(record(infraCluster?.spec).metro);
      return type && location ? { type, location } : undefined;
    },

    async validate(objects) {
      const [p, m, o] = await Promise.all([plans(), metros(), systems()]);
      const planSlugs = p.map((x) => x.slug).filter(isString);
      const metroCodes = m.map((x) => x.code).filter(isString);
      const osSlugs = o.map((x) => x.slug).filter(isString);
      const out: ProviderFinding[] = [];
      const unknown = (obj: KubeObject, field: string, value: string, what: string, known: string[], code: ProviderFindingCode): void => {
        out.push({
          severity: 'block',
          code,
          object: toRef(obj),
          message: `${formatRef(toRef(obj))} ${field}: ${JSON.stringify(value)} is not ${what}${formatCloseMatches(findCloseMatches(value, known))}`,
        });
      };
      for (const obj of objects) {
        if (obj.kind === 'PacketMachineTemplate') {
          const spec = templateSpec(obj);
          const type = str(spec.machineType);
          if (type && !planSlugs.includes(type)) unknown(obj, 'spec.template.spec.machineType', type, planScope, planSlugs, ProviderFindingCode.UnknownMachineType);
          const os = str(spec.os);
          if (os && !osSlugs.includes(os)) unknown(obj, 'spec.template.spec.os', os, 'a Metal operating system', osSlugs, ProviderFindingCode.UnknownOperatingSystem);
          const metro = str(spec.metro);
          if (metro && !metroCodes.includes(metro)) unknown(obj, 'spec.template.spec.metro', metro, 'a Metal metro', metroCodes, ProviderFindingCode.UnknownLocation);
        } else if (obj.kind === 'PacketCluster') {
          const metro = str(record(obj.spec).metro);
          if (metro && !metroCodes.includes(metro)) unknown(obj, 'spec.metro', metro, 'a Metal metro', metroCodes, ProviderFindingCode.UnknownLocation);
        }
      }
      return out;
    },

    async capacity(requests) {
      const [p, m] = await Promise.all([plans(), metros()]);
      // Unknown plans and metros are validation findings already; the API would refuse them (422).
      const askable = requests.filter((r) => p.some((x) => x.slug === r.shape.type) && m.some((x) => x.code === r.shape.location));
      if (!askable.length) return [];
      const answers = await client.checkMetroCapacity(askable.map((r) => ({ metro: r.shape.location, plan: r.shape.type, quantity: String(r.quantity) })));
      const out: ProviderFinding[] = [];
      for (const r of askable) {
        const a = answers.find((x) => x.plan === r.shape.type && x.metro === r.shape.location);
        if (a?.available !== false) continue;
        out.push({
          severity: 'block',
          code: ProviderFindingCode.OverCapacity,
          shape: r.shape,
          message: `${r.for.join(', ')}: metro ${r.shape.location} cannot take ${r.quantity} more ${r.shape.type} now (Equinix Metal capacity check); choose another plan or metro, or grow in smaller steps`,
        });
      }
      return out;
    },

    async price(shape) {
      const [p, m] = await Promise.all([plans(), metros()]);
      return priceOf(p, m, shape);
    },

    async machineDetails(machine) {
      const spec = record(machine.spec);
      const id = str(spec.providerID)?.replace(PROVIDER_ID_PREFIX, '');
      const cluster = machine.metadata.labels?.['cluster.x-k8s.io/cluster-name'];
      let device: MetalDevice | undefined;
      if (projectId && cluster) {
        const tag = `${CAPP_CLUSTER_TAG}${cluster}`;
        let list = devicesOf.get(tag);
        if (!list) devicesOf.set(tag, (list = client.listProjectDevices(projectId, { tag })));
        const devices = await list;
        const name = machine.metadata.name ?? '';
        const uid = machine.metadata.uid ?? '';
        device = devices.find((d) => (id && d.id === id) || d.tags?.some((t) => t === `${CAPP_MACHINE_TAG}${uid}` || t === `${CAPP_MACHINE_TAG}${name}`));
      }
      if (!device && id) device = await client.getDevice(id);
      if (!device?.id || !device.state) return undefined;
      return { id: device.id, state: device.state, phase: toPhase(device.state), createdAt: device.created_at };
    },
  };
}

/** Price per hour of one machine: the metro's price when the plan lists one, else the plan's. Pure. */
export function priceOf(plans: readonly MetalPlan[], metros: readonly MetalMetro[], shape: MachineShape): HourlyPrice | undefined {
  const plan = plans.find((p) => p.slug === shape.type);
  if (!plan) return undefined;
  const metroId = metros.find((m) => m.code === shape.location)?.id;
  const inMetro = metroId ? plan.available_in_metros?.find((a) => a.href?.endsWith(`/${metroId}`))?.price?.hour : undefined;
  const hour = inMetro ?? plan.pricing?.hour;
  return typeof hour === 'number' ? { perHour: hour, currency: 'USD' } : undefined;
}

/** Metal device state → the phase health reads. Pure. */
export function toPhase(state: string): MachineState['phase'] {
  switch (state) {
    case DeviceState.Active:
      return MachinePhase.Ready;
    case DeviceState.Failed:
      return MachinePhase.Failed;
    case DeviceState.Inactive:
    case DeviceState.PoweringOff:
      return MachinePhase.Stopped;
    case DeviceState.Deprovisioning:
    case DeviceState.Deleted:
      return MachinePhase.Deleting;
    default:
      return MachinePhase.Pending;
  }
}

function templateSpec(o: KubeObject): Record<string, unknown> {
  return record(record(record(o.spec).template).spec);
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}


