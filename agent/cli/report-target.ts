import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { createForge, forgeSettingsFromRepoUrl, type ForgeSettings } from '../report/create-forge.js';
import { ForgeKind } from '../report/forge.js';
import { createFileOutbox } from '../report/outbox.js';
import { createForgeReporter, type ForgeReporter } from '../reconcile/report-forge.js';
import type { FleetCommandOptions } from './options.js';

/** File (under --cache-dir) where statuses the forge did not take wait for the next run. */
export const OUTBOX_FILE = 'report-outbox.json';

/**
 * The forge `--report` posts to: told from the --repo URL (github.com, gitlab.com) or named
 * with --forge, its API root overridden by --forge-url, the token from --forge-token-file /
 * --forge-token-env or else the git token. Undeliverable statuses wait in
 * `<cache-dir>/report-outbox.json` and are retried first on the next run.
 */
export function openForgeReporter(command: string, options: FleetCommandOptions, log: Logger, now: () => number): ForgeReporter {
  if (!/^https?:\/\//.test(options.repo)) {
    throw new ConfigError([{ code: 'InvalidFlag', path: [], message: `${command}: --report needs the fleet repository's git URL in --repo (the forge and the commit come from it); ${options.repo} is a local directory` }]);
  }
  if (!options.forgeToken) {
    throw new ConfigError([{ code: 'MissingCredential', path: [], message: `${command}: --report needs a forge token: --forge-token-file, --forge-token-env, or the git token (--token-file, --token-env)` }]);
  }
  const settings = withApiUrl(forgeSettingsFromRepoUrl(options.repo, options.forge), options.forgeUrl);
  const forge = createForge(settings, {
    token: options.forgeToken,
    fetch: globalThis.fetch,
    onRetry: (info) => log.warn({ forge: settings.kind, ...info }, 'forge request retried'),
  });
  return createForgeReporter(forge, createFileOutbox(join(options.cacheDir, OUTBOX_FILE)), log, now);
}

/** --forge-url: GitHub's API root (`https://ghe.example.com/api/v3`), or GitLab's / Gitea's root URL. */
function withApiUrl(settings: ForgeSettings, url: string | undefined): ForgeSettings {
  if (!url) return settings;
  return settings.kind === ForgeKind.GitHub ? { ...settings, apiUrl: url } : { ...settings, baseUrl: url };
}
