// The fleet page in a real browser: `drover agent` (in-process, the CLI's own wiring) against the
// browser project's real kube-apiserver with fleet-example served by the git http-backend and a
// real Gitea as the forge, the page opened in Debian's headless Chromium through playwright-core.
// Each cluster shows in the grid; CAPI-like status written onto the objects turns a cell from
// pending to healthy without a reload (server-sent events); a Gitea pull request's plan appears in
// the environment view; axe-core finds no violation; the page works with JavaScript off; the
// commit statuses link to the page; `drover status --fleet` prints the page's data.
// Screenshots go to test-results/page/.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../agent/cli/main.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import type { FleetView } from '../../agent/page/page-model.js';
import { clusterV1beta2, counters, kcpV1beta2, mdV1beta2 } from '../support/capi-shapes.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { findFreePorts } from '../support/free-ports.js';
import { commitFiles, createRepo, repoPath, setRef } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'page');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const custom = kc.makeApiClient(CustomObjectsApi);
const admin = createKubeClient(kc, { fieldManager: 'test' });

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out[relative(dir, join(entry.parentPath, entry.name))] = await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

describe('the fleet page in headless Chromium, served by drover agent', () => {
  let gitea: GiteaInstance;
  let work: string;
  let ns: string;
  let url: string;
  let browser: Browser;
  let first: string;
  let files: Record<string, string>;
  const stop = new AbortController();
  let agentDone: Promise<number> | undefined;
  let agentErr = '';
  const cell = (env: string, cluster: string) => `#cell-${ns}--example--${env}--${cluster}`;
  const fleetPath = () => `/fleets/${ns}/example`;
  const toGitea = (ref: string) => run('git', ['-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`${gitea.user}:${gitea.token}`).toString('base64')}`, 'push', '--quiet', '--force', `${gitea.url}/${gitea.user}/fleet.git`, `${ref}:${ref}`], { cwd: repoPath(gitRoot, 'fleet') });
  const writeStatus = async (namespace: string, apiVersion: string, plural: string, name: string, status: (g: number) => unknown) => {
    const [group, version] = apiVersion.split('/') as [string, string];
    const live = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name })) as KubeObject;
    await custom.replaceNamespacedCustomObjectStatus({ group, version, namespace, plural, name, body: { ...live, status: status(live.metadata.generation!) } });
  };
  const shot = async (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const openPage = async (path: string, options: { javaScriptEnabled?: boolean; bypassCSP?: boolean } = {}) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(`${url}${path}`);
    return { page, response, violations, close: () => context.close() };
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    work = await mkdtemp(join(tmpdir(), 'drover-page-'));
    gitea = await startGitea(giteaBinary());
    ns = await createTestNamespace(kubeconfigPath, 'page');
    files = await readTree(join(ROOT, 'fleet-example'));
    first = await createRepo(gitRoot, 'fleet', files, { message: 'fleet-example' });
    await gitea.api('POST', '/user/repos', { name: 'fleet', auto_init: false, default_branch: 'main' });
    await toGitea('refs/heads/main');
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge', namespace: ns }, stringData: { token: gitea.token } }, { dryRun: false, force: true });
    const [port] = await findFreePorts(1);
    url = `http://127.0.0.1:${port}`;
    const log = createWriteStream(join(work, 'agent.log'));
    agentDone = main(['agent', '--kubeconfig', kubeconfigPath, '--namespace', ns, '--inventory-namespace', ns, '--listen', `127.0.0.1:${port}`, '--public-url', url, '--cache-dir', join(work, 'cache'), '--recheck-interval', '2s', '--log-level', 'info'], {
      stdout: { write: () => true }, stderr: { write: (s: string) => (agentErr += s) }, logStream: log, env: { HOME: work }, cwd: ROOT, signal: stop.signal,
    });
    await admin.apply({
      apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'example', namespace: ns },
      spec: { source: { url: `${gitServerUrl}/fleet.git`, ref: 'main' }, interval: '2s', forge: { kind: 'gitea', url: gitea.url, repository: `${gitea.user}/fleet`, tokenSecretRef: { name: 'forge' } }, pullRequests: { enabled: true } },
    }, { dryRun: false, force: true });
    await waitUntil(async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok ? true : undefined), { what: `the agent at ${url}`, timeoutMs: 120_000, intervalMs: 250 }).catch((e) => {
      throw new Error(`${(e as Error).message}\nagent: ${agentErr}`);
    });
    browser = await chromium.launch({ executablePath: inject('chromiumPath'), headless: true, args: CHROMIUM_ARGS });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    stop.abort();
    await agentDone;
    await gitea?.stop();
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
    for (const n of ['fleet-dev', 'fleet-staging', 'fleet-prod']) await deleteTestNamespace(kubeconfigPath, n).catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('shows each cluster of fleet-example in the grid, under a Content-Security-Policy and with no inline code', async () => {
    const { page, response, violations, close } = await openPage('/');
    try {
      const headers = response!.headers();
      expect(headers['content-security-policy']).toContain("script-src 'self'");
      expect(headers['content-security-policy']).not.toContain('unsafe-inline');
      // The page updates itself as the agent polls and applies: no reload.
      for (const [env, c] of [['dev', 'mem-1'], ['dev', 'mem-2'], ['staging', 'ams-stg-1'], ['prod', 'dal-1'], ['prod', 'fra-1']] as const) {
        await page.waitForSelector(cell(env, c), { timeout: 120_000 }).catch((e) => {
          throw new Error(`${(e as Error).message}\nagent: ${agentErr}`);
        });
      }
      await page.waitForSelector(`${cell('staging', 'ams-stg-1')}.state-pending`, { timeout: 120_000 });
      const html = await page.content();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(await page.locator('[onclick],[onload],[onerror],[style]').count()).toBe(0);
      expect(violations).toEqual([]);
      await shot(page, 'fleets-pending');
    } finally {
      await close();
    }
  });

  it('turns a cell from pending to healthy live when CAPI-like status is written (server-sent events, no reload)', async () => {
    const { page, close } = await openPage(fleetPath());
    try {
      const target = cell('staging', 'ams-stg-1');
      await page.waitForSelector(`${target}.state-pending`, { timeout: 60_000 });
      await page.waitForFunction("document.body.getAttribute('data-live-state') === 'open'", undefined, { timeout: 30_000 });
      await page.evaluate('window.notReloaded = true');
      await writeStatus('fleet-staging', 'controlplane.cluster.x-k8s.io/v1beta2', 'kubeadmcontrolplanes', 'ams-stg-1-control-plane', (g) => kcpV1beta2({ cluster: 'ams-stg-1', replicas: 1, version: 'v1.33.4', generation: g }).status);
      await writeStatus('fleet-staging', 'cluster.x-k8s.io/v1beta2', 'machinedeployments', 'ams-stg-1-md-0', (g) => mdV1beta2({ cluster: 'ams-stg-1', replicas: 2, generation: g }).status);
      await writeStatus('fleet-staging', 'cluster.x-k8s.io/v1beta2', 'clusters', 'ams-stg-1', (g) => clusterV1beta2({ name: 'ams-stg-1', generation: g, cp: counters(1), workers: counters(2) }).status);
      await page.waitForSelector(`${target}.state-success`, { timeout: 60_000 });
      expect(await page.evaluate('window.notReloaded')).toBe(true);
      expect(Number(await page.getAttribute('body', 'data-updates'))).toBeGreaterThan(0);
      const text = await page.locator(target).innerText();
      expect(text).toContain('Healthy');
      expect(text).toMatch(/Control plane\s+1\/1/);
      expect(text).toMatch(/Workers\s+2\/2/);
      expect(text).toContain('v1.33.4');
      expect(text).toContain(`main@${first.slice(0, 7)}`);
      // staging healthy at the revision releases prod, which the grid then shows applied (pending).
      await page.waitForSelector(`${cell('prod', 'dal-1')}.state-pending`, { timeout: 90_000 });
      await shot(page, 'fleet-staging-healthy');
    } finally {
      await close();
    }
  });

  it('links the commit statuses to the cluster\'s cell and the environment (--public-url)', async () => {
    const statuses = async () => gitea.api<Array<{ context: string; target_url: string; status: string }>>('GET', `/repos/${gitea.user}/fleet/statuses/${first}?limit=50`);
    const withUrl = await waitUntil(async () => {
      const all = await statuses();
      return all.some((s) => s.context === 'drover/staging/ams-stg-1' && s.status === 'success') ? all : undefined;
    }, { what: 'drover/staging/ams-stg-1 success on Gitea', timeoutMs: 60_000, intervalMs: 500 });
    const byContext = new Map(withUrl.map((s) => [s.context, s.target_url]));
    expect(byContext.get('drover/staging/ams-stg-1')).toBe(`${url}${fleetPath()}${cell('staging', 'ams-stg-1')}`);
    expect(byContext.get('drover/staging')).toBe(`${url}${fleetPath()}/environments/staging`);
    const target = new URL(byContext.get('drover/staging/ams-stg-1')!);
    const { page, close } = await openPage(target.pathname + target.hash);
    try {
      // The link lands on the cell, which stays marked when live updates replace the grid.
      expect(`#${await page.locator('.cell[data-target]').getAttribute('id')}`).toBe(cell('staging', 'ams-stg-1'));
      expect(await page.locator(cell('staging', 'ams-stg-1')).isVisible()).toBe(true);
    } finally {
      await close();
    }
  });

  it('shows a Gitea pull request\'s plan in the environment\'s plans view, as the comment renders it', async () => {
    const poolFile = 'clusters/staging/ams-stg-1/pool-md-0.yaml';
    const head = await commitFiles(gitRoot, 'fleet', { [poolFile]: files[poolFile]!.replace(/replicas: 2\b/, 'replicas: 3') }, { message: 'staging: ams-stg-1 md-0 to 3 machines', branch: 'resize-md-0' });
    await toGitea('refs/heads/resize-md-0');
    const pr = await gitea.api<{ number: number }>('POST', `/repos/${gitea.user}/fleet/pulls`, { title: 'staging: ams-stg-1 md-0 to <b>3</b> machines', head: 'resize-md-0', base: 'main' });
    await setRef(gitRoot, 'fleet', `refs/pull/${pr.number}/head`, head);
    const { page, close } = await openPage(`${fleetPath()}/environments/staging`);
    try {
      const heading = page.getByRole('heading', { name: `Pull request #${pr.number}: staging: ams-stg-1 md-0 to <b>3</b> machines` });
      await heading.waitFor({ timeout: 120_000 });
      const plan = page.locator('article.plan', { has: heading });
      await expect.poll(() => plan.locator('.markdown table').innerText(), { timeout: 10_000 }).toContain('2 → 3');
      expect(await plan.innerText()).toContain('1 pool resized');
      await shot(page, 'environment-staging-plans');
    } finally {
      await close();
    }
  });

  it('opens a cluster\'s detail with its Cluster API objects, their conditions and what Drover recorded', async () => {
    const { page, close } = await openPage(fleetPath());
    try {
      await page.locator(`${cell('staging', 'ams-stg-1')} .cell-name a`).click();
      await page.waitForURL(/\/clusters\/fleet-staging\/ams-stg-1$/);
      const text = await page.locator('main').innerText();
      for (const s of ['Cluster/ams-stg-1', 'KubeadmControlPlane/ams-stg-1-control-plane', 'MachineDeployment/ams-stg-1-md-0', 'Available', 'What Drover recorded', 'pending → success']) expect(text).toContain(s);
      await shot(page, 'cluster-ams-stg-1');
    } finally {
      await close();
    }
  });

  it('passes an axe-core check on every view', async () => {
    const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    const paths = ['/', fleetPath(), `${fleetPath()}/environments/staging`, `${fleetPath()}/environments/staging/clusters/fleet-staging/ams-stg-1`];
    for (const path of paths) {
      // axe is injected as a script of the test: this context alone lifts the page's CSP.
      const { page, close } = await openPage(path, { bypassCSP: true });
      try {
        await page.addScriptTag({ path: axePath });
        const result = (await page.evaluate(`(async () => {
          const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
          return r.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ') + ')');
        })()`)) as string[];
        expect(result, path).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('works as a static snapshot with JavaScript disabled', async () => {
    const { page, close } = await openPage(fleetPath(), { javaScriptEnabled: false });
    try {
      expect(await page.locator(`${cell('staging', 'ams-stg-1')}.state-success`).count()).toBe(1);
      expect(await page.locator('#live-status').innerText()).toContain('Static page');
      await page.locator(`${cell('prod', 'fra-1')} .cell-name a`).click();
      await page.waitForURL(/\/clusters\/fleet-prod\/fra-1$/);
      expect(await page.locator('h1').innerText()).toContain('fra-1');
    } finally {
      await close();
    }
  });

  it('is usable from the keyboard: a skip link first, Tab through every link, arrows between cells', async () => {
    const { page, close } = await openPage(fleetPath());
    try {
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Skip to content');
      await page.locator(`${cell('dev', 'mem-1')} .cell-name a`).focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('mem-2');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('ams-stg-1');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/clusters\/fleet-staging\/ams-stg-1$/);
    } finally {
      await close();
    }
  });

  it('drover status --fleet prints what the page shows, from the same JSON', async () => {
    const out = { stdout: '', stderr: '' };
    const io = (fmt: string[]) => main(['status', '--fleet', 'example', '-n', ns, '--agent-url', url, ...fmt], {
      stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, logStream: createWriteStream('/dev/null'), env: { HOME: work }, cwd: ROOT,
    });
    const code = await io(['-o', 'json']);
    const cli = JSON.parse(out.stdout) as FleetView;
    const page = (await (await fetch(`${url}/api/fleets/${ns}/example`)).json()) as FleetView;
    const cells = (v: FleetView) => v.environments.map((e) => [e.name, e.phase, e.lastAppliedRevision, e.clusters.map((c) => [c.name, c.state, c.description])]);
    expect(cells(cli)).toEqual(cells(page));
    expect([0, 1, 3]).toContain(code);
    out.stdout = '';
    await io([]);
    expect(out.stdout).toMatch(/staging\s+ready|staging\s+progressing/);
    expect(out.stdout).toMatch(/success\s+fleet-staging\/ams-stg-1\s+v1\.33\.4\s+1\/1\s+2\/2/);
  });
});
