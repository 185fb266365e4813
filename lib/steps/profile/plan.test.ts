import { describe, expect, it } from 'vitest';
import { profileConfigSchema, type ProfileConfig } from './config-schema';
import { fieldStatus, planProfileForm, toFormValue } from './plan';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const label = { en: 'Label' };

const section = (fields: Record<string, unknown>[], extra: Record<string, unknown> = {}): ProfileConfig =>
  profileConfigSchema.parse({ fields: fields.map((f) => ({ label, ...f })), ...extra });

/** The shipped form, as in detour.config.json. */
const shipped = section(
  [
    { id: 'given_name', type: 'text', target: 'root', required: true },
    { id: 'family_name', type: 'text', target: 'root', required: true },
    { id: 'phone', type: 'tel', required: true },
    { id: 'country', type: 'country', required: true },
    { id: 'birth_date', type: 'date', min_years_ago: 16, max_years_ago: 120 },
    { id: 'job_title', type: 'text' },
    { id: 'marketing_emails', type: 'checkbox' },
  ],
  { max_fields_per_login: 5 },
);
const ids = (plan: { fields: { id: string }[] }) => plan.fields.map((f) => f.id);

describe('planProfileForm', () => {
  it('asks the required fields first, then optional ones, up to max_fields_per_login', () => {
    expect(ids(planProfileForm(shipped, {}, { now: NOW }))).toEqual(['given_name', 'family_name', 'phone', 'country', 'birth_date']);
  });

  it('asks the rest on the next login, once the first ones are known', () => {
    const known = { given_name: 'Erin', family_name: 'Example', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17' };
    expect(ids(planProfileForm(shipped, known, { now: NOW }))).toEqual(['job_title', 'marketing_emails']);
  });

  it('keeps the order of the steps file on the form, whatever the order of importance', () => {
    const optionalFirst = section([{ id: 'job_title', type: 'text' }, { id: 'phone', type: 'tel', required: true }], { max_fields_per_login: 2 });
    expect(ids(planProfileForm(optionalFirst, {}, { now: NOW }))).toEqual(['job_title', 'phone']);
    const oneSlot = { ...optionalFirst, max_fields_per_login: 1 };
    expect(ids(planProfileForm(oneSlot, {}, { now: NOW }))).toEqual(['phone']);
  });

  it('asks again for a value the field refuses, prefilled so it can be corrected', () => {
    const current = { given_name: 'Erin', family_name: 'Example', phone: '12345', country: 'Narnia', birth_date: '2020-01-01', job_title: 'CTO', marketing_emails: false };
    const plan = planProfileForm(shipped, current, { now: NOW });
    expect(ids(plan)).toEqual(['phone', 'country', 'birth_date']);
    expect(plan.prefill).toEqual({ phone: '12345', country: 'Narnia', birth_date: '2020-01-01' });
  });

  it('treats a blank value as missing', () => {
    expect(ids(planProfileForm(shipped, { given_name: '', family_name: 'Example', phone: '+442079460018', country: 'GB' }, { now: NOW }))).toEqual([
      'given_name',
      'birth_date',
      'job_title',
      'marketing_emails',
    ]);
  });

  it('counts an unticked box the token carries as answered', () => {
    const known = { given_name: 'E', family_name: 'E', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17', job_title: 'CTO', marketing_emails: false };
    expect(ids(planProfileForm(shipped, known, { now: NOW }))).toEqual([]);
  });

  it('shows a field marked show "always" prefilled, in the slots left', () => {
    const form = section(
      [
        { id: 'phone', type: 'tel', required: true, show: 'always' },
        { id: 'job_title', type: 'text' },
        { id: 'country', type: 'country', show: 'always' },
      ],
      { max_fields_per_login: 2 },
    );
    const plan = planProfileForm(form, { phone: '+442079460018', country: 'GB' }, { now: NOW });
    expect(ids(plan)).toEqual(['phone', 'job_title']);
    expect(plan.prefill).toEqual({ phone: '+442079460018' });
  });

  describe('conditional fields', () => {
    const form = section([
      { id: 'has_company', type: 'radio', options: [{ value: 'yes', label }, { value: 'no', label }] },
      { id: 'company', type: 'text', required: true, show_when: { field: 'has_company', equals: 'yes' } },
      { id: 'phone', type: 'tel', required: true },
    ]);

    it('asks a conditional field together with the field it depends on', () => {
      const plan = planProfileForm(form, {}, { now: NOW });
      expect(ids(plan)).toEqual(['has_company', 'company', 'phone']);
      expect(plan.known).toEqual({});
    });

    it('asks it alone when the known answer meets the condition, and passes that answer on', () => {
      const plan = planProfileForm(form, { has_company: 'yes', phone: '+442079460018' }, { now: NOW });
      expect(ids(plan)).toEqual(['company']);
      expect(plan.known).toEqual({ has_company: 'yes' });
    });

    it('does not ask it when the known answer does not meet the condition', () => {
      expect(ids(planProfileForm(form, { has_company: 'no', phone: '+442079460018' }, { now: NOW }))).toEqual([]);
    });

    it('does not ask it when the field it depends on waits for a later login', () => {
      const tight = { ...form, max_fields_per_login: 1 };
      // company is required and ranks first, but its condition needs has_company, which has no slot left.
      expect(ids(planProfileForm(tight, {}, { now: NOW }))).toEqual(['phone']);
    });

    it('gives the slot to the controlling field first when there is room for both', () => {
      const two = { ...form, max_fields_per_login: 2 };
      expect(ids(planProfileForm(two, { phone: '+442079460018' }, { now: NOW }))).toEqual(['has_company', 'company']);
    });
  });
});

describe('fieldStatus and toFormValue', () => {
  const multi = section([{ id: 'topics', type: 'multi_select', options: [{ value: 'news', label }, { value: 'offers', label }] }]).fields[0]!;
  const check = section([{ id: 'consent', type: 'checkbox', required: true }]).fields[0]!;

  it('reads a multi-select the Action sent as comma-separated values', () => {
    expect(toFormValue(multi, 'news, offers')).toEqual(['news', 'offers']);
    expect(fieldStatus(multi, 'news,offers', { now: NOW })).toBe('ok');
    expect(fieldStatus(multi, 'news,spam', { now: NOW })).toBe('invalid');
  });

  it('asks again for a required box the token says is unticked', () => {
    expect(fieldStatus(check, false, { now: NOW })).toBe('invalid');
    expect(fieldStatus(check, true, { now: NOW })).toBe('ok');
    expect(fieldStatus(check, undefined, { now: NOW })).toBe('missing');
  });
});
