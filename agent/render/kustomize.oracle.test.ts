// Seeded random trees rendered by Drover and by `kubectl kustomize` (the oracle): built-in
// Kubernetes kinds and their name references under bases, overlays and components, and YAML
// syntax (block, folded, quoted, flow and multi-line scalars). They must print the same bytes or
// both fail. Skipped, with the reason printed, when kubectl is not on PATH.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTreeFromMap } from '../core/file-tree.js';
import { buildKustomization, formatYamlStream } from './index.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) console.log('kustomize oracle tests: kubectl is not on PATH; skipping');

function random(seed: number) {
  let state = seed;
  const rnd = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const chance = (p: number): boolean => rnd() < p;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  return { rnd, chance, pick };
}

/** Built-in kinds referring to each other, one base and one overlay with random features. */
function kindsTree(seed: number): Record<string, string> {
  const { rnd, chance, pick } = random(seed * 7919 + 17);
  void rnd;
  const files: Record<string, string> = {};
  const names = ['web', 'api', 'db', 'cache'];
  const app = pick(names);
  const docs: string[] = [];
  docs.push(`apiVersion: v1
  kind: ConfigMap
  metadata:
    name: ${app}-config
  data:
    A: "1"
    B: ${pick(['two', '"2"', 'yes', '"on"'])}
  `);
  docs.push(`apiVersion: v1
  kind: Secret
  metadata:
    name: ${app}-secret
  type: Opaque
  data:
    password: cGFzcw==
  `);
  docs.push(`apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: ${app}-sa
  `);
  docs.push(`apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${app}
    labels:
      app: ${app}
  spec:
    replicas: ${pick([1, 2, 3])}
    selector:
      matchLabels:
        app: ${app}
    template:
      metadata:
        labels:
          app: ${app}
      spec:
        serviceAccountName: ${app}-sa
        initContainers:
        - name: init
          image: busybox:1.36
        containers:
        - name: main
          image: ${pick(['nginx', 'nginx:1.25', 'registry.example.com/team/nginx:1.2@sha256:abc', 'nginx@sha256:def'])}
          ports:
          - containerPort: 80
            protocol: TCP
          - containerPort: 443
          env:
          - name: A
            valueFrom:
              configMapKeyRef:
                name: ${app}-config
                key: A
          - name: P
            valueFrom:
              secretKeyRef:
                name: ${app}-secret
                key: password
          envFrom:
          - configMapRef:
              name: ${app}-config
          volumeMounts:
          - name: cfg
            mountPath: /etc/cfg
        - name: sidecar
          image: envoy:1.0
        volumes:
        - name: cfg
          configMap:
            name: ${app}-config
        - name: sec
          secret:
            secretName: ${app}-secret
  `);
  docs.push(`apiVersion: v1
  kind: Service
  metadata:
    name: ${app}
  spec:
    selector:
      app: ${app}
    ports:
    - port: 80
      targetPort: 80
  `);
  if (chance(0.5)) docs.push(`apiVersion: autoscaling/v1
  kind: HorizontalPodAutoscaler
  metadata:
    name: ${app}
  spec:
    scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: ${app}
    maxReplicas: 5
  `);
  if (chance(0.5)) docs.push(`apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata:
    name: ${app}-rb
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: Role
    name: ${app}-role
  subjects:
  - kind: ServiceAccount
    name: ${app}-sa
  - kind: ServiceAccount
    name: default
  ---
  apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata:
    name: ${app}-role
  rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
  `);
  if (chance(0.5)) docs.push(`apiVersion: apps/v1
  kind: StatefulSet
  metadata:
    name: ${app}-ss
  spec:
    serviceName: ${app}
    selector:
      matchLabels:
        app: ${app}-ss
    template:
      metadata:
        labels:
          app: ${app}-ss
      spec:
        containers:
        - name: c
          image: redis:7
    volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
  `);
  if (chance(0.5)) docs.push(`apiVersion: batch/v1
  kind: CronJob
  metadata:
    name: ${app}-cron
  spec:
    schedule: "*/5 * * * *"
    jobTemplate:
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: job
              image: busybox
              envFrom:
              - configMapRef:
                  name: ${app}-config
  `);
  if (chance(0.5)) docs.push(`apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: ${app}
  spec:
    rules:
    - http:
        paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: ${app}
              port:
                number: 80
  `);
  if (chance(0.5)) docs.push(`apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: ${app}-widget
  spec:
    items:
    - name: a
      value: 1
    - name: b
      value: 2
    nested:
      x: 1
      list: [1, 2, 3]
  `);
  files['base/resources.yaml'] = docs.join('---\n');
  const baseK = ['resources:', '- resources.yaml'];
  if (chance(0.5)) baseK.push('configMapGenerator:', `- name: ${app}-gen`, '  literals:', '  - K=V', '  - N="1"');
  files['base/kustomization.yaml'] = baseK.join('\n') + '\n';

  const k = ['resources:', '- ../base'];
  if (chance(0.6)) k.push(`namePrefix: ${pick(['p-', 'prod-', 'x1-'])}`);
  if (chance(0.4)) k.push(`nameSuffix: ${pick(['-s', '-v2'])}`);
  if (chance(0.6)) k.push(`namespace: ${pick(['prod', 'team-a', 'default'])}`);
  if (chance(0.4)) k.push('commonLabels:', `  team: ${pick(['a', 'b'])}`);
  if (chance(0.5)) {
    k.push('labels:', '- pairs:', `    env: ${pick(['prod', 'dev'])}`);
    const mode = pick(['sel', 'tmpl', 'none', 'fields']);
    if (mode === 'sel') k.push('  includeSelectors: true');
    if (mode === 'tmpl') k.push('  includeTemplates: true');
    if (mode === 'fields') k.push('  fields:', '  - path: spec/template/metadata/labels', '    kind: Deployment', '    create: true');
  }
  if (chance(0.4)) k.push('commonAnnotations:', `  note: ${pick(['"hello world"', '"true"', 'x'])}`);
  if (chance(0.5)) {
    k.push('configMapGenerator:');
    if (chance(0.5)) k.push(`- name: ${app}-config`, '  behavior: merge', '  literals:', '  - C=3');
    else k.push(`- name: extra`, '  literals:', '  - X=1', '  options:', '    disableNameSuffixHash: true');
  }
  if (chance(0.3)) k.push('secretGenerator:', `- name: ${app}-secret`, '  behavior: replace', '  literals:', '  - password=new');
  if (chance(0.4)) k.push('images:', `- name: nginx`, ...pick([['  newTag: "1.27"'], ['  newName: mirror/nginx'], ['  digest: sha256:0123'], ['  newName: m/n', '  newTag: v1']]));
  if (chance(0.3)) k.push('replicas:', `- name: ${app}`, `  count: ${pick([0, 4, 7])}`);
  const patches: string[] = [];
  if (chance(0.6)) {
    const variant = pick(['addContainer', 'modify', 'deleteContainer', 'env', 'replaceVolumes', 'ports']);
    const body = {
      addContainer: `      containers:\n      - name: extra\n        image: extra:1`,
      modify: `      containers:\n      - name: sidecar\n        image: envoy:2.0\n        resources:\n          limits:\n            cpu: "1"`,
      deleteContainer: `      containers:\n      - name: sidecar\n        $patch: delete`,
      env: `      containers:\n      - name: main\n        env:\n        - name: NEW\n          value: "x"`,
      replaceVolumes: `      volumes:\n      - $patch: replace\n      - name: only\n        emptyDir: {}`,
      ports: `      containers:\n      - name: main\n        ports:\n        - containerPort: 8080\n          protocol: UDP`,
    }[variant]!;
    patches.push(`- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: ${app}\n    spec:\n      template:\n        spec:\n${body.split('\n').map((l) => '    ' + l).join('\n')}`);
  }
  if (chance(0.4)) patches.push(`- target:\n    kind: Deployment\n  patch: |-\n    - op: ${pick(['add', 'replace'])}\n      path: /spec/template/spec/containers/0/image\n      value: patched:1\n    - op: add\n      path: /metadata/annotations\n      value: {patched: "yes"}`);
  if (chance(0.3)) patches.push(`- target:\n    kind: Widget\n  patch: |-\n    apiVersion: example.com/v1\n    kind: Widget\n    metadata:\n      name: ignored\n    spec:\n      items:\n      - name: c\n      nested:\n        y: 2\n        x: null`);
  if (chance(0.3)) patches.push(`- target:\n    labelSelector: app=${app}\n  patch: |-\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: ignored\n      labels:\n        patched: "true"`);
  if (patches.length) k.push('patches:', ...patches);
  if (chance(0.3)) k.push('replacements:', '- source:', '    kind: ConfigMap', `    name: ${app}-config`, '    fieldPath: data.A', '  targets:', '  - select:', '      kind: Deployment', '    fieldPaths:', '    - spec.template.metadata.annotations.fromcm', '    options:', '      create: true');
  files['overlay/kustomization.yaml'] = k.join('\n') + '\n';
  return files;
}

/** Three layers (base, mid, top) with prefixes, namespaces, generators and a component. */
function layeredTree(seed: number): Record<string, string> {
  const { rnd, chance, pick } = random(seed * 104729 + 7);
  void rnd;
  const files: Record<string, string> = {};
  function baseDocs(app: string): string {
    return `apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${app}
  spec:
    selector:
      matchLabels:
        app: ${app}
    template:
      metadata:
        labels:
          app: ${app}
      spec:
        serviceAccountName: ${app}
        containers:
        - name: main
          image: ${app}:1
          envFrom:
          - configMapRef:
              name: ${app}-env
          - secretRef:
              name: ${app}-creds
          volumeMounts:
          - name: data
            mountPath: /data
        volumes:
        - name: data
          persistentVolumeClaim:
            claimName: ${app}-data
  ---
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: ${app}
  ---
  apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: ${app}-data
  spec:
    accessModes: [ReadWriteOnce]
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: ${app}
  spec:
    selector:
      app: ${app}
  ---
  apiVersion: autoscaling/v1
  kind: HorizontalPodAutoscaler
  metadata:
    name: ${app}
  spec:
    scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: ${app}
    maxReplicas: 3
  ---
  apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata:
    name: ${app}
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: ClusterRole
    name: view
  subjects:
  - kind: ServiceAccount
    name: ${app}
  `;
  }

  const apps = ['web', 'api'].filter(() => chance(0.8));
  if (apps.length === 0) apps.push('web');
  for (const app of apps) files[`base-${app}/resources.yaml`] = baseDocs(app);
  for (const app of apps) {
    const k = ['resources:', '- resources.yaml', 'configMapGenerator:', `- name: ${app}-env`, '  literals:', `  - APP=${app}`, 'secretGenerator:', `- name: ${app}-creds`, '  literals:', '  - token=abc'];
    if (chance(0.4)) k.push(`namePrefix: b${app[0]}-`);
    files[`base-${app}/kustomization.yaml`] = k.join('\n') + '\n';
  }
  const mid = ['resources:', ...apps.map((a) => `- ../base-${a}`)];
  if (chance(0.6)) mid.push(`namePrefix: ${pick(['m-', 'mid-'])}`);
  if (chance(0.4)) mid.push(`nameSuffix: ${pick(['-x', '-y'])}`);
  if (chance(0.5)) mid.push(`namespace: ${pick(['team', 'default', 'apps'])}`);
  if (chance(0.5)) mid.push('configMapGenerator:', `- name: ${apps[0]}-env`, '  behavior: merge', '  literals:', '  - MID=1');
  if (chance(0.4)) mid.push('commonLabels:', '  layer: mid');
  files['mid/kustomization.yaml'] = mid.join('\n') + '\n';
  let comp = false;
  if (chance(0.5)) {
    comp = true;
    files['comp/kustomization.yaml'] = ['apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'resources:', '- extra.yaml', 'patches:', '- target:', '    kind: Deployment', '  patch: |-', '    - op: add', '      path: /metadata/annotations', '      value: {component: "yes"}', ...(chance(0.5) ? ['secretGenerator:', `- name: ${apps[0]}-creds`, '  behavior: replace', '  literals:', '  - token=fromcomp'] : [])].join('\n') + '\n';
    files['comp/extra.yaml'] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  k: v\n`;
  }
  const top = ['resources:', '- ../mid'];
  if (comp) top.push('components:', '- ../comp');
  if (chance(0.6)) top.push(`namePrefix: ${pick(['t-', 'top-'])}`);
  if (chance(0.4)) top.push(`namespace: ${pick(['prod', 'team'])}`);
  if (chance(0.4)) top.push('labels:', '- pairs:', '    tier: top', pick(['  includeSelectors: true', '  includeTemplates: true', '  includeSelectors: false']));
  if (chance(0.4)) top.push('commonAnnotations:', '  owner: me');
  if (chance(0.5)) top.push('configMapGenerator:', '- name: top-only', '  literals:', '  - X=1');
  const patches: string[] = [];
  if (chance(0.5)) patches.push(['- target:', '    kind: Deployment', '    name: .*' + apps[0] + '.*', '  patch: |-', '    apiVersion: apps/v1', '    kind: Deployment', '    metadata:', '      name: any', '    spec:', '      template:', '        spec:', '        ' + '  containers:', '          - name: main', '            env:', '            - name: EXTRA', '              value: "1"'].join('\n'));
  if (chance(0.4)) patches.push(['- target:', `    labelSelector: ${pick(['layer=mid', 'tier=top', 'app'])}`, '  patch: |-', '    - op: add', '      path: /metadata/labels/patched', '      value: "yes"'].join('\n'));
  if (patches.length) top.push('patches:', ...patches);
  if (chance(0.3)) top.push('images:', `- name: ${apps[0]}`, '  newTag: "2"');
  files['top/kustomization.yaml'] = top.join('\n') + '\n';
  return files;
}

/** One ConfigMap whose data values use many YAML scalar syntaxes. */
function yamlDocument(seed: number): string {
  const { rnd, pick } = random(seed * 48271 + 11);
  const words = ['alpha', 'beta gamma', 'x: y', 'a #b', '  lead', 'trail  ', 'yes', '1.5', '~', '#', "it's", 'say "hi"', '\\', 'ü', '- item', '[x]', '{y}', '*star', '&amp', '!bang', '%p', '@at', '`tick', 'tab\there', ''];
  function blockScalar(ind: number): string {
    const style = pick(['|', '>']);
    const chomp = pick(['', '-', '+']);
    const explicit = rnd() < 0.2 ? '2' : '';
    const lines: string[] = [];
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      const r = rnd();
      if (r < 0.15) lines.push('');
      else if (r < 0.3) lines.push('  ' + pick(words));
      else lines.push(pick(words).replace(/^\s+/, '') || 'w');
    }
    const trailing = pick(['', '\n', '\n\n']);
    return `${style}${explicit}${chomp}\n` + lines.map((l) => (l === '' ? '' : ' '.repeat(ind + 2) + l)).join('\n') + trailing;
  }
  function plainMulti(ind: number): string {
    const a = pick(['one', 'two words', 'x']);
    const b = pick(['three', 'four five']);
    return `${a}\n${' '.repeat(ind + 2)}${b}` + (rnd() < 0.3 ? `\n\n${' '.repeat(ind + 2)}six` : '');
  }
  function dq(): string {
    const parts = [pick(words).replace(/["\\]/g, ''), pick(['\\n', '\\t', '\\"', '\\\\', '\\u00e9', '\\x41', ' ', '\\\n  ', '\n  ', '\n\n  ']), pick(words).replace(/["\\]/g, '')];
    return `"${parts.join('')}"`;
  }
  function sq(): string {
    return `'${pick(words).replace(/'/g, "''")}${pick(['', '\n  more', "''", '\n\n  para'])}'`;
  }
  function flow(): string {
    return pick(['[a, b, c]', '[]', '{}', '{a: 1, b: [x, y]}', '[ "q", \'s\', 1.0 ]', '{k: v, }', '[a,\n    b]']);
  }
  function value(ind: number): string {
    const r = rnd();
    if (r < 0.3) return ' ' + blockScalar(ind);
    if (r < 0.4) return ' ' + plainMulti(ind);
    if (r < 0.55) return ' ' + dq();
    if (r < 0.7) return ' ' + sq();
    if (r < 0.8) return ' ' + flow();
    return ' ' + pick(['plain', '1', '0x10', 'null', 'true', '"1"', "'x'", 'a b c', '2024-01-01', '-1.5e3', '.inf', 'x # comment']);
  }
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: fz', 'data:'];
  const n = 3 + Math.floor(rnd() * 5);
  let out = lines.join('\n') + '\n';
  for (let i = 0; i < n; i++) {
    let v = value(2);
    if (!v.endsWith('\n')) v += '\n';
    out += `  k${i}:${v}`;
  }
  if (rnd() < 0.3) out = out.replace(/\n$/, '');
  return out;
}

function drover(files: Record<string, string>, dir: string): { ok: boolean; out: string } {
  try {
    return { ok: true, out: formatYamlStream(buildKustomization(fileTreeFromMap(files), dir)) };
  } catch (e) {
    return { ok: false, out: (e as Error).message };
  }
}

function kustomize(files: Record<string, string>, dir: string): { ok: boolean; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'drover-oracle-'));
  try {
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), content);
    }
    const r = spawnSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { ok: r.status === 0, out: r.status === 0 ? r.stdout : r.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function agree(files: Record<string, string>, dir: string): void {
  const ours = drover(files, dir);
  const theirs = kustomize(files, dir);
  if (!ours.ok || !theirs.ok) {
    expect({ drover: ours.ok ? 'rendered' : 'failed', kustomize: theirs.ok ? 'rendered' : 'failed' }).toEqual({ drover: 'failed', kustomize: 'failed' });
    return;
  }
  expect(ours.out).toBe(theirs.out);
}

const seeds = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe.skipIf(!kubectl)('Drover agrees with kubectl kustomize on random trees', () => {
  it.each(seeds(40))('built-in kinds, seed %i', (seed) => agree(kindsTree(seed), 'overlay'));
  it.each(seeds(30))('layered bases and components, seed %i', (seed) => agree(layeredTree(seed), 'top'));
  it.each(seeds(80))('YAML scalar syntax, seed %i', (seed) => agree({ 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': yamlDocument(seed) }, ''));
});
