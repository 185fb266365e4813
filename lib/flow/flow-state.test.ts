import { describe, expect, it } from 'vitest';
import { currentStep, pathForNext } from './flow-state';

describe('currentStep and pathForNext', () => {
  it.each([
    [['terms'], [], 'terms', '/steps/terms'],
    [['terms', 'profile', 'password'], [], 'terms', '/steps/terms'],
    [['terms', 'profile', 'password'], ['terms'], 'profile', '/steps/profile'],
    [['terms', 'profile', 'password'], ['terms', 'profile'], 'password', '/steps/password'],
    [['terms', 'profile', 'password'], ['profile'], 'terms', '/steps/terms'],
    [['terms', 'profile'], ['terms', 'profile'], null, '/complete'],
    [['terms'], ['terms', 'profile'], null, '/complete'],
  ])('steps %j with %j completed → %s (%s)', (steps, completed, step, path) => {
    expect(currentStep({ steps, completed })).toBe(step);
    expect(pathForNext({ steps, completed })).toBe(path);
  });
});
