import { describe, expect, it } from 'vitest';
import { codeLabel, identifierLabel, statusLabel, stepLabel, stepOfRoute } from './labels';

const STEPS = new Set(['terms', 'profile', 'password']);

describe('metric labels come from fixed sets', () => {
  it.each([
    ['/start', 'start'],
    ['/complete', 'complete'],
    ['/start-over', 'start_over'],
    ['/steps/terms', 'terms'],
    ['/steps/password', 'password'],
    ['/steps/unknown', 'other'],
    ['/steps/terms/extra', 'other'],
    ['/steps/alice@example.com', 'other'],
    ['/anything/eyJhbGciOiJIUzI1NiJ9.e30.sig', 'other'],
    ['/', 'other'],
  ])('route %s counts as step %s', (route, step) => {
    expect(stepOfRoute(route, STEPS)).toBe(step);
  });

  it.each([
    ['terms', 'terms'],
    ['start', 'start'],
    ['complete', 'complete'],
    ['auth0|alice', 'other'],
    [undefined, ''],
  ])('step %s is labelled %s', (step, label) => {
    expect(stepLabel(step, STEPS)).toBe(label);
  });

  it.each([
    ['token_replayed', 'token_replayed'],
    ['store_unavailable', 'store_unavailable'],
    ['a-made-up-code', 'other'],
    [undefined, ''],
  ])('code %s is labelled %s', (code, label) => {
    expect(codeLabel(code)).toBe(label);
  });

  it.each([
    ['rate_limited', 'rate_limited'],
    ['token_http', 'token_http'],
    ['updateUser', 'update_user'],
    ['Bearer abc.def', 'other'],
    ['x'.repeat(49), 'other'],
    [42, 'other'],
    [undefined, ''],
  ])('identifier %s is labelled %s', (value, label) => {
    expect(identifierLabel(value)).toBe(label);
  });

  it.each([
    [200, '200'],
    [429, '429'],
    [0, 'other'],
    [1000, 'other'],
  ])('status %s is labelled %s', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });
});
