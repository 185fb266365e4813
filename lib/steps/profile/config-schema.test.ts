import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStepsFile } from '../../config/load-steps-file';
import { describeIssues } from '../../config/issues';
import { profileConfigSchema, type ProfileConfig } from './config-schema';

const REPO_ROOT = path.resolve(__dirname, '../../..');

type Json = Record<string, unknown>;
const label = { en: 'A label' };
const section = (fields: Json[], extra: Json = {}): Json => ({ persist: 'management_api', fields, ...extra });
const problems = (value: Json): string => {
  const parsed = profileConfigSchema.safeParse(value);
  expect(parsed.success).toBe(false);
  return describeIssues(parsed.error!.issues, 'profile.').join('\n');
};

describe('the shipped steps file', () => {
  it('declares the realistic default form', () => {
    const profile = loadStepsFile('./detour.config.json', REPO_ROOT).profile as ProfileConfig;
    expect(profile.persist).toBe('management_api');
    expect(profile.max_fields_per_login).toBe(5);
    expect(profile.fields.map((f) => [f.id, f.type, f.target, f.required])).toEqual([
      ['given_name', 'text', 'root', true],
      ['family_name', 'text', 'root', true],
      ['phone', 'tel', 'user_metadata', true],
      ['country', 'country', 'user_metadata', true],
      ['birth_date', 'date', 'user_metadata', false],
      ['job_title', 'text', 'user_metadata', false],
      ['marketing_emails', 'checkbox', 'user_metadata', false],
    ]);
    expect(profile.fields.find((f) => f.id === 'birth_date')).toMatchObject({ min_years_ago: 16 });
  });
});

describe('profileConfigSchema', () => {
  it('applies the defaults: user_metadata, optional, asked when missing, a type-specific max_length', () => {
    const parsed = profileConfigSchema.parse({ fields: [{ id: 'job_title', type: 'text', label }, { id: 'bio', type: 'textarea', label }] });
    expect(parsed.persist).toBe('management_api');
    expect(parsed.fields[0]).toEqual({ id: 'job_title', type: 'text', label, required: false, target: 'user_metadata', show: 'when_missing', max_length: 100 });
    expect(parsed.fields[1]).toMatchObject({ max_length: 1000 });
  });

  it('accepts every field type with its rules', () => {
    const options = [
      { value: 'a', label: { en: 'A' } },
      { value: 'b', label: { en: 'B' } },
    ];
    const parsed = profileConfigSchema.safeParse(
      section([
        { id: 'nickname', type: 'text', target: 'root', label, min_length: 2, max_length: 40, pattern: '[a-z]+', pattern_message: { en: 'Lower case only' } },
        { id: 'bio', type: 'textarea', label, max_length: 500 },
        { id: 'work_email', type: 'email', label },
        { id: 'phone', type: 'tel', label, default_country: 'GB' },
        { id: 'website', type: 'url', label },
        { id: 'team_size', type: 'number', label, min: 1, max: 10_000, integer: true },
        { id: 'birth_date', type: 'date', label, min_date: '1900-01-01', max_date: '2020-12-31', min_years_ago: 16, max_years_ago: 120 },
        { id: 'plan', type: 'select', label, options },
        { id: 'contact', type: 'radio', label, options },
        { id: 'topics', type: 'multi_select', label, options, min_selected: 1, max_selected: 2 },
        { id: 'marketing_emails', type: 'checkbox', label, show_when: { field: 'contact', equals: 'a' } },
        { id: 'country', type: 'country', label, show: 'always', autocomplete: 'country' },
      ]),
    );
    expect(parsed.error?.issues).toBeUndefined();
  });

  it.each([
    ['an unknown type', { id: 'x', type: 'colour', label }, /fields\.0\.type: field "x": Invalid discriminator/],
    ['a misspelt rule', { id: 'x', type: 'text', label, max_lenght: 10 }, /field "x".*max_lenght/],
    ['a rule of another type', { id: 'x', type: 'text', label, options: [] }, /field "x".*options/],
    ['no label', { id: 'x', type: 'text' }, /fields\.0\.label: field "x"/],
    ['an empty label', { id: 'x', type: 'text', label: {} }, /field "x".*at least one locale/],
    ['a bad id', { id: 'Given Name', type: 'text', label }, /field #1.*lower-case/],
    ['a max_length over 1000', { id: 'x', type: 'textarea', label, max_length: 5000 }, /fields\.0\.max_length: field "x": Too big/],
    ['min_length above max_length', { id: 'x', type: 'text', label, min_length: 20, max_length: 10 }, /field "x".*min_length is above max_length/],
    ['a pattern that does not compile', { id: 'x', type: 'text', label, pattern: '([a-z' }, /fields\.0\.pattern: field "x": is not a valid regular expression/],
    ['min above max', { id: 'x', type: 'number', label, min: 5, max: 1 }, /field "x".*min is above max/],
    ['an impossible date bound', { id: 'x', type: 'date', label, min_date: '2026-02-30' }, /fields\.0\.min_date: field "x": is not a real date/],
    ['inverted date bounds', { id: 'x', type: 'date', label, min_date: '2020-01-01', max_date: '2019-01-01' }, /field "x".*min_date is after max_date/],
    ['inverted age bounds', { id: 'x', type: 'date', label, min_years_ago: 50, max_years_ago: 18 }, /field "x".*min_years_ago/],
    ['a phone country without a plan', { id: 'x', type: 'tel', label, default_country: 'AQ' }, /fields\.0\.default_country: field "x": must be an ISO 3166-1 alpha-2 code/],
    ['a select without options', { id: 'x', type: 'select', label, options: [] }, /fields\.0\.options: field "x"/],
    ['duplicate option values', { id: 'x', type: 'radio', label, options: [{ value: 'a', label }, { value: 'a', label }] }, /field "x".*unique/],
    ['an option value with a comma', { id: 'x', type: 'multi_select', label, options: [{ value: 'a,b', label }] }, /field "x".*option values/],
    ['max_selected above the options', { id: 'x', type: 'multi_select', label, options: [{ value: 'a', label }], max_selected: 3 }, /field "x".*max_selected/],
    ['a root target that is not a root attribute', { id: 'company', type: 'text', target: 'root', label }, /field "company".*target "root" is only for given_name/],
    ['a root attribute of the wrong type', { id: 'given_name', type: 'date', target: 'root', label }, /field "given_name".*root attribute is text/],
    ['a root attribute longer than Auth0 takes', { id: 'name', type: 'text', target: 'root', label, max_length: 400 }, /field "name".*300/],
    ['an unknown target', { id: 'x', type: 'text', label, target: 'app_metadata' }, /fields\.0\.target: field "x": Invalid option/],
  ])('refuses %s, naming the field', (_, field, message) => {
    expect(problems(section([field]))).toMatch(message);
  });

  it.each([
    ['a duplicate id', [{ id: 'x', type: 'text', label }, { id: 'x', type: 'email', label }], /fields\.1: field "x": the id is used by another field/],
    ['a condition on an unknown field', [{ id: 'x', type: 'text', label, show_when: { field: 'nope', equals: 'y' } }], /field "x": show_when.field "nope" must name a field declared before it/],
    ['a condition on a later field', [{ id: 'x', type: 'text', label, show_when: { field: 'y', equals: true } }, { id: 'y', type: 'checkbox', label }], /field "x".*declared before/],
    ['a checkbox condition that is not a boolean', [{ id: 'y', type: 'checkbox', label }, { id: 'x', type: 'text', label, show_when: { field: 'y', equals: 'yes' } }], /field "x": show_when.equals must be true or false/],
    [
      'a select condition that is not an option',
      [{ id: 'y', type: 'select', label, options: [{ value: 'a', label }] }, { id: 'x', type: 'text', label, show_when: { field: 'y', equals: 'b' } }],
      /field "x": show_when.equals must be one of the options of "y"/,
    ],
  ])('refuses %s', (_, fields, message) => {
    expect(problems(section(fields))).toMatch(message);
  });

  it('refuses persist "action" with a root attribute: an Action cannot set it', () => {
    const message = problems(section([{ id: 'given_name', type: 'text', target: 'root', label }], { persist: 'action' }));
    expect(message).toMatch(/profile\.fields\.0\.target: field "given_name": persist "action" cannot write root attributes/);
  });

  it('accepts persist "action" when every field goes to user_metadata', () => {
    expect(profileConfigSchema.safeParse(section([{ id: 'job_title', type: 'text', label }], { persist: 'action' })).success).toBe(true);
  });

  it('refuses fields whose answers could overflow the flow cookie, and accepts them when fewer are asked per login', () => {
    const big = Array.from({ length: 4 }, (_, i) => ({ id: `notes_${i}`, type: 'textarea', label, max_length: 1000 }));
    expect(problems(section(big))).toMatch(/more than the 2000 the sign-in cookie can carry/);
    expect(profileConfigSchema.safeParse(section(big, { max_fields_per_login: 1 })).success).toBe(true);
  });

  it.each([
    ['no fields', section([])],
    ['more than 50 fields', section(Array.from({ length: 51 }, (_, i) => ({ id: `f${i}`, type: 'checkbox', label })))],
    ['max_fields_per_login 0', section([{ id: 'x', type: 'text', label }], { max_fields_per_login: 0 })],
    ['an unknown key in the section', section([{ id: 'x', type: 'text', label }], { max_fields: 3 })],
    ['an unknown persist mode', section([{ id: 'x', type: 'text', label }], { persist: 'database' })],
  ])('refuses a section with %s', (_, value) => {
    expect(profileConfigSchema.safeParse(value).success).toBe(false);
  });
});
