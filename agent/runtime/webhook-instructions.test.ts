import { describe, expect, it } from 'vitest';
import { formatWebhookInstructions, toWebhookUrl } from './webhook-instructions.js';

describe('webhook instructions', () => {
  it('builds the per-Fleet URL under /hooks/', () => {
    expect(toWebhookUrl('https://drover.example.com/', 'drover-system', 'example')).toBe('https://drover.example.com/hooks/drover-system/example');
  });

  it('tells what to configure on every forge for a Fleet with a webhook secret', async () => {
    const text = formatWebhookInstructions({ baseUrl: 'https://drover.example.com', namespace: 'drover-system', name: 'example', ref: 'main', secret: { name: 'fleet-webhook', key: 'token' } });
    await expect(text).toMatchFileSnapshot('../../test/golden/webhook-url/all-forges.txt');
  });

  it('says how to add the secret when the Fleet has none, for its one forge', async () => {
    const text = formatWebhookInstructions({ baseUrl: 'https://drover.example.com', namespace: 'fleets', name: 'prod', ref: 'release', forge: 'gitlab' });
    await expect(text).toMatchFileSnapshot('../../test/golden/webhook-url/gitlab-no-secret.txt');
    expect(text).not.toContain('GitHub (');
  });
});
