import { describe, expect, it } from 'vitest';
import { canShowStep, currentStep, markCompleted, pathForNext } from './flow-state';

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

describe('canShowStep and markCompleted (back navigation)', () => {
  const flow = { steps: ['password', 'terms', 'profile'], completed: ['password', 'terms'] };

  it.each([
    ['the current step', 'profile', true, true],
    ['a finished step that can be revisited', 'terms', true, true],
    ['a finished step that cannot be revisited', 'password', false, false],
    ['a step not in this flow', 'mfa', true, false],
  ])('%s', (_name, step, revisitable, expected) => {
    expect(canShowStep(flow, step, revisitable)).toBe(expected);
  });

  it('does not show a later step before the current one is done', () => {
    expect(canShowStep({ steps: ['terms', 'profile'], completed: [] }, 'profile', true)).toBe(false);
  });

  it('keeps completed steps unique and in flow order when a finished step is submitted again', () => {
    expect(markCompleted(flow, 'terms')).toEqual(['password', 'terms']);
    expect(markCompleted({ steps: ['terms', 'profile'], completed: ['terms'] }, 'profile')).toEqual(['terms', 'profile']);
  });
});
