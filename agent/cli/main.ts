import { readFileSync } from 'node:fs';
import { redactUrlCredentials } from '../core/redact-url.js';
import type { CliIo } from './cli-io.js';

export type { CliIo } from './cli-io.js';

const USAGE = `drover — GitOps for Cluster API fleets

Usage:
  drover <command> [flags]

Commands:
  build DIR         print what \`kustomize build DIR\` prints (Drover's own renderer)
  render            render one environment of a fleet repository
  plan              show what applying an environment would change, in Cluster API terms
  apply             apply an environment: dry-run everything, write in stages, prune safely
  status            per-cluster health of a revision in an environment, tied to what is applied
  status --fleet NAME --agent-url URL   what the agent's fleet page shows, as text or JSON
  agent             run the agent: watch Fleets, apply every new commit, keep statuses true
  reconcile fleet NAME   ask the agent to reconcile a Fleet now (-n NAMESPACE)
  webhook-url fleet NAME --url AGENT_URL   what to configure on the forge for signed webhooks
  help              show this help

Fleet command flags (render, plan, apply, status):
  --repo SRC        fleet repository: an http(s) git URL or a local directory (required)
  --ref REF         branch, tag, commit SHA or ref (default: the remote HEAD)
  --pr N            the head of pull request N (refs/pull/N/head; GitLab: --forge gitlab)
  --env ENV         environment from drover.yaml (required)
  --kubeconfig F    management cluster (default: $KUBECONFIG, then ~/.kube/config)
  -o, --output FMT  text (default), markdown or json
  --token-file F | --token-env NAME   git credentials (never printed); --username U
  --force-prune     let apply prune past the safety thresholds (not tombstoned clusters)
  --allow-cluster-deletions N   let apply delete up to N clusters marked drover.dev/delete
                    past the prune limit (default: drover.yaml prune.allowClusterDeletions, 0)
  --cache-dir DIR   where fetched repositories are cached (default: ~/.cache/drover)
  --git-connect-timeout S  seconds to open a connection to the git server (default 15)
  --git-idle-timeout S     seconds of server silence before a fetch fails as transient (default 120)
  --git-timeout S          seconds one git request may take in all, pack included (default 600)
  --request-timeout S      seconds one Kubernetes request may go unanswered before it fails (default 90)

Reporting to the forge (plan, apply, status):
  --report          post commit statuses: drover/<env> and drover/<env>/<cluster> (apply, status),
                    drover/plan/<env> and one sticky comment on pull request --pr N (plan)
  --forge KIND      github, gitlab or gitea (default: told from github.com / gitlab.com)
  --forge-url URL   the forge API root (GitHub Enterprise: https://HOST/api/v3; GitLab, Gitea: https://HOST)
  --forge-token-file F | --forge-token-env NAME   forge API token (default: the git token)
  --report-timeout S  the most seconds spent reporting (default 60); the rest waits in the
                    outbox (<cache-dir>/report-outbox.json) for the next run

Exit codes: 0 done or no changes (status: healthy), 1 error (status: failure),
2 blocked by a safety finding (nothing written), 3 pending (status: still converging or not
applied; apply: the promotion gate waits for an upstream environment, nothing written).

Flags:
  -h, --help        show this help
  -v, --version     print the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Composition root of the CLI: parses argv once and runs one command. Returns the exit code. */
export async function main(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Nothing on stderr (errors, warnings, report lines) ever shows a credential given in a URL.
  const io: CliIo = { ...rawIo, stderr: { write: (s: string) => rawIo.stderr.write(redactUrlCredentials(s)) } };
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command === '-v' || command === '--version' || command === 'version') {
    io.stdout.write(`drover ${version()}\n`);
    return 0;
  }
  if (command === 'build') return (await import('./build-command.js')).runBuild(rest, io);
  if (command === 'status') {
    const { runStatusCommand } = await import('./status-command.js');
    return runStatusCommand(rest, io);
  }
  if (command === 'agent') return (await import('./agent-command.js')).runAgentCommand(rest, io);
  if (command === 'reconcile') return (await import('./reconcile-command.js')).runReconcileCommand(rest, io);
  if (command === 'webhook-url') return (await import('./webhook-url-command.js')).runWebhookUrlCommand(rest, io);
  if (command === 'render' || command === 'plan' || command === 'apply') {
    const { runFleetCommand } = await import('./fleet-commands.js');
    return runFleetCommand(command, rest, io);
  }
  io.stderr.write(`drover: unknown command "${command}"\nRun 'drover --help' for usage.\n`);
  return 1;
}
