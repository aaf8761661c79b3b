// fleet-example's dev environment, as a person runs it after `npm run cluster -- up --capi`:
// `drover apply --repo fleet-example --env dev`, then `drover status` until green. The real CAPI
// controllers and CAPD's in-memory backend bring both clusters up; nobody writes status.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../agent/cli/main.js';
import { recordCapiStatus } from '../support/capi-status-recorder.js';
import { deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const FLEET = join(import.meta.dirname, '../../fleet-example');
const clusterLines = (stdout: string) => stdout.split('\n').filter((l) => /^(success|pending|failure|error)\s+\S+\/\S+:/.test(l));

async function drover(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([...argv, '--repo', FLEET, '--env', 'dev', '--kubeconfig', kubeconfigPath], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    logStream: new Writable({ write: (_c, _e, cb) => cb() }),
    env: { PATH: process.env.PATH },
    cwd: FLEET,
  });
  return { code, stdout, stderr };
}

afterAll(async () => {
  await deleteTestNamespace(kubeconfigPath, 'fleet-dev');
});

describe('fleet-example dev (in-memory clusters)', () => {
  it('applies, and both clusters come up: drover status goes pending → success', async () => {
    const applied = await drover('apply');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Cluster/fleet-dev/mem-1 created');
    const appliedAt = new Date().toISOString();
    const seen: number[] = [];
    let last = await drover('status');
    for (let i = 0; last.code === 3 && i < 120; i++) {
      seen.push(last.code);
      await recordCapiStatus(kubeconfigPath, 'fleet-dev', { scenario: 'fleet-example-dev', moment: `status-exit-${last.code}`, appliedAt, droverSaid: clusterLines(last.stdout) }, i);
      await new Promise((r) => setTimeout(r, 3_000));
      last = await drover('status');
    }
    await recordCapiStatus(kubeconfigPath, 'fleet-dev', { scenario: 'fleet-example-dev', moment: `status-exit-${last.code}`, appliedAt, droverSaid: clusterLines(last.stdout) }, 999);
    expect(last.code, last.stdout).toBe(0);
    expect(seen[0]).toBe(3);
    expect(clusterLines(last.stdout)).toEqual([
      'success  dev/mem-1: Available, cp 1/1, workers 1/1, v1.33.4',
      'success  dev/mem-2: Available, cp 1/1, workers 2/2, v1.33.4',
    ]);
    const again = await drover('apply');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('15 unchanged');
  });
});
