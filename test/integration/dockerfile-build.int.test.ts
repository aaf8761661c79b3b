// The Dockerfile's build steps, run outside Docker: the files its COPY lines name go into a clean
// temporary directory, its RUN line of the build stage runs there with the same commands
// (npm ci --ignore-scripts, tsc, npm prune --omit=dev; npm reads the local cache first), and the
// result — production node_modules, dist, bin — starts the image's default command's help.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** The build stage's COPY sources and RUN commands, and the final stage's ENTRYPOINT and CMD. */
async function readDockerfile(): Promise<{ copies: string[]; run: string; entrypoint: string[]; cmd: string[] }> {
  const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
  const [build] = text.split(/^FROM .*$/m).slice(1);
  const copies = [...build!.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  const runLine = /^RUN (.+)$/m.exec(build!)![1]!;
  const json = (key: string) => JSON.parse(new RegExp(`^${key} (\\[.*\\])$`, 'm').exec(text)![1]!) as string[];
  return { copies, run: runLine, entrypoint: json('ENTRYPOINT'), cmd: json('CMD') };
}

describe('Dockerfile', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds with its own commands in a clean directory and its default command runs', async () => {
    const docker = await readDockerfile();
    expect(docker.cmd).toEqual(['agent']);
    dir = await mkdtemp(join(tmpdir(), 'drover-image-'));
    for (const src of docker.copies) await cp(join(ROOT, src), join(dir, src), { recursive: true });
    await run('sh', ['-c', docker.run.replace(/\bnpm ci\b/, 'npm ci --prefer-offline --no-audit --no-fund')], { cwd: dir, timeout: 600_000, maxBuffer: 1 << 24 });
    // The final stage copies node_modules, dist, package.json and bin.
    await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    const devOnly = await run('node', ['-e', "import('vitest').then(() => console.log('present'), () => console.log('absent'))"], { cwd: dir });
    expect(devOnly.stdout.trim()).toBe('absent');
    const entry = docker.entrypoint.map((a) => a.replace('/app/', `${dir}/`));
    const help = await run(entry[0]!, [...entry.slice(1), ...docker.cmd, '--help'], { cwd: dir });
    expect(help.stdout).toContain('Usage: drover agent [flags]');
    const version = await run(entry[0]!, [...entry.slice(1), '--version'], { cwd: dir });
    expect(version.stdout).toMatch(/^drover \d+\.\d+\.\d+\n$/);
  }, 900_000);
});
