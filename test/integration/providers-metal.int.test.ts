// Provider checks end to end on the local plane: fleet-example (its staging environment, moved
// into a test namespace) with an Equinix Metal provider block pointing at the local Metal
// server (held to the Metal OpenAPI description from the equinix-sdk-go module). The drover
// CLI runs in-process against the real kube-apiserver; plan checks and the plan comment go to
// the local GitHub stand-in (held to GitHub's OpenAPI description).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../agent/cli/main.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { commitFiles, createRepo, setRef } from '../support/git-repo.js';
import { startMetalApiServer, type MetalApiServer } from '../support/metal/metal-api-server.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const id = randomBytes(3).toString('hex');
const GH_TOKEN = 'ghp_providersTokenThatMustNeverAppear0123';
const METAL_TOKEN = 'metal-providers-token-that-must-never-appear-42';
const PROJECT = '5b2e4f0c-8a7d-4c61-9e3f-2d1a6b7c8e90';
const DEVICE = '7d0c5e3a-1111-4000-8000-00000000f00d';
const repo = `acme/fleet-metal-${id}`;
const env = `metal-${id}`;
const FLEET = join(import.meta.dirname, '../../fleet-example');

let github: GitHubApiServer;
let metal: MetalApiServer;
let ns: string;
let work: string;
let base: Record<string, string>;
let mainSha: string;

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) out[relative(dir, path)] = await readFile(path, 'utf8');
  }
  return out;
}

beforeAll(async () => {
  ns = await createTestNamespace(kubeconfigPath, 'metal-plan');
  work = await mkdtemp(join(tmpdir(), 'drover-metal-'));
  github = await startGitHubApiServer({ token: GH_TOKEN, owner: 'acme', repo: `fleet-metal-${id}` });
  metal = await startMetalApiServer({ token: METAL_TOKEN, projects: [PROJECT] });
  await writeFile(join(work, 'metal-token'), `${METAL_TOKEN}\n`);
  // fleet-example's staging environment, in this test's namespace and with a Metal provider block.
  const tree = await readTree(FLEET);
  base = {};
  for (const [path, text] of Object.entries(tree)) if (!path.startsWith('clusters/prod') && path !== 'drover.yaml') base[path] = text.replaceAll('fleet-staging', ns);
  base['drover.yaml'] = stringify({
    environments: [{ name: env, path: 'environments/staging', namespace: ns }],
    providers: { equinixMetal: { apiURL: metal.url, token: { file: join(work, 'metal-token') }, projects: { [env]: PROJECT }, capacity: 'block' } },
  });
  mainSha = await createRepo(gitRoot, repo, base);
});
afterAll(async () => {
  await github?.close();
  await metal?.close();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  if (work) await rm(work, { recursive: true, force: true });
});

async function drover(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string; log: string }> {
  let stdout = '';
  let stderr = '';
  let log = '';
  const code = await main([...argv, '--repo', `${inject('gitServerUrl')}/${repo}.git`, '--env', env, '--kubeconfig', kubeconfigPath, '--cache-dir', join(work, 'cache')], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    logStream: new Writable({ write: (c, _e, cb) => ((log += String(c)), cb()) }),
    env: { GH_TOKEN, HOME: work, DROVER_LOG_LEVEL: 'debug' },
    cwd: work,
    now: () => Date.parse('2026-11-25T08:00:00Z'),
  });
  outputs.push(stdout, stderr, log);
  return { code, stdout, stderr, log };
}
const outputs: string[] = [];
const reportArgs = (): string[] => ['--report', '--forge', 'github', '--forge-url', github.url, '--forge-token-env', 'GH_TOKEN'];

/** A pull request with `edit` applied to fleet-example's ams-stg-1 files; returns its head. */
async function pullRequest(n: number, edit: (files: Record<string, string>) => void): Promise<string> {
  const files: Record<string, string> = {};
  edit(files);
  const head = await commitFiles(gitRoot, repo, files, { message: `pr ${n}`, branch: `pr-${n}`, from: mainSha });
  await setRef(gitRoot, repo, `refs/pull/${n}/head`, head);
  return head;
}
const POOL = 'clusters/staging/ams-stg-1/pool-md-0.yaml';

describe('Equinix Metal provider checks on fleet-example', () => {
  it('applies main with the cost of the new cluster in the plan', async () => {
    const applied = await drover('apply', '--ref', 'main');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('cost +$2.85/h: 2 × m3.small.x86 in am, 1 × c3.small.x86 in am');
  });

  it('puts the hourly cost delta of a resize in the PR comment', async () => {
    const head = await pullRequest(1, (f) => (f[POOL] = base[POOL]!.replace('replicas: 2', 'replicas: 4')));
    const planned = await drover('plan', '--pr', '1', ...reportArgs());
    expect(planned.code).toBe(0);
    expect(github.statuses(head).map((s) => [s.context, s.state, s.description])).toEqual([[`drover/plan/${env}`, 'success', '+0 clusters, 1 pool resized, 0 deleted']]);
    const comment = github.comments(1)[0]!.body;
    expect(comment).toContain('**Cost:** +$2.10/h: 2 × m3.small.x86 in am');
    expect(comment).toContain(`#### Cluster \`${ns}/ams-stg-1\`\n\nCost: +$2.10/h: 2 × m3.small.x86 in am`);
  });

  it('blocks a resize beyond what the metro can take', async () => {
    metal.capacity.am!['m3.small.x86'] = 10;
    const head = await pullRequest(2, (f) => (f[POOL] = base[POOL]!.replace('replicas: 2', 'replicas: 30')));
    const planned = await drover('plan', '--pr', '2', ...reportArgs());
    expect(planned.code).toBe(2);
    const [status] = github.statuses(head);
    expect([status!.context, status!.state]).toEqual([`drover/plan/${env}`, 'failure']);
    expect(status!.description).toMatch(new RegExp(`^blocked: over-capacity: MachineDeployment/${ns}/ams-stg-1-md-0: metro am cannot take 28 more m3\\.small\\.x86 now`));
    expect(planned.stdout).toContain(`BLOCK over-capacity: MachineDeployment/${ns}/ams-stg-1-md-0: metro am cannot take 28 more m3.small.x86 now (Equinix Metal capacity check); choose another plan or metro, or grow in smaller steps`);
    expect(github.comments(2)[0]!.body).toContain('⛔ **block** `over-capacity`');
  });

  it('fails the plan check of a PR whose new machine template names a plan Metal does not have', async () => {
    const head = await pullRequest(3, (f) => {
      f[POOL] = base[POOL]!.replaceAll('name: ams-stg-1-md-0-m3small-v1', 'name: ams-stg-1-md-0-v2').replace('machineType: m3.small.x86', 'machineType: m3.smal.x86');
    });
    const planned = await drover('plan', '--pr', '3', ...reportArgs());
    expect(planned.code).toBe(2);
    const [status] = github.statuses(head);
    expect([status!.context, status!.state]).toEqual([`drover/plan/${env}`, 'failure']);
    expect(status!.description).toContain(`blocked: unknown-machine-type: PacketMachineTemplate/${ns}/ams-stg-1-md-0-v2 spec.template.spec.machineType: "m3.smal.x86"`);
    expect(planned.stdout).toContain(
      `BLOCK unknown-machine-type: PacketMachineTemplate/${ns}/ams-stg-1-md-0-v2 spec.template.spec.machineType: "m3.smal.x86" is not a plan of project ${PROJECT}; close matches: "m3.small.x86", "c3.small.x86", "m3.large.x86"`,
    );
  });

  it('shows a failed device in the cluster health', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const api = kc.makeApiClient(CustomObjectsApi);
    const cluster = (await api.getNamespacedCustomObject({ group: 'cluster.x-k8s.io', version: 'v1beta2', namespace: ns, plural: 'clusters', name: 'ams-stg-1' })) as { metadata: { generation: number } };
    await api.replaceNamespacedCustomObjectStatus({
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      namespace: ns,
      plural: 'clusters',
      name: 'ams-stg-1',
      body: { ...cluster, status: { observedGeneration: cluster.metadata.generation, conditions: [{ type: 'Available', status: 'False', reason: 'NotAvailable', message: 'waiting for machines', lastTransitionTime: '2026-11-25T07:59:00Z' }] } },
    });
    await api.createNamespacedCustomObject({
      group: 'infrastructure.cluster.x-k8s.io',
      version: 'v1beta1',
      namespace: ns,
      plural: 'packetmachines',
      body: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
        kind: 'PacketMachine',
        metadata: { name: 'ams-stg-1-md-0-abcde', namespace: ns, labels: { 'cluster.x-k8s.io/cluster-name': 'ams-stg-1' } },
        spec: { machineType: 'm3.small.x86', os: 'ubuntu_22_04', providerID: `equinixmetal://${DEVICE}` },
      },
    });
    metal.devices.push({ id: DEVICE, project: PROJECT, hostname: 'ams-stg-1-md-0-abcde', state: 'failed', tags: ['capp:cluster-id:ams-stg-1', 'capp:machine-uid:ams-stg-1-md-0-abcde'], created_at: '2026-11-25T07:58:00Z', metro: 'am', plan: 'm3.small.x86' });
    const status = await drover('status', '--ref', 'main');
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`failure  ${env}/ams-stg-1: Failed: PacketMachine/${ns}/ams-stg-1-md-0-abcde: device ${DEVICE} failed`);
  });

  it('kept every Metal request and answer to the description and never showed a token', () => {
    expect(metal.contract.violations).toEqual([]);
    expect(github.contract.violations).toEqual([]);
    expect(outputs.join('\n')).not.toContain(METAL_TOKEN);
    expect(outputs.join('\n')).not.toContain(GH_TOKEN);
    const paths = new Set(metal.requests.map((r) => `${r.method} ${r.path.replace(PROJECT, '{id}').replace(DEVICE, '{device}')}`));
    expect([...paths].sort()).toEqual([
      'GET /metal/v1/locations/metros',
      'GET /metal/v1/operating-systems',
      'GET /metal/v1/projects/{id}/devices',
      'GET /metal/v1/projects/{id}/plans',
      'POST /metal/v1/capacity/metros',
    ]);
  });
});
