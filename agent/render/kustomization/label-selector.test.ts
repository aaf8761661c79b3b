import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-selector.js';

const labels = new Map([['app', 'web'], ['tier', 'front'], ['version', '3']]);

describe('parseLabelSelector matches like Kubernetes label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app notin (web)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['version>2', true],
    ['version<3', false],
    ['app=web,tier=front', true],
    ['app=web, tier=back', false],
    ['example.com/team=a', false],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each(['app=web=x', 'app in web', '=web', 'app in (a', 'Bad Key=x'])('rejects %s', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow();
  });
});
