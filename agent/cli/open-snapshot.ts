import * as fs from 'node:fs';
import http from 'isomorphic-git/http/node';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { createGitSource } from '../source/git-source.js';
import { createLocalSource } from '../source/local-source.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import { Forge, pullRequestRef } from '../source/source-ref.js';
import { isRemoteRepo } from '../source/repo-url.js';
import type { FleetCommandOptions } from './options.js';

/** Reads the revision the flags name: a git URL at --ref/--pr, or a local directory as it is. */
export async function openSnapshot(command: string, o: FleetCommandOptions, cwd: string, log: Logger): Promise<FleetSnapshot> {
  if (isRemoteRepo(o.repo)) {
    const source = createGitSource({ url: o.repo, cacheDir: o.cacheDir, auth: o.auth, fs, http, timeouts: o.gitTimeouts, logger: log.child({ stage: 'source' }) });
    const ref = o.pr !== undefined ? pullRequestRef(o.pr, o.forge === 'gitlab' ? Forge.GitLab : Forge.GitHub) : (o.ref ?? 'HEAD');
    return source.fetchRevision(ref);
  }
  if (o.ref !== undefined || o.pr !== undefined) {
    throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `${command}: --ref and --pr need a git URL in --repo; ${o.repo} is read as a local directory` }]);
  }
  return createLocalSource(o.repo.startsWith('/') ? o.repo : `${cwd}/${o.repo}`).fetchRevision();
}
