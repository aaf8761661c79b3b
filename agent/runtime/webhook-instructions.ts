import { WEBHOOK_PATH_PREFIX } from './webhook-plugin.js';
import { WebhookForge } from './webhook-signature.js';

export interface WebhookInstructionsInput {
  /** The agent's URL as the forge reaches it (the Service behind an Ingress): `https://drover.example.com`. */
  readonly baseUrl: string;
  readonly namespace: string;
  readonly name: string;
  /** The Fleet's tracked ref, for the forges' branch filters. */
  readonly ref?: string | undefined;
  /** One forge, or every forge when undefined. */
  readonly forge?: WebhookForge | undefined;
  /** `spec.webhook.secretRef`; undefined: the Fleet has none yet (the text says how to add it). */
  readonly secret?: { readonly name: string; readonly key: string } | undefined;
}

/** `<base>/hooks/<namespace>/<name>`. Pure. */
export function toWebhookUrl(baseUrl: string, namespace: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${WEBHOOK_PATH_PREFIX}${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/**
 * What a person configures on the forge so that pushes and pull requests reach the agent at
 * once: URL, content type, secret (where it lives, never its value), events, per forge. Pure.
 */
export function formatWebhookInstructions(input: WebhookInstructionsInput): string {
  const url = toWebhookUrl(input.baseUrl, input.namespace, input.name);
  const where = `Fleet/${input.namespace}/${input.name}`;
  const secretName = input.secret?.name ?? 'fleet-webhook';
  const key = input.secret?.key ?? 'token';
  const branch = input.ref ?? 'main';
  const lines: string[] = [`Webhooks for ${where}`, '', `  URL           ${url}`, '  Content type  application/json', `  Secret        the value of key "${key}" of Secret/${input.namespace}/${secretName}:`, `                kubectl -n ${input.namespace} get secret ${secretName} -o jsonpath='{.data.${key}}' | base64 -d`, ''];
  if (!input.secret) {
    lines.push(
      `${where} has no spec.webhook yet; deliveries are refused until it has one:`,
      `  kubectl -n ${input.namespace} create secret generic ${secretName} --from-literal=${key}="$(openssl rand -hex 32)"`,
      `  kubectl -n ${input.namespace} patch fleet ${input.name} --type merge -p '{"spec":{"webhook":{"secretRef":{"name":"${secretName}","key":"${key}"}}}}'`,
      '',
    );
  }
  const forges = input.forge ? [input.forge] : [WebhookForge.GitHub, WebhookForge.GitLab, WebhookForge.Gitea];
  for (const forge of forges) lines.push(...FORGE_STEPS[forge](url, key, branch), '');
  lines.push(
    'A push to the tracked branch is applied at once; a pull request into it that is opened, reopened or',
    'pushed to gets its plan check at once (with spec.pullRequests.enabled and spec.forge). Polling goes on',
    'as a fallback. The agent answers 401 to a delivery not signed with the secret, 413 to a body over 5 MiB,',
    '202 to an event it does not act on, and acts on each delivery ID once.',
  );
  return `${lines.join('\n')}\n`;
}

const FORGE_STEPS: Readonly<Record<WebhookForge, (url: string, key: string, branch: string) => string[]>> = {
  [WebhookForge.GitHub]: (url) => [
    'GitHub (repository Settings → Webhooks → Add webhook):',
    `  Payload URL             ${url}`,
    '  Content type            application/json',
    '  Secret                  the secret above (deliveries carry X-Hub-Signature-256)',
    '  SSL verification        enabled',
    '  Which events            Let me select individual events: Pushes, Pull requests',
    '  Active                  checked',
  ],
  [WebhookForge.GitLab]: (url, _key, branch) => [
    'GitLab (project Settings → Webhooks → Add new webhook):',
    `  URL                     ${url}`,
    '  Secret token            the secret above (sent as X-Gitlab-Token; GitLab always sends JSON)',
    `  Trigger                 Push events (branch filter: ${branch}), Merge request events`,
    '  SSL verification        enabled',
  ],
  [WebhookForge.Gitea]: (url, _key, branch) => [
    'Gitea or Forgejo (repository Settings → Webhooks → Add webhook → Gitea):',
    `  Target URL              ${url}`,
    '  HTTP method             POST',
    '  POST content type       application/json',
    '  Secret                  the secret above (deliveries carry X-Gitea-Signature)',
    '  Trigger on              Custom events: Push, Pull request, Pull request synchronized',
    `  Branch filter           ${branch}`,
    '  Active                  checked',
  ],
};
