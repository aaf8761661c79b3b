// Cases of agent/render/build.test.ts (Drover's output) and build.oracle.test.ts (the same trees
// through kubectl kustomize): small trees, one per kustomize feature or refusal, with the output
// kubectl kustomize printed for them.
export interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  symlinks?: Record<string, string>;
  dir?: string;
}
export interface ErrorCase extends Case {
  /** Substrings the error message must contain: the file:line:col, the entry, the problem. */
  contains: string[];
  /** kustomize builds this tree; Drover refuses it by design (a safety limit). */
  kustomizeAccepts?: boolean;
}

const cm = (name: string, extra = '', meta = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${meta}${extra}`;
const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.25
        envFrom:
        - configMapRef:
            name: settings
      - name: sidecar
        image: envoy:1.0
`;
const capi = `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: cluster
spec:
  controlPlaneRef:
    apiVersion: controlplane.cluster.x-k8s.io/v1beta1
    kind: KubeadmControlPlane
    name: cp
  infrastructureRef:
    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
    kind: PacketCluster
    name: cluster
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  replicas: 3
  version: v1.33.2
  machineTemplate:
    infrastructureRef:
      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
      kind: PacketMachineTemplate
      name: cp
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketCluster
metadata:
  name: cluster
spec:
  metro: am
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketMachineTemplate
metadata:
  name: cp
spec:
  template:
    spec:
      machineType: c3.small.x86
      tags: [a, b]
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: MachineDeployment
metadata:
  name: md-0
spec:
  clusterName: cluster
  replicas: 2
  template:
    spec:
      infrastructureRef:
        kind: PacketMachineTemplate
        name: cp
`;
const capiConfig = `nameReference:
- kind: KubeadmControlPlane
  fieldSpecs:
  - path: spec/controlPlaneRef/name
    kind: Cluster
- kind: PacketCluster
  fieldSpecs:
  - path: spec/infrastructureRef/name
    kind: Cluster
- kind: PacketMachineTemplate
  fieldSpecs:
  - path: spec/machineTemplate/infrastructureRef/name
    kind: KubeadmControlPlane
  - path: spec/template/spec/infrastructureRef
    kind: MachineDeployment
commonLabels:
- path: spec/template/metadata/labels
  kind: MachineDeployment
  create: true
replicas:
- path: spec/replicas
  kind: MachineDeployment
- path: spec/replicas
  kind: KubeadmControlPlane
`;

export const features: Case[] = [
  // resources
  { name: 'resources: files, multi-document files and Lists, in legacy order', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\n- list.yaml\n',
    'a.yaml': `${deploy}---\n${cm('settings', 'data:\n  on: "yes"\n  n: 1\n')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: zz\n`,
    'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    selector:\n      app: web\n' } },
  { name: 'resources: directories and nested bases', files: {
    'overlay/kustomization.yaml': 'resources:\n- ../mid\n- extra.yaml\n',
    'overlay/extra.yaml': cm('extra'),
    'mid/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: mid-\n',
    'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
    'base/cm.yaml': cm('base', 'data:\n  k: v\n') }, dir: 'overlay' },
  { name: 'resources: kustomization.yml and Kustomization file names', files: {
    'k/kustomization.yml': 'resources:\n- ../b\n', 'b/Kustomization': 'resources:\n- c.yaml\n', 'b/c.yaml': cm('c') }, dir: 'k' },
  { name: 'resources: bases and imageTags, the deprecated aliases', files: {
    'kustomization.yaml': 'bases:\n- base\nimageTags:\n- name: nginx\n  newTag: "2"\n', 'base/kustomization.yaml': 'resources:\n- d.yaml\n', 'base/d.yaml': deploy } },
  { name: 'resources: local-config resources are dropped', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': `${cm('local', '', '  annotations:\n    config.kubernetes.io/local-config: "true"\n')}---\n${cm('kept')}` } },
  // components
  { name: 'components: add resources, generators, patches and labels to the parent', files: {
    'kustomization.yaml': 'resources:\n- base\ncomponents:\n- comp\nnamePrefix: x-\n',
    'base/kustomization.yaml': 'resources:\n- d.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - A=1\n', 'base/d.yaml': deploy,
    'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- svc.yaml\nconfigMapGenerator:\n- name: settings\n  behavior: merge\n  literals:\n  - B=2\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: 5\nlabels:\n- pairs:\n    comp: "on"\n',
    'comp/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n' } },
  // prefix, suffix, namespace
  { name: 'namePrefix and nameSuffix rename resources and references, not Namespaces or CRDs', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\nnamePrefix: pre-\nnameSuffix: -suf\n',
    'a.yaml': `${deploy}---\n${cm('settings')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n` } },
  { name: 'namespace sets namespaced kinds, Namespace objects, RoleBinding subjects named default', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\nnamespace: team\n',
    'a.yaml': `${cm('settings')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: old\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  name: default\n  namespace: old\n- kind: ServiceAccount\n  name: builder\n  namespace: old\n---\n${capi.split('---\n')[0]}` } },
  // labels and annotations
  { name: 'labels: pairs only touch metadata.labels', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\nlabels:\n- pairs:\n    env: prod\n', 'd.yaml': deploy } },
  { name: 'labels: includeSelectors also sets selectors and templates', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\nlabels:\n- pairs:\n    env: prod\n  includeSelectors: true\n', 'd.yaml': deploy } },
  { name: 'labels: includeTemplates sets pod templates but not selectors', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\nlabels:\n- pairs:\n    env: prod\n  includeTemplates: true\n', 'd.yaml': deploy } },
  { name: 'labels: fields add custom field specs', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\nlabels:\n- pairs:\n    env: prod\n  fields:\n  - kind: MachineDeployment\n    path: spec/template/metadata/labels\n    create: true\n', 'c.yaml': (capi.split('---\n')[4] ?? '') } },
  { name: 'commonLabels sets metadata, selectors and templates', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\ncommonLabels:\n  team: a\n  "yes": "no"\n', 'd.yaml': `${deploy}---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: []\n` } },
  { name: 'commonAnnotations sets metadata and pod templates, values stay strings', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\ncommonAnnotations:\n  note: "true"\n  owner: platform team\n', 'd.yaml': deploy } },
  // patches
  { name: 'patches: inline strategic merge merges containers by name, patched first', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        spec:\n          containers:\n          - name: sidecar\n            image: envoy:2.0\n          - name: new\n            image: new:1\n', 'd.yaml': deploy } },
  { name: 'patches: $patch delete and replace directives, null deletes a field', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- path: p.yaml\n', 'd.yaml': `${deploy}---\n${cm('drop')}`,
    'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: null\nspec:\n  template:\n    spec:\n      containers:\n      - name: sidecar\n        $patch: delete\n      - name: app\n        envFrom:\n        - $patch: replace\n        - secretRef:\n            name: s\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: drop\n$patch: delete\n' } },
  { name: 'patches: multi-key ports, primitive finalizers, volumes and env merged by their keys', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- path: p.yaml\n',
    'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  finalizers: [a, b]\nspec:\n  template:\n    spec:\n      volumes:\n      - name: v1\n        emptyDir: {}\n      containers:\n      - name: app\n        image: app\n        ports:\n        - containerPort: 80\n          protocol: TCP\n        - containerPort: 443\n        env:\n        - name: A\n          value: a\n        - name: B\n          value: b\n',
    'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  finalizers: [c, a]\nspec:\n  template:\n    spec:\n      volumes:\n      - name: v2\n        configMap:\n          name: cm\n      containers:\n      - name: app\n        ports:\n        - containerPort: 80\n          protocol: UDP\n        - containerPort: 443\n          name: https\n        env:\n        - name: B\n          value: patched\n        - name: C\n          value: c\n' } },
  { name: 'patches: lists of CRD kinds are replaced, maps merged', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\npatches:\n- patch: |-\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketMachineTemplate\n    metadata:\n      name: cp\n    spec:\n      template:\n        spec:\n          tags: [c]\n          os: flatcar\n', 'c.yaml': capi } },
  { name: 'patches: JSON 6902 ops add, remove, replace, move, copy, test, - and ~1', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\npatches:\n- target:\n    kind: KubeadmControlPlane\n  patch: |-\n    - op: test\n      path: /spec/replicas\n      value: 3\n    - op: replace\n      path: /spec/replicas\n      value: 5\n    - op: add\n      path: /metadata/annotations\n      value: {}\n    - op: add\n      path: /metadata/annotations/example.com~1team\n      value: a\n    - op: copy\n      from: /spec/version\n      path: /metadata/annotations/version\n    - op: move\n      from: /spec/machineTemplate\n      path: /spec/template\n    - op: add\n      path: /metadata/finalizers\n      value: [b]\n    - op: add\n      path: /metadata/finalizers/-\n      value: c\n    - op: add\n      path: /metadata/finalizers/0\n      value: a\n    - op: remove\n      path: /metadata/finalizers/1\n', 'c.yaml': capi } },
  { name: 'patches: JSON 6902 from a JSON file', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\npatches:\n- path: p.json\n  target:\n    group: cluster.x-k8s.io\n    version: v1beta1\n    kind: MachineDeployment\n    name: md-0\n', 'c.yaml': capi,
    'p.json': '[{"op": "replace", "path": "/spec/replicas", "value": 4}, {"op": "add", "path": "/spec/template/metadata", "value": {"labels": {"pool": "a"}}}]' } },
  { name: 'patches: targets by name regex, namespace, label and annotation selectors', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\npatches:\n- target:\n    name: cm-.*\n    namespace: ns1\n  patch: |-\n    - op: add\n      path: /data\n      value: {byName: "1"}\n- target:\n    labelSelector: tier in (web,api),env!=dev\n  patch: |-\n    - op: add\n      path: /metadata/annotations\n      value: {byLabel: "1"}\n- target:\n    annotationSelector: owner\n    kind: ConfigMap\n  patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: any\n      labels:\n        byAnnotation: "1"\n',
    'a.yaml': `${cm('cm-a', '', '  namespace: ns1\n')}---\n${cm('cm-b')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  labels:\n    tier: web\n  annotations:\n    owner: me\n` } },
  { name: 'patches: options allowNameChange and allowKindChange', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\npatches:\n- target:\n    kind: ConfigMap\n    name: old\n  options:\n    allowNameChange: true\n  patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: new\n- target:\n    kind: Secret\n  options:\n    allowKindChange: true\n  patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: s\n',
    'a.yaml': `${cm('old')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n` } },
  { name: 'patchesStrategicMerge and patchesJson6902, the deprecated fields', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\npatchesStrategicMerge:\n- p.yaml\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n    labels:\n      n: 1\npatchesJson6902:\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: web\n  path: ops.yaml\n',
    'd.yaml': deploy, 'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 9\n', 'ops.yaml': '- op: add\n  path: /spec/paused\n  value: yes\n' } },
  // generators
  { name: 'configMapGenerator: literals, files, envs, with the content hash in names and references', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - A=1\n  - Q="quoted value"\n  files:\n  - config.txt\n  - key=bin.dat\n  envs:\n  - vars.env\n',
    'd.yaml': deploy, 'config.txt': 'line one\nline two\n', 'bin.dat': new Uint8Array([0, 1, 2, 255]), 'vars.env': '# comment\nX=1\n  Y=two words\nZ\n' } },
  { name: 'secretGenerator: type, base64 data, long values wrapped like kustomize', files: {
    'kustomization.yaml': 'secretGenerator:\n- name: creds\n  type: kubernetes.io/basic-auth\n  literals:\n  - username=admin\n  - password=a-very-long-password-that-is-longer-than-fifty-two-bytes-in-total\n',
  } },
  { name: 'generators: behavior merge and replace over a base, options and generatorOptions', files: {
    'kustomization.yaml': 'resources:\n- base\ngeneratorOptions:\n  labels:\n    gen: global\n  annotations:\n    note: global\nconfigMapGenerator:\n- name: settings\n  behavior: merge\n  literals:\n  - B=2\n  options:\n    labels:\n      gen: local\n- name: plain\n  behavior: replace\n  literals:\n  - NEW=1\n- name: fixed\n  literals:\n  - K=V\n  options:\n    disableNameSuffixHash: true\n    immutable: true\n',
    'base/kustomization.yaml': 'configMapGenerator:\n- name: settings\n  literals:\n  - A=1\n- name: plain\n  literals:\n  - OLD=1\n' } },
  // replacements
  { name: 'replacements: source field to target fields, delimiter, create, [key=value] and reject', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\n- settings.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    name: settings\n    fieldPath: data.version\n  targets:\n  - select:\n      kind: KubeadmControlPlane\n    fieldPaths:\n    - spec.version\n  - select:\n      kind: MachineDeployment\n    fieldPaths:\n    - spec.template.spec.version\n    options:\n      create: true\n- source:\n    kind: ConfigMap\n    name: settings\n    fieldPath: data.image\n    options:\n      delimiter: ":"\n      index: 1\n  targets:\n  - select:\n      kind: ConfigMap\n    reject:\n    - name: settings\n    fieldPaths:\n    - data.tag\n    options:\n      create: true\n',
    'c.yaml': capi, 'settings.yaml': `${cm('settings', 'data:\n  version: v1.34.0\n  image: repo/app:v2\n')}---\n${cm('other')}` } },
  { name: 'replacements: from a file of replacements', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\nreplacements:\n- path: r.yaml\n', 'c.yaml': capi,
    'r.yaml': 'source:\n  kind: Cluster\n  fieldPath: metadata.name\ntargets:\n- select:\n    kind: MachineDeployment\n  fieldPaths:\n  - spec.clusterName\n' } },
  // replicas and images
  { name: 'replicas and images on Deployments', files: {
    'kustomization.yaml': 'resources:\n- d.yaml\nreplicas:\n- name: web\n  count: 7\nimages:\n- name: nginx\n  newName: mirror.example.com/nginx\n  newTag: "1.27"\n- name: envoy\n  digest: sha256:0123456789abcdef\n', 'd.yaml': deploy } },
  { name: 'configurations: CAPI name references, labels and replicas for custom kinds', files: {
    'kustomization.yaml': 'resources:\n- c.yaml\nconfigurations:\n- capi.yaml\nnamePrefix: eu-1-\ncommonLabels:\n  cluster: eu-1\nreplicas:\n- name: md-0\n  count: 6\n', 'c.yaml': capi, 'capi.yaml': capiConfig } },
  { name: 'configurations declared in a base apply to the overlay', files: {
    'overlay/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: eu-2-\nnamespace: fleet\n', 'base/kustomization.yaml': 'resources:\n- c.yaml\nconfigurations:\n- capi.yaml\n', 'base/c.yaml': capi, 'base/capi.yaml': capiConfig }, dir: 'overlay' },
  { name: 'name references across many overlays of one base in one namespace (prefixed, suffixed, stacked, none)', files: {
    'env/kustomization.yaml': 'resources:\n- ../a\n- ../b\n- ../s\n- ../plain\n- ../stack\nnamespace: fleet\n',
    'a/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: a-\n', 'b/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: b-\n',
    's/kustomization.yaml': 'resources:\n- ../base\nnameSuffix: -s\n', 'plain/kustomization.yaml': 'resources:\n- ../solo\n',
    'stack/kustomization.yaml': 'resources:\n- ../a2\nnamePrefix: top-\n', 'a2/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: a-\nnameSuffix: -two\n',
    'solo/kustomization.yaml': 'resources:\n- d.yaml\n', 'solo/d.yaml': deploy.replace('name: web', 'name: solo'),
    'base/kustomization.yaml': 'resources:\n- d.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - A=1\n', 'base/d.yaml': deploy }, dir: 'env' },
  // ordering
  { name: 'sortOptions: fifo keeps input order', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\nsortOptions:\n  order: fifo\n', 'a.yaml': `${deploy}---\n${cm('settings')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n` } },
  { name: 'sortOptions: legacy with custom first and last kinds', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\nsortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: [Deployment]\n    orderLast: [Namespace]\n', 'a.yaml': `${cm('settings')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\n${deploy}` } },
  { name: 'legacy order: known kinds first, then unknown kinds by group, version, kind, namespace, name', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': `${capi}---\n${cm('b', '', '  namespace: z\n')}---\n${cm('a')}---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: hook\n` } },
  // output format
  { name: 'output: keys sorted, strings quoted when they read as other types, numbers normalized', files: {
    'kustomization.yaml': 'resources:\n- a.yaml\n',
    'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    int: 0x1F\n    float: 1.50\n    empty:\ndata:\n  "on": "on"\n  "y": "y"\n  "1": "1"\n  "null": "null"\n  "~": "~"\n  "": ""\n  a10: a\n  a9: b\n  colon: "a: b"\n  hash: "a #b"\n  lead: " x"\n  multi: "l1\\nl2\\n"\n  multi2: "l1\\nl2"\n  long: "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh iiiiiiiiii"\n  tab: "a\\tb"\n  date: "2024-01-01"\nnums:\n  big: 12345678901234567890\n  exp: 1e6\n  frac: 0.000001\n  neg: -0\n  oct: 0o17\n  when: 2024-01-01\n' } },
];

export const errorCases: ErrorCase[] = [
  { name: 'a file outside the kustomization directory', contains: ['overlay/kustomization.yaml:2:3', 'resources[0]', 'not in or below'], files: {
    'overlay/kustomization.yaml': 'resources:\n- ../shared/cm.yaml\n', 'shared/cm.yaml': cm('x') }, dir: 'overlay' },
  { name: 'a patch file outside the kustomization directory', contains: ['overlay/kustomization.yaml:4:3', 'patches[0]', 'not in or below'], files: {
    'overlay/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: ../p.yaml\n', 'base/kustomization.yaml': 'resources:\n- cm.yaml\n', 'base/cm.yaml': cm('x'), 'p.yaml': cm('x') }, dir: 'overlay' },
  { name: 'a symlink that leaves the kustomization directory', contains: ['kustomization.yaml:2:3', 'resources[0]', 'not in or below'], files: {
    'k/kustomization.yaml': 'resources:\n- link.yaml\n', 'secret.yaml': cm('x') }, symlinks: { 'k/link.yaml': '../secret.yaml' }, dir: 'k' },
  { name: 'an absolute path', contains: ['kustomization.yaml:2:3', 'resources[0]', 'absolute'], files: { 'kustomization.yaml': 'resources:\n- /etc/passwd\n' } },
  { name: 'a remote base', contains: ['kustomization.yaml:2:3', 'resources[0]', 'remote'], files: { 'kustomization.yaml': 'resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n' } },
  { name: 'a remote base in scp form', contains: ['kustomization.yaml:2:3', 'resources[0]', 'remote'], files: { 'kustomization.yaml': 'resources:\n- git@github.com:example/repo.git//base?ref=main\n' } },
  { name: 'generator plugins', contains: ['kustomization.yaml:2:3', 'generators[0]', 'ChartInflator/x', 'generator plugins are not supported (no exec or KRM functions)'], files: { 'kustomization.yaml': 'generators:\n- gen.yaml\n', 'gen.yaml': 'apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n' } },
  { name: 'transformer plugins and KRM functions', contains: ['kustomization.yaml:4:3', 'transformers[0]', 'Fn/f', 'transformer plugins are not supported (no exec or KRM functions)'], files: { 'kustomization.yaml': 'resources:\n- cm.yaml\ntransformers:\n- |-\n  apiVersion: example.com/v1\n  kind: Fn\n  metadata:\n    name: f\n    annotations:\n      config.kubernetes.io/function: |\n        exec:\n          path: ./fn.sh\n', 'cm.yaml': cm('x') } },
  { name: 'helmCharts', contains: ['kustomization.yaml:1:1', 'helmCharts', 'unsupported field'], files: { 'kustomization.yaml': 'helmCharts:\n- name: minecraft\n  repo: https://itzg.github.io/minecraft-server-charts\n' } },
  { name: 'an unknown field', contains: ['kustomization.yaml:3:1', 'namePrefx', 'unknown field'], files: { 'kustomization.yaml': 'resources:\n- cm.yaml\nnamePrefx: a-\n', 'cm.yaml': cm('x') } },
  { name: 'a YAML 1.1 boolean label value', contains: ['kustomization.yaml:4:3', 'commonLabels.gpu', 'expected string, got a boolean'], files: { 'kustomization.yaml': 'resources:\n- cm.yaml\ncommonLabels:\n  gpu: y\n', 'cm.yaml': cm('x') } },
  { name: 'malformed YAML, with its line and column', contains: ['cm.yaml:6:1', 'invalid YAML'], files: { 'kustomization.yaml': 'resources:\n- cm.yaml\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: 1\n' } },
  { name: 'excessive YAML aliases (billion laughs)', contains: ['bomb.yaml', 'Excessive alias count'], kustomizeAccepts: true, files: { 'kustomization.yaml': 'resources:\n- bomb.yaml\n', 'bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n` } },
  { name: 'a document larger than 16 MiB', contains: ['big.yaml:1:1', 'over the 16 MiB limit'], kustomizeAccepts: true, files: { 'kustomization.yaml': 'resources:\n- big.yaml\n', 'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'x'.repeat(16 * 1024 * 1024 + 1)}\n` } },
  { name: 'replicas for a kind without a replicas field spec', contains: ['kustomization.yaml:4:3', 'replicas[0].name', 'replicas applies only to kinds with a replicas field spec'], files: { 'kustomization.yaml': 'resources:\n- c.yaml\nreplicas:\n- name: md-0\n  count: 3\n', 'c.yaml': capi } },
  { name: 'a strategic merge patch without a matching resource', contains: ['kustomization.yaml:4:3', 'patches[0]', 'no unique resource matches'], files: { 'kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: missing\n', 'cm.yaml': cm('x') } },
  { name: 'a JSON patch on a missing path', contains: ['kustomization.yaml:4:3', 'ConfigMap/x', 'patches[0]', 'missing path'], files: { 'kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: replace\n      path: /data/a/b\n      value: 1\n', 'cm.yaml': cm('x') } },
  { name: 'a duplicate resource id', contains: ['kustomization.yaml:3:3', 'resources[1]', 'already registered id'], files: { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': cm('x'), 'b.yaml': cm('x') } },
  { name: 'a generator merge without a base resource', contains: ['kustomization.yaml:3:3', 'configMapGenerator[0].behavior', 'does not exist'], files: { 'kustomization.yaml': 'configMapGenerator:\n- name: settings\n  behavior: merge\n  literals:\n  - A=1\n' } },
  { name: 'a component listed as a resource', contains: ['kustomization.yaml:2:3', 'resources[0]', 'Component'], files: { 'kustomization.yaml': 'resources:\n- comp\n', 'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n', 'comp/cm.yaml': cm('x') } },
  { name: 'an empty kustomization', contains: ['kustomization.yaml', 'kustomization is empty'], files: { 'kustomization.yaml': '# nothing here\n' } },
  { name: 'every broken overlay of a fleet, not just the first', contains: ['a/kustomization.yaml:2:3', 'b/kustomization.yaml:2:3', 'resources[0]'], files: {
    'env/kustomization.yaml': 'resources:\n- ../a\n- ../b\n', 'a/kustomization.yaml': 'resources:\n- missing.yaml\n', 'b/kustomization.yaml': 'resources:\n- gone.yaml\n' }, dir: 'env' },
];

export const EXPECTED: Record<string, string> = {
  "name references across many overlays of one base in one namespace (prefixed, suffixed, stacked, none)": "apiVersion: v1\ndata:\n  A: \"1\"\nkind: ConfigMap\nmetadata:\n  name: a-settings-89g4tffbfk\n  namespace: fleet\n---\napiVersion: v1\ndata:\n  A: \"1\"\nkind: ConfigMap\nmetadata:\n  name: b-settings-89g4tffbfk\n  namespace: fleet\n---\napiVersion: v1\ndata:\n  A: \"1\"\nkind: ConfigMap\nmetadata:\n  name: settings-s-89g4tffbfk\n  namespace: fleet\n---\napiVersion: v1\ndata:\n  A: \"1\"\nkind: ConfigMap\nmetadata:\n  name: top-a-settings-two-89g4tffbfk\n  namespace: fleet\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: a-web\n  namespace: fleet\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: a-settings-89g4tffbfk\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: b-web\n  namespace: fleet\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: b-settings-89g4tffbfk\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: solo\n  namespace: fleet\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: top-a-web-two\n  namespace: fleet\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: top-a-settings-two-89g4tffbfk\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web-s\n  namespace: fleet\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings-s-89g4tffbfk\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "resources: files, multi-document files and Lists, in legacy order": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: zz\n---\napiVersion: v1\ndata:\n  \"n\": 1\n  \"on\": \"yes\"\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "resources: directories and nested bases": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n---\napiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: mid-base\n",
  "resources: kustomization.yml and Kustomization file names": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
  "resources: bases and imageTags, the deprecated aliases": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:2\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "resources: local-config resources are dropped": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n",
  "components: add resources, generators, patches and labels to the parent": "apiVersion: v1\ndata:\n  A: \"1\"\n  B: \"2\"\nkind: ConfigMap\nmetadata:\n  labels:\n    comp: \"on\"\n  name: x-settings-66h9cbh964\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    comp: \"on\"\n  name: x-web\nspec:\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n    comp: \"on\"\n  name: x-web\nspec:\n  replicas: 5\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: x-settings-66h9cbh964\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "namePrefix and nameSuffix rename resources and references, not Namespaces or CRDs": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pre-settings-suf\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: pre-web-suf\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: pre-settings-suf\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "namespace sets namespaced kinds, Namespace objects, RoleBinding subjects named default": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: team\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  name: default\n  namespace: team\n- kind: ServiceAccount\n  name: builder\n  namespace: old\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\n  namespace: team\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n",
  "labels: pairs only touch metadata.labels": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n    env: prod\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "labels: includeSelectors also sets selectors and templates": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n    env: prod\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n      env: prod\n  template:\n    metadata:\n      labels:\n        app: web\n        env: prod\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "labels: includeTemplates sets pod templates but not selectors": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n    env: prod\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n        env: prod\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "labels: fields add custom field specs": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  labels:\n    env: prod\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        env: prod\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n",
  "commonLabels sets metadata, selectors and templates": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n    team: a\n    \"yes\": \"no\"\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n      team: a\n      \"yes\": \"no\"\n  template:\n    metadata:\n      labels:\n        app: web\n        team: a\n        \"yes\": \"no\"\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  labels:\n    team: a\n    \"yes\": \"no\"\n  name: job\nspec:\n  jobTemplate:\n    metadata:\n      labels:\n        team: a\n        \"yes\": \"no\"\n    spec:\n      template:\n        metadata:\n          labels:\n            team: a\n            \"yes\": \"no\"\n        spec:\n          containers: []\n",
  "commonAnnotations sets metadata and pod templates, values stay strings": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    note: \"true\"\n    owner: platform team\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      annotations:\n        note: \"true\"\n        owner: platform team\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "patches: inline strategic merge merges containers by name, patched first": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: envoy:2.0\n        name: sidecar\n      - image: new:1\n        name: new\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n",
  "patches: $patch delete and replace directives, null deletes a field": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - $patch: replace\n        - secretRef:\n            name: s\n        image: nginx:1.25\n        name: app\n",
  "patches: multi-key ports, primitive finalizers, volumes and env merged by their keys": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  finalizers:\n  - c\n  - a\n  - b\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - env:\n        - name: B\n          value: patched\n        - name: C\n          value: c\n        - name: A\n          value: a\n        image: app\n        name: app\n        ports:\n        - containerPort: 80\n          protocol: UDP\n        - containerPort: 80\n          protocol: TCP\n        - containerPort: 443\n          name: https\n      volumes:\n      - configMap:\n          name: cm\n        name: v2\n      - emptyDir: {}\n        name: v1\n",
  "patches: lists of CRD kinds are replaced, maps merged": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  name: cp\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: cp\n  replicas: 3\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      os: flatcar\n      tags:\n      - c\n",
  "patches: JSON 6902 ops add, remove, replace, move, copy, test, - and ~1": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  annotations:\n    example.com/team: a\n    version: v1.33.2\n  finalizers:\n  - a\n  - c\n  name: cp\nspec:\n  replicas: 5\n  template:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: cp\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n",
  "patches: JSON 6902 from a JSON file": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 4\n  template:\n    metadata:\n      labels:\n        pool: a\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  name: cp\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: cp\n  replicas: 3\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n",
  "patches: targets by name regex, namespace, label and annotation selectors": "apiVersion: v1\ndata:\n  byName: \"1\"\nkind: ConfigMap\nmetadata:\n  name: cm-a\n  namespace: ns1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    byLabel: \"1\"\n  labels:\n    tier: web\n  name: other\n",
  "patches: options allowNameChange and allowKindChange": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n",
  "patchesStrategicMerge and patchesJson6902, the deprecated fields": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n    \"n\": \"1\"\n  name: web\nspec:\n  paused: true\n  replicas: 9\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "configMapGenerator: literals, files, envs, with the content hash in names and references": "apiVersion: v1\nbinaryData:\n  key: AAEC/w==\ndata:\n  A: \"1\"\n  Q: quoted value\n  X: \"1\"\n  \"Y\": two words\n  Z: \"\"\n  config.txt: |\n    line one\n    line two\nkind: ConfigMap\nmetadata:\n  name: settings-c8tg5c974h\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings-c8tg5c974h\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n",
  "secretGenerator: type, base64 data, long values wrapped like kustomize": "apiVersion: v1\ndata:\n  password: |\n    YS12ZXJ5LWxvbmctcGFzc3dvcmQtdGhhdC1pcy1sb25nZXItdGhhbi1maWZ0eS10d28tYn\n    l0ZXMtaW4tdG90YWw=\n  username: YWRtaW4=\nkind: Secret\nmetadata:\n  name: creds-kg2h9d845m\ntype: kubernetes.io/basic-auth\n",
  "generators: behavior merge and replace over a base, options and generatorOptions": "apiVersion: v1\ndata:\n  K: V\nimmutable: true\nkind: ConfigMap\nmetadata:\n  annotations:\n    note: global\n  labels:\n    gen: global\n  name: fixed\n---\napiVersion: v1\ndata:\n  NEW: \"1\"\nkind: ConfigMap\nmetadata:\n  annotations:\n    note: global\n  labels:\n    gen: global\n  name: plain-mtd98m72k6\n---\napiVersion: v1\ndata:\n  A: \"1\"\n  B: \"2\"\nkind: ConfigMap\nmetadata:\n  annotations:\n    note: global\n  labels:\n    gen: local\n  name: settings-66h9cbh964\n",
  "replacements: source field to target fields, delimiter, create, [key=value] and reject": "apiVersion: v1\ndata:\n  tag: v2\nkind: ConfigMap\nmetadata:\n  name: other\n---\napiVersion: v1\ndata:\n  image: repo/app:v2\n  version: v1.34.0\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n      version: v1.34.0\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  name: cp\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: cp\n  replicas: 3\n  version: v1.34.0\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n",
  "replacements: from a file of replacements": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  name: cp\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: cp\n  replicas: 3\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n",
  "replicas and images on Deployments": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 7\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: mirror.example.com/nginx:1.27\n        name: app\n      - image: envoy@sha256:0123456789abcdef\n        name: sidecar\n",
  "configurations: CAPI name references, labels and replicas for custom kinds": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  labels:\n    cluster: eu-1\n  name: eu-1-cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: eu-1-cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: eu-1-cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  labels:\n    cluster: eu-1\n  name: eu-1-md-0\nspec:\n  clusterName: cluster\n  replicas: 6\n  template:\n    metadata:\n      labels:\n        cluster: eu-1\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: eu-1-cp\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  labels:\n    cluster: eu-1\n  name: eu-1-cp\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: eu-1-cp\n  replicas: 3\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  labels:\n    cluster: eu-1\n  name: eu-1-cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  labels:\n    cluster: eu-1\n  name: eu-1-cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n",
  "configurations declared in a base apply to the overlay": "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: eu-2-cluster\n  namespace: fleet\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: eu-2-cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: eu-2-cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: eu-2-md-0\n  namespace: fleet\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: eu-2-cp\n        namespace: fleet\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  name: eu-2-cp\n  namespace: fleet\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: eu-2-cp\n  replicas: 3\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: eu-2-cluster\n  namespace: fleet\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: eu-2-cp\n  namespace: fleet\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n",
  "sortOptions: fifo keeps input order": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
  "sortOptions: legacy with custom first and last kinds": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings\n        image: nginx:1.25\n        name: app\n      - image: envoy:1.0\n        name: sidecar\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
  "legacy order: known kinds first, then unknown kinds by group, version, kind, namespace, name": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: z\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: cluster\nspec:\n  controlPlaneRef:\n    apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n    kind: KubeadmControlPlane\n    name: cp\n  infrastructureRef:\n    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n    kind: PacketCluster\n    name: cluster\n---\napiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: md-0\nspec:\n  clusterName: cluster\n  replicas: 2\n  template:\n    spec:\n      infrastructureRef:\n        kind: PacketMachineTemplate\n        name: cp\n---\napiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata:\n  name: cp\nspec:\n  machineTemplate:\n    infrastructureRef:\n      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: PacketMachineTemplate\n      name: cp\n  replicas: 3\n  version: v1.33.2\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata:\n  name: cluster\nspec:\n  metro: am\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata:\n  name: cp\nspec:\n  template:\n    spec:\n      machineType: c3.small.x86\n      tags:\n      - a\n      - b\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: hook\n",
  "output: keys sorted, strings quoted when they read as other types, numbers normalized": "apiVersion: v1\ndata:\n  \"\": \"\"\n  \"~\": \"~\"\n  \"1\": \"1\"\n  a9: b\n  a10: a\n  colon: 'a: b'\n  date: \"2024-01-01\"\n  hash: 'a #b'\n  lead: ' x'\n  long: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg\n    hhhhhhhhhh iiiiiiiiii\n  multi: |\n    l1\n    l2\n  multi2: |-\n    l1\n    l2\n  \"null\": \"null\"\n  \"on\": \"on\"\n  tab: \"a\\tb\"\n  \"y\": \"y\"\nkind: ConfigMap\nmetadata:\n  annotations:\n    empty: \"\"\n    float: \"1.50\"\n    int: \"0x1F\"\n  name: x\nnums:\n  big: 12345678901234567890\n  exp: 1000000\n  frac: 1e-06\n  neg: 0\n  oct: 15\n  when: \"2024-01-01T00:00:00Z\"\n"
};
