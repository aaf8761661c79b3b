import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/log.js';
import type { FleetConfig } from '../fleet/fleet-config.js';
import type { KubeClient } from '../kube/kube-client.js';
import { openAgentProviders } from './agent-providers.js';

const client = {} as KubeClient;
const withMetal = (token: { file: string } | { secret: { name: string; key: string } }) =>
  ({ providers: { equinixMetal: { apiURL: 'https://metal.invalid/metal/v1', token, projects: {}, capacity: 'block' } } }) as unknown as FleetConfig;

describe('openAgentProviders', () => {
  it('opens nothing, and so calls nothing, when drover.yaml configures no provider', () => {
    expect(openAgentProviders({ providers: {} } as unknown as FleetConfig, { client, log: silentLogger, secretNamespace: 'drover-system' })).toBeUndefined();
  });

  it('never reads a token file the repository names: the token must come from a Secret', async () => {
    const open = openAgentProviders(withMetal({ file: '/var/run/secrets/kubernetes.io/serviceaccount/token' }), { client, log: silentLogger, secretNamespace: 'drover-system' });
    expect(open).toBeDefined();
    await expect(open!('staging')).rejects.toThrow(/token file \/var\/run\/secrets\/kubernetes.io\/serviceaccount\/token: the agent reads provider tokens from a Secret/);
  });
});
