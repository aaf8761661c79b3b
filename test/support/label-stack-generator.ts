// Random three-layer kustomize trees that stack `labels` (with and without includeSelectors,
// includeTemplates and custom fields) and `commonLabels` over the SAME keys, sometimes with
// `configurations` that add label field specs, over every kind kustomize's label tables name
// (and a CAPI kind they do not). Used by agent/render/differential-labels.oracle.test.ts.

export const LABEL_STACK_TOP = 'environments/prod';
const TOP = LABEL_STACK_TOP;
const KEYS = ['app', 'tier', 'fleet.example.com/env'];
const VALUES = ['web', 'api', 'prod', 'staging', 'blue'];


/** mulberry32: the same seed always gives the same tree. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed * 0x2545f491;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

const selector = (kv: string): string => `      matchLabels:\n        ${kv}`;

/** Objects whose label fields kustomize's tables list, each with existing labels on the same keys. */
const OBJECTS: Readonly<Record<string, string>> = {
  deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
${selector('app: web')}
  template:
    metadata:
      labels:
        app: web
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                app: web
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app: web
      containers:
      - name: web
        image: nginx:1.27
`,
  service: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`,
  headless: `apiVersion: v1
kind: Service
metadata:
  name: external
spec:
  type: ExternalName
  externalName: db.example.com
`,
  statefulset: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      tier: db
  template:
    metadata:
      labels:
        tier: db
    spec:
      containers:
      - name: db
        image: postgres:17
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`,
  cronjob: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: busybox:1.37
`,
  job: `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    metadata:
      labels:
        tier: migrate
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox:1.37
`,
  daemonset: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.37
`,
  rc: `apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  selector:
    app: legacy
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: legacy
        image: busybox:1.37
`,
  networkpolicy: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          tier: api
`,
  pdb: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
`,
  machinedeployment: `apiVersion: cluster.x-k8s.io/v1beta1
kind: MachineDeployment
metadata:
  name: workers
spec:
  clusterName: workload
  selector:
    matchLabels:
      app: workers
  template:
    metadata:
      labels:
        app: workers
    spec:
      clusterName: workload
      bootstrap:
        dataSecretName: workers-bootstrap
`,
};

/** Custom `fields` of a labels entry or `labels`/`commonLabels` entries of a configurations file. */
const FIELD_SPECS = [
  { kind: 'MachineDeployment', path: 'spec/template/metadata/labels', create: true },
  { kind: 'MachineDeployment', path: 'spec/selector/matchLabels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
  { kind: 'Deployment', path: 'spec/template/metadata/labels', create: false },
  { path: 'metadata/labels', create: true },
];

function pairs(r: Rng, indent: string): string {
  const keys = KEYS.filter(() => r.chance(0.5));
  if (keys.length === 0) keys.push(r.pick(KEYS));
  return keys.map((k) => `${indent}${k}: ${r.pick(VALUES)}\n`).join('');
}

function fieldSpecYaml(fs: (typeof FIELD_SPECS)[number], indent: string): string {
  return `${indent}- path: ${fs.path}\n${fs.kind ? `${indent}  kind: ${fs.kind}\n` : ''}${indent}  create: ${fs.create}\n`;
}

/** One layer's label settings: `labels` entries, `commonLabels`, maybe a configurations file. */
function labelSettings(r: Rng, dir: string, files: Record<string, string>): string {
  let out = '';
  const entries = r.pick([0, 1, 1, 2]);
  if (entries > 0) {
    out += 'labels:\n';
    for (let i = 0; i < entries; i++) {
      out += `- pairs:\n${pairs(r, '    ')}`;
      if (r.chance(0.6)) out += `  includeSelectors: ${r.chance(0.5)}\n`;
      if (r.chance(0.6)) out += `  includeTemplates: ${r.chance(0.5)}\n`;
      if (r.chance(0.25)) out += `  fields:\n${fieldSpecYaml(r.pick(FIELD_SPECS), '  ')}`;
    }
  }
  if (r.chance(0.5)) out += `commonLabels:\n${pairs(r, '  ')}`;
  if (r.chance(0.25)) {
    const field = r.pick(['labels', 'commonLabels', 'templateLabels']);
    files[`${dir}/label-fields.yaml`] = `${field}:\n${fieldSpecYaml(r.pick(FIELD_SPECS.slice(0, 3)), '')}`;
    out += 'configurations:\n- label-fields.yaml\n';
  }
  return out;
}

/** A random three-layer tree: files (path → content). The tree to build is environments/prod. */
export function randomLabelStack(seed: number): Record<string, string> {
  const r = new Rng(seed);
  const files: Record<string, string> = {};
  const names = Object.keys(OBJECTS).filter(() => r.chance(0.6));
  if (names.length === 0) names.push('deployment', 'service');
  files['base/objects.yaml'] = names.map((n) => OBJECTS[n]!).join('---\n');
  files['base/kustomization.yaml'] = `resources:\n- objects.yaml\n${labelSettings(r, 'base', files)}`;
  files['overlay/kustomization.yaml'] = `resources:\n- ../base\n${labelSettings(r, 'overlay', files)}`;
  let top = `resources:\n- ../../overlay\n${labelSettings(r, TOP, files)}`;
  if (r.chance(0.3)) {
    files['components/team/kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${labelSettings(r, 'components/team', files)}`;
    top += 'components:\n- ../../components/team\n';
  }
  files[`${TOP}/kustomization.yaml`] = top;
  return files;
}

