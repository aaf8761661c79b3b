import { describe, expect, it } from 'vitest';
import { fleetState, pageStore } from '../../test/fixtures/page/fleet-page-fixture.js';
import { fleetExitCode, formatFleetText } from './format-fleet-text.js';
import { toFleetView } from './to-views.js';

describe('drover status --fleet text', () => {
  const view = toFleetView(fleetState(), pageStore().get('drover-system/example'));

  it('prints the page data as its golden text: environments in promotion order, then their clusters', async () => {
    await expect(formatFleetText(view)).toMatchFileSnapshot('../../test/golden/page/fleet-status.txt');
  });

  it.each([
    { name: 'a stalled environment fails', phases: ['stalled', 'ready'], states: ['success'], code: 1 },
    { name: 'a converging environment is pending', phases: ['progressing', 'ready'], states: ['pending'], code: 3 },
    { name: 'every environment ready and healthy succeeds', phases: ['ready', 'ready'], states: ['success'], code: 0 },
    { name: 'a failing cluster fails', phases: ['ready', 'ready'], states: ['failure'], code: 1 },
  ])('exit code: $name', ({ phases, states, code }) => {
    const envs = view.environments.slice(0, 2).map((e, i) => ({ ...e, phase: phases[i]!, clusters: e.clusters.slice(0, 1).map((c) => ({ ...c, state: states[0] as 'success' })) }));
    expect(fleetExitCode({ ...view, environments: envs })).toBe(code);
  });
});
