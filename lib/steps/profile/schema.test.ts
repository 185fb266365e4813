import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { profileConfigSchema, type ProfileField } from './config-schema';
import { PROFILE_ERRORS as E } from './field-rules';
import { buildFieldSchema, buildProfileSchema, type ProfileSchemaOptions } from './schema';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const label = { en: 'Label' };
const options = [
  { value: 'free', label: { en: 'Free' } },
  { value: 'team', label: { en: 'Team' } },
  { value: 'enterprise', label: { en: 'Enterprise' } },
];

/** A field as the steps file would declare it, with the schema's defaults applied. */
const field = (declaration: Record<string, unknown>): ProfileField =>
  profileConfigSchema.parse({ fields: [{ id: 'f', label, ...declaration }] }).fields[0]!;

function check(declaration: Record<string, unknown>, value: unknown, options: ProfileSchemaOptions = {}) {
  const parsed = buildFieldSchema(field(declaration), { now: () => NOW, ...options }).safeParse(value);
  return parsed.success ? { value: parsed.data } : { error: parsed.error.issues.map((issue) => issue.message) };
}

const accepts = (declaration: Record<string, unknown>, cases: [input: unknown, stored: unknown][]) =>
  it.each(cases)('accepts %j and stores %j', (input, stored) => {
    expect(check(declaration, input)).toEqual({ value: stored });
  });
const refuses = (declaration: Record<string, unknown>, cases: [input: unknown, error: string][]) =>
  it.each(cases)('refuses %j with %s', (input, error) => {
    expect(check(declaration, input)).toEqual({ error: [error] });
  });

describe('buildFieldSchema', () => {
  describe('text', () => {
    const text = { type: 'text', required: true, min_length: 2, max_length: 12, pattern: '[A-Za-z -]+', pattern_message: { en: 'Letters only' } };
    accepts(text, [
      ['Ada', 'Ada'],
      ['  Ada Lovelace  ', 'Ada Lovelace'],
      ['x'.repeat(12), 'x'.repeat(12)],
    ]);
    refuses(text, [
      [undefined, E.required],
      ['', E.required],
      ['   ', E.required],
      ['A', E.too_short],
      ['x'.repeat(13), E.too_long],
      ['Ada99', E.pattern],
      ['Ad\u202Ea', E.invalid_characters],
      ['A\u0000da', E.invalid_characters],
      [['Ada', 'Bob'], E.invalid],
      [{ name: 'Ada' }, E.invalid],
      [true, E.invalid],
    ]);
    it('matches the pattern against the whole value, not a part of it', () => {
      expect(check(text, 'Ada!')).toEqual({ error: [E.pattern] });
    });
    it('leaves an optional field out when it is blank, but still checks an answer', () => {
      expect(check({ type: 'text', min_length: 3 }, '  ')).toEqual({ value: undefined });
      expect(check({ type: 'text', min_length: 3 }, undefined)).toEqual({ value: undefined });
      expect(check({ type: 'text', min_length: 3 }, 'ab')).toEqual({ error: [E.too_short] });
    });
    it('keeps HTML as text: it is stored as typed and escaped wherever it is shown', () => {
      const html = '<script>alert(1)</script><b>x</b>';
      expect(check({ type: 'text', max_length: 100 }, html)).toEqual({ value: html });
    });
    it('refuses anything over 2 KB before any other rule, even when the field allows more characters', () => {
      expect(check({ type: 'text', max_length: 1000 }, 'é'.repeat(1025))).toEqual({ error: [E.too_large] });
      expect(check({ type: 'text', max_length: 1000 }, `${' '.repeat(2000)}Ada${' '.repeat(100)}`)).toEqual({ error: [E.too_large] });
      expect(check({ type: 'text', max_length: 1000 }, 'é'.repeat(1000))).toEqual({ value: 'é'.repeat(1000) });
    });
    it('uses the default max_length of 100', () => {
      expect(check({ type: 'text' }, 'x'.repeat(101))).toEqual({ error: [E.too_long] });
    });
  });

  describe('textarea', () => {
    const textarea = { type: 'textarea', max_length: 20 };
    accepts(textarea, [
      ['line one\r\nline two', 'line one\nline two'],
      ['  padded  ', 'padded'],
      ['', undefined],
    ]);
    refuses(textarea, [
      ['x'.repeat(21), E.too_long],
      ['tab\there', E.invalid_characters],
      ['\u2066isolate', E.invalid_characters],
    ]);
    it('counts a CRLF newline once', () => {
      expect(check(textarea, `${'x'.repeat(9)}\r\n${'y'.repeat(10)}`)).toEqual({ value: `${'x'.repeat(9)}\n${'y'.repeat(10)}` });
    });
  });

  describe('email', () => {
    accepts({ type: 'email', required: true }, [
      ['ada@example.com', 'ada@example.com'],
      [' Ada.Lovelace@Example.COM ', 'Ada.Lovelace@example.com'],
    ]);
    refuses({ type: 'email', required: true, max_length: 20 }, [
      ['', E.required],
      ['ada', E.invalid_email],
      ['ada@', E.invalid_email],
      ['ada@example', E.invalid_email],
      ['a@b.c <script>', E.invalid_email],
      [`${'a'.repeat(15)}@example.com`, E.too_long],
    ]);
  });

  describe('tel', () => {
    accepts({ type: 'tel' }, [
      ['+44 20 7946 0018', '+442079460018'],
      ['+1 (415) 555-2671', '+14155552671'],
      ['+49 30 1234567', '+49301234567'],
      ['', undefined],
    ]);
    refuses({ type: 'tel', required: true }, [
      ['', E.required],
      ['020 7946 0018', E.invalid_phone], // no country code and no default country
      ['+44 12', E.invalid_phone],
      ['+44 20 7946 0018 ext. 12', E.invalid_phone], // E.164 has no extensions: refused rather than cut off
      ['call +44 20 7946 0018', E.invalid_phone],
      ['+999 1234 5678', E.invalid_phone],
    ]);
    it('reads a national number in the default country', () => {
      expect(check({ type: 'tel', default_country: 'GB' }, '020 7946 0018')).toEqual({ value: '+442079460018' });
    });
    it("falls back to the region of the person's locale", () => {
      expect(check({ type: 'tel' }, '(11) 91234-5678', { locale: 'pt-BR' })).toEqual({ value: '+5511912345678' });
      expect(check({ type: 'tel' }, '020 7946 0018', { locale: 'en' })).toEqual({ error: [E.invalid_phone] });
    });
  });

  describe('url', () => {
    accepts({ type: 'url' }, [
      ['https://example.com/me', 'https://example.com/me'],
      [' http://example.com ', 'http://example.com'],
    ]);
    refuses({ type: 'url', max_length: 30 }, [
      ['javascript:alert(1)', E.invalid_url],
      ['example.com', E.invalid_url],
      ['ftp://example.com', E.invalid_url],
      ['https://user:pw@example.com', E.invalid_url],
      [`https://example.com/${'x'.repeat(20)}`, E.too_long],
      ['https://example.com/\u202Egpj.exe', E.invalid_characters],
    ]);
  });

  describe('number', () => {
    const number = { type: 'number', min: 1, max: 500, integer: true, required: true };
    accepts(number, [
      ['42', 42],
      [' 7 ', 7],
      [500, 500],
    ]);
    refuses(number, [
      ['', E.required],
      ['forty', E.not_a_number],
      ['1e3', E.not_a_number],
      ['4,5', E.not_a_number],
      ['4.5', E.not_whole_number],
      ['0', E.number_too_small],
      ['501', E.number_too_large],
    ]);
    it('keeps decimals when whole numbers are not asked for', () => {
      expect(check({ type: 'number' }, '-3.25')).toEqual({ value: -3.25 });
    });
  });

  describe('date', () => {
    const date = { type: 'date', min_date: '1900-01-01', max_date: '2026-06-30', min_years_ago: 16, max_years_ago: 120 };
    accepts(date, [
      ['1990-05-17', '1990-05-17'],
      ['2010-11-20', '2010-11-20'], // exactly 16 years before NOW
      ['', undefined],
    ]);
    refuses(date, [
      ['17/05/1990', E.invalid_date],
      ['1990-02-30', E.invalid_date],
      ['1990-5-17', E.invalid_date],
      ['2010-11-21', E.too_recent],
      ['1899-12-31', E.date_too_early],
      ['1906-11-19', E.too_long_ago],
    ]);
    it('checks the latest date allowed', () => {
      expect(check({ type: 'date', max_date: '2026-06-30' }, '2026-07-01')).toEqual({ error: [E.date_too_late] });
    });
    it('counts "years ago" from the date it is asked on', () => {
      expect(check({ type: 'date', min_years_ago: 18 }, '2008-11-20', { now: () => new Date('2026-11-19T23:00:00Z') })).toEqual({ error: [E.too_recent] });
      expect(check({ type: 'date', min_years_ago: 18 }, '2008-11-20', { now: () => new Date('2026-11-20T00:00:00Z') })).toEqual({ value: '2008-11-20' });
    });
  });

  describe.each(['select', 'radio'])('%s', (type) => {
    accepts({ type, options, required: true }, [
      ['team', 'team'],
      [' free ', 'free'],
    ]);
    refuses({ type, options, required: true }, [
      ['', E.required],
      [null, E.required], // react-hook-form's value for a radio group with nothing chosen
      ['premium', E.not_an_option],
      ['Team', E.not_an_option],
      [['team', 'free'], E.invalid],
    ]);
  });

  describe('multi_select', () => {
    const multi = { type: 'multi_select', options, required: true, max_selected: 2 };
    accepts(multi, [
      ['team', ['team']],
      [['enterprise', 'free'], ['free', 'enterprise']], // stored in the order of the options
      [['team', 'team'], ['team']],
    ]);
    refuses(multi, [
      [undefined, E.required],
      [false, E.required], // react-hook-form's value for a single unticked box
      [[], E.required],
      [['team', 'premium'], E.not_an_option],
      [['free', 'team', 'enterprise'], E.too_many_selected],
      [['team', 'free', 'enterprise', 'team'], E.too_large],
      [[1], E.invalid],
    ]);
    it('asks for a minimum only when something is chosen in an optional field', () => {
      expect(check({ type: 'multi_select', options, min_selected: 2 }, [])).toEqual({ value: undefined });
      expect(check({ type: 'multi_select', options, min_selected: 2 }, ['team'])).toEqual({ error: [E.too_few_selected] });
    });
  });

  describe('checkbox', () => {
    accepts({ type: 'checkbox' }, [
      ['on', true],
      [true, true],
      ['true', true],
      [undefined, false], // a plain post leaves an unticked box out: it is stored as false
      [false, false],
      ['off', false],
    ]);
    refuses({ type: 'checkbox' }, [
      ['yes', E.invalid],
      [['on', 'on'], E.invalid],
    ]);
    it('when required, must be ticked', () => {
      expect(check({ type: 'checkbox', required: true }, undefined)).toEqual({ error: [E.must_check] });
      expect(check({ type: 'checkbox', required: true }, 'on')).toEqual({ value: true });
    });
  });

  describe('country', () => {
    accepts({ type: 'country', required: true }, [
      ['DE', 'DE'],
      ['jp', 'JP'],
      ['XK', 'XK'],
    ]);
    refuses({ type: 'country', required: true }, [
      ['', E.required],
      ['UK', E.invalid_country],
      ['DEU', E.invalid_country],
      ['Germany', E.invalid_country],
    ]);
  });
});

describe('buildProfileSchema', () => {
  const fields = profileConfigSchema.parse({
    fields: [
      { id: 'given_name', type: 'text', target: 'root', required: true, label },
      { id: 'phone', type: 'tel', required: true, label },
      { id: 'country', type: 'country', label },
      { id: 'marketing_emails', type: 'checkbox', label },
      { id: 'has_company', type: 'radio', label, options: [{ value: 'yes', label }, { value: 'no', label }] },
      { id: 'company', type: 'text', required: true, label, show_when: { field: 'has_company', equals: 'yes' } },
      { id: 'company_country', type: 'country', label },
      { id: 'vat_id', type: 'text', label, max_length: 12, show_when: { field: 'company_country', equals: 'DE' } },
    ],
  }).fields;
  // company_country is known from the token, so it is not on this form; vat_id's condition reads it from `known`.
  const onForm = fields.filter((f) => f.id !== 'company_country');
  const schema = buildProfileSchema(onForm, { now: () => NOW, known: { company_country: 'de' } });
  const fieldErrors = (input: Record<string, unknown>) => {
    const parsed = schema.safeParse(input);
    expect(parsed.success).toBe(false);
    return z.flattenError(parsed.error!).fieldErrors;
  };

  it('normalises a valid post and stores an unticked box as false', () => {
    expect(schema.parse({ given_name: ' Ada ', phone: '+44 20 7946 0018', country: 'gb', has_company: 'no', company: '', vat_id: 'DE123' })).toEqual({
      given_name: 'Ada',
      phone: '+442079460018',
      country: 'GB',
      marketing_emails: false,
      has_company: 'no',
      vat_id: 'DE123',
    });
  });

  it('reports every refused field at once', () => {
    expect(fieldErrors({ given_name: '', phone: '12', country: 'XX', marketing_emails: 'maybe' })).toEqual({
      given_name: [E.required],
      phone: [E.invalid_phone],
      country: [E.invalid_country],
      marketing_emails: [E.invalid],
    });
  });

  it('refuses a name that is not on the form under _form, where the form shows it (zod would put it in formErrors)', () => {
    const errors = fieldErrors({ given_name: 'Ada', phone: '+442079460018', is_admin: 'true' });
    expect(errors).toEqual({ _form: [E.unknown_field] });
  });

  it('refuses a field the steps file declares but this form did not show', () => {
    const shown = buildProfileSchema(onForm.slice(0, 2));
    const parsed = shown.safeParse({ given_name: 'Ada', phone: '+442079460018', country: 'DE' });
    expect(parsed.success).toBe(false);
    expect(z.flattenError(parsed.error!).fieldErrors).toEqual({ _form: [E.unknown_field] });
  });

  it('requires a conditional field only while its condition holds, and drops it otherwise', () => {
    const base = { given_name: 'Ada', phone: '+442079460018' };
    expect(fieldErrors({ ...base, has_company: 'yes', company: ' ' })).toEqual({ company: [E.required] });
    expect(schema.parse({ ...base, has_company: 'yes', company: ' Analytical Engines ' })).toMatchObject({ company: 'Analytical Engines' });
    // Not applicable: not required, not validated, not stored (a form without JavaScript shows it anyway).
    expect(schema.parse({ ...base, has_company: 'no', company: 'x'.repeat(5000) })).not.toHaveProperty('company');
    expect(schema.parse({ ...base, company: 'Analytical Engines' })).not.toHaveProperty('company');
  });

  it('reads a condition on a field that is not on the form from the known values', () => {
    const base = { given_name: 'Ada', phone: '+442079460018' };
    expect(fieldErrors({ ...base, vat_id: 'x'.repeat(13) })).toEqual({ vat_id: [E.too_long] });
    const elsewhere = buildProfileSchema(onForm, { known: { company_country: 'FR' } });
    expect(elsewhere.parse({ ...base, vat_id: 'x'.repeat(13) })).not.toHaveProperty('vat_id');
  });

  it('refuses a wrong type in a crafted post', () => {
    expect(fieldErrors({ given_name: ['Ada', 'Bob'], phone: '+442079460018' })).toEqual({ given_name: [E.invalid] });
  });

  it('refuses something that is not a form at all', () => {
    expect(schema.safeParse('given_name=Ada').success).toBe(false);
  });

  it('builds an empty form that accepts only an empty post', () => {
    const empty = buildProfileSchema([]);
    expect(empty.parse({})).toEqual({});
    expect(empty.safeParse({ given_name: 'Ada' }).success).toBe(false);
  });
});
