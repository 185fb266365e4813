import { describe, expect, it } from 'vitest';
import { numberProblem, selectedProblem } from './browser-checks';

describe('numberProblem: the schema’s number rules, before posting', () => {
  const teamSize = { integer: true, min: 1, max: 10000 };
  it.each([
    ['', null],
    [' 12 ', null],
    ['12.5', 'notWholeNumber'],
    ['1,5', 'notANumber'],
    ['1e3', 'notANumber'],
    ['0', 'numberTooSmall'],
    ['10001', 'numberTooLarge'],
  ] as const)('%j → %s', (value, problem) => {
    expect(numberProblem(value, teamSize)).toBe(problem);
  });

  it('takes a decimal when the field does', () => {
    expect(numberProblem('-3.5', { integer: false })).toBeNull();
  });
});

describe('selectedProblem: how many boxes of a multi-select are ticked', () => {
  it.each([
    [0, { required: true }, 'valueMissing'],
    [0, { required: false, min: 2 }, null],
    [1, { required: false, min: 2 }, 'tooFewSelected'],
    [3, { required: false, max: 2 }, 'tooManySelected'],
    [2, { required: true, min: 1, max: 2 }, null],
  ] as const)('%i ticked of %j → %s', (count, rule, problem) => {
    expect(selectedProblem(count, rule)).toBe(problem);
  });
});
