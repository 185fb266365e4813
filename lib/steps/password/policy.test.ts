import { describe, expect, it } from 'vitest';
import { passwordConfigSchema } from './config-schema';
import { applicableRules, characterClassesIn, evaluateRules, longestRun, personalInfoOf, policyFromConfig, type PasswordPolicy } from './policy';

const config = (overrides: Record<string, unknown> = {}) => passwordConfigSchema.parse(overrides);
const SHIPPED = policyFromConfig(config()); // min 12, good (3 of 4), at most 3 in a row, score 3

describe('policyFromConfig', () => {
  it.each([
    // level, min_length, max_repeated → effective min length, classes, max repeated
    ['none', 1, null, 1, null, null],
    ['low', 1, null, 6, null, null],
    ['fair', 1, null, 8, { required: 3, of: ['lower', 'upper', 'digit'] }, null],
    ['good', 1, null, 8, { required: 3, of: ['lower', 'upper', 'digit', 'special'] }, null],
    ['excellent', 1, null, 10, { required: 3, of: ['lower', 'upper', 'digit', 'special'] }, 2],
    ['excellent', 14, 5, 14, { required: 3, of: ['lower', 'upper', 'digit', 'special'] }, 2],
    ['good', 12, 3, 12, { required: 3, of: ['lower', 'upper', 'digit', 'special'] }, 3],
    ['low', 4, 1, 6, null, 1],
  ] as const)('level %s with min_length %i and max_repeated %s: the stricter rule wins', (level, minLength, maxRepeated, effectiveMin, classes, effectiveRepeat) => {
    const policy = policyFromConfig(config({ level, min_length: minLength, max_repeated: maxRepeated }));
    expect(policy).toEqual({ minLength: effectiveMin, maxBytes: 72, classes, maxRepeated: effectiveRepeat, minScore: 3 });
  });
});

describe('evaluateRules: each rule both ways', () => {
  const personal = personalInfoOf({ email: 'frank@example.com', name: 'Frank Example' });
  const rule = (password: string, policy: PasswordPolicy = SHIPPED) => evaluateRules(password, policy, personal);

  it.each([
    ['min_length', 'Ab1-ab1-ab1', false],
    ['min_length', 'Ab1-ab1-ab1-', true],
    ['classes', 'lowercaseonly-words', false], // lower + special = 2 of 4
    ['classes', 'Lowercase-words', true], // lower + upper + special
    ['classes', 'lowercase words 42', true], // lower + space (special) + digit
    ['classes', 'ÉÉÉÉ ÀÀÀ ÜÜÜÜ 1', false], // accented letters count for no class, as in Auth0: space + digit
    ['max_repeated', 'Blue-Kettle-aaaa', false],
    ['max_repeated', 'Blue-Kettle-aaa', true],
    ['personal_info', 'Blue-Kettle-FRANK', false],
    ['personal_info', 'Blue-Kettle-exAMple', false],
    ['personal_info', 'Blue-Kettle-Violin', true],
  ] as const)('%s: %s → %s', (id, password, expected) => {
    expect(rule(password)[id]).toBe(expected);
  });

  it('fair requires every one of lower, upper and digit (a special character does not stand in)', () => {
    const fair = policyFromConfig(config({ level: 'fair', min_length: 8 }));
    expect(rule('abcdefG-!', fair).classes).toBe(false);
    expect(rule('abcdefG1', fair).classes).toBe(true);
  });

  it('none and low ask for no character classes and no repeat limit', () => {
    const low = policyFromConfig(config({ level: 'low', max_repeated: null }));
    expect(rule('aaaaaaaaaaaaaaaa', low)).toMatchObject({ classes: true, max_repeated: true });
    expect(applicableRules(low, [])).toEqual(['min_length']);
  });

  it('measures length in UTF-16 units as Auth0 does, and runs by code point', () => {
    expect(rule('😀'.repeat(6)).min_length).toBe(true); // 12 code units
    expect(longestRun('a😀😀😀😀b')).toBe(4);
    expect(longestRun('')).toBe(0);
  });

  it('lists the rules that can fail for this person', () => {
    expect(applicableRules(SHIPPED, personal)).toEqual(['min_length', 'classes', 'max_repeated', 'personal_info']);
    expect(applicableRules(SHIPPED, [])).toEqual(['min_length', 'classes', 'max_repeated']);
  });
});

describe('characterClassesIn', () => {
  it.each([
    ['abc', ['lower']],
    ['ABC', ['upper']],
    ['123', ['digit']],
    [' ', ['special']],
    ['~', ['special']],
    ['\\', ['special']],
    ['a B1!', ['lower', 'upper', 'digit', 'special']],
    ['ß€', []],
  ])('%j has %j', (password, classes) => {
    expect([...characterClassesIn(password)]).toEqual(classes);
  });
});

describe('personalInfoOf', () => {
  it.each([
    ['email local part and name words', { email: 'frank@example.com', name: 'Frank Example' }, ['example', 'frank']],
    ['a +tag is dropped as well as kept', { email: 'Frank.Smith+work@example.com' }, ['frank.smith', 'frank.smith+work']],
    ['a name that is the email', { name: 'heidi@example.com' }, ['heidi']],
    ['words under three characters are left out', { email: 'al@example.com', name: 'Al Bo Eve' }, ['eve']],
    ['full-width letters fold to ASCII', { name: 'ＦＲＡＮＫ' }, ['frank']],
    ['nothing known', {}, []],
  ])('%s', (_, claims, expected) => {
    expect(personalInfoOf(claims)).toEqual(expected);
  });
});
