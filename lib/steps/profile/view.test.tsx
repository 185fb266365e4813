import { renderToStaticMarkup } from 'react-dom/server.edge';
import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../../config';
import { translatorFor } from '../../i18n/catalogue';
import { stubDetourEnv } from '../../testing/detour-env';
import { testFlow } from '../../testing/flow-fixture';
import { profileConfigSchema } from './config-schema';
import { profileSection } from './section';
import { ProfileView } from './view';
import { refusedState, stepViewRenderer } from '../../testing/step-view';

stubDetourEnv();
const shipped: DetourConfig = (await import('../../config')).getConfig();

const NOW = new Date('2026-12-04T10:00:00Z');
const label = (en: string) => ({ en });
/** Every field type, a conditional field and a multi-select, as the e2e custom steps file has them. */
const custom: DetourConfig = {
  ...shipped,
  steps: {
    ...shipped.steps,
    profile: profileConfigSchema.parse({
      persist: 'action',
      fields: [
        { id: 'plan', type: 'radio', required: true, label: label('How do you use Example?'), options: [{ value: 'personal', label: label('For myself') }, { value: 'work', label: label('For work') }] },
        { id: 'company', type: 'text', required: true, label: label('Company'), show_when: { field: 'plan', equals: 'work' }, pattern: '[A-Za-z ]+', min_length: 2, max_length: 80 },
        { id: 'team_size', type: 'number', integer: true, min: 1, max: 10000, label: label('Team size'), show_when: { field: 'plan', equals: 'work' } },
        { id: 'topics', type: 'multi_select', max_selected: 2, label: label('Topics'), options: ['news', 'offers', 'events'].map((value) => ({ value, label: label(`Topic: ${value}`) })) },
        { id: 'newsletter', type: 'checkbox', required: true, label: label('Newsletter') },
        { id: 'bio', type: 'textarea', max_length: 500, label: label('About you') },
        { id: 'work_email', type: 'email', label: label('Work email') },
        { id: 'site', type: 'url', label: label('Website') },
        { id: 'size', type: 'select', label: label('Shirt size'), options: [{ value: 's', label: label('Small') }, { value: 'l', label: label('Large') }] },
        { id: 'start', type: 'date', min_date: '2020-01-01', max_date: '2030-12-31', label: label('Start date') },
      ],
    }),
  },
};

const erin = () => testFlow({ steps: ['profile'], claims: { profile: { job_title: 'Designer' } } });
const render = stepViewRenderer(ProfileView, { flow: () => erin(), config: shipped, now: NOW });
const refused = refusedState;
/** The markup of one field, from its wrapper to the next field or the button. */
const fieldMarkup = (html: string, id: string) => {
  const start = html.indexOf(` data-field="${id}"`);
  const rest = html.slice(start);
  const end = rest.slice(1).search(/ data-field="|<div class="actions">/);
  return rest.slice(0, end + 1);
};

describe('ProfileView: the first view', () => {
  const html = render();

  it.each([
    ['the heading', '<h1>Complete your profile</h1>'],
    ['a plain form post to the step, with the summary title for the script', '<form noValidate="" data-profile-form="" data-summary-title="There is a problem" action="/steps/profile" method="post">'],
    ['a labelled text input with its native limits', '<label for="field-given_name" class="profile-label">Given name</label><input class="profile-input" type="text" maxLength="100" id="field-given_name" required="" autoComplete="given-name" name="given_name"/>'],
    ['a phone input described by its hint', '<input class="profile-input profile-short" type="tel" spellCheck="false" id="field-phone" required="" autoComplete="tel" aria-describedby="field-phone-hint" name="phone"/>'],
    ['the hint', '<p id="field-phone-hint" class="profile-hint">Include the country code, for example +44 20 7946 0018.</p>'],
    ['an optional field said to be so', '<label for="field-birth_date" class="profile-label">Date of birth<span class="profile-optional"> (optional)</span></label>'],
    ['a date input between 120 and 16 years ago', 'type="date" min="1906-12-04" max="2010-12-04"'],
    ['the country list, nothing chosen', '<select class="profile-input" id="field-country" name="country" required="" autoComplete="country"><option value="" selected="">Choose a country</option>'],
    ['countries named in the locale', '<option value="DE">Germany</option>'],
    ['the button, with its busy text for the script', '<div class="actions"><button type="submit" class="button" data-submitting-text="Saving…">Save and continue</button></div>'],
  ])('has %s', (_, fragment) => {
    expect(html).toContain(fragment);
  });

  it('asks the five missing fields, not the known job title, and shows no error', () => {
    expect(html.match(/ data-field="/g)).toHaveLength(5);
    expect(html).not.toContain('job_title');
    expect(html).not.toContain('error-summary');
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('field-error');
  });

  it("gives the script each field's checks with the server's sentences", () => {
    expect(fieldMarkup(html, 'birth_date')).toContain(
      'data-checks="{&quot;messages&quot;:{&quot;badInput&quot;:&quot;Enter a real date.&quot;,&quot;rangeUnderflow&quot;:&quot;The date must be within the last 120 years.&quot;,&quot;rangeOverflow&quot;:&quot;The date must be at least 16 years ago.&quot;}}"',
    );
    expect(fieldMarkup(html, 'phone')).toContain('&quot;invalidPhone&quot;:&quot;Enter a valid phone number');
    expect(fieldMarkup(html, 'phone')).toContain('&quot;phoneRegion&quot;:&quot;&quot;');
    expect(fieldMarkup(html, 'given_name')).toContain('data-label="Given name"');
  });

  it('reads phone numbers in the region of the flow’s locale', () => {
    expect(fieldMarkup(render({ flow: testFlow({ steps: ['profile'], locale: 'pt-BR' }) }), 'phone')).toContain('&quot;phoneRegion&quot;:&quot;BR&quot;');
  });

  it('says there is nothing to ask when the token has every field', () => {
    const known = { given_name: 'Erin', family_name: 'Example', phone: '+442079460018', country: 'GB', birth_date: '1990-05-17', job_title: 'Designer', marketing_emails: true };
    const html = render({ flow: testFlow({ steps: ['profile'], claims: { profile: known } }), config: { ...shipped, steps: { ...shipped.steps, profile: { ...profileSection(shipped), fields: profileSection(shipped).fields.map((f) => ({ ...f, show: 'when_missing' as const })) } } } });
    expect(html).toContain('<p>Your profile has everything we need. Continue to finish signing in.</p>');
    expect(html).not.toContain('data-field=');
  });

  it('without a profile section, refuses as misconfigured (the route answers it)', () => {
    expect(() => render({ config: { ...shipped, steps: { ...shipped.steps, profile: undefined } } })).toThrow(expect.objectContaining({ code: 'misconfigured' }));
  });
});

describe('ProfileView: prefill', () => {
  it('fills a field shown always with what the token says', () => {
    const always = { ...shipped, steps: { ...shipped.steps, profile: { ...profileSection(shipped), fields: profileSection(shipped).fields.map((f) => (f.id === 'given_name' ? { ...f, show: 'always' as const } : f)) } } };
    const html = render({ config: always, flow: testFlow({ steps: ['profile'], claims: { profile: { given_name: 'Erin', job_title: 'Designer', marketing_emails: true } } }) });
    expect(fieldMarkup(html, 'given_name')).toContain('name="given_name" value="Erin"/>');
  });

  it('back on a finished step, fills what was answered last time over what the token says', () => {
    const html = render({ previous: { given_name: 'Erin', phone: '+442079460018', country: 'GB' } });
    expect(fieldMarkup(html, 'given_name')).toContain('value="Erin"');
    expect(fieldMarkup(html, 'phone')).toContain('value="+442079460018"');
    expect(fieldMarkup(html, 'country')).toContain('<option value="GB" selected="">United Kingdom</option>');
  });
});

describe('ProfileView: refused', () => {
  const posted = { given_name: '  Erin ', family_name: '', phone: '0044 12', country: '', birth_date: '1990-05-17' };

  it('field errors: a focused summary linking to each field, the error under it, the answers as posted', () => {
    const html = render({ state: refused({ code: 'validation_failed', fieldErrors: { family_name: ['profile.errors.required'], phone: ['profile.errors.invalid_phone'] }, values: posted }) });
    expect(html).toContain(
      '<div role="alert" class="alert error-summary" data-error-code="validation_failed" data-testid="error-summary" tabindex="-1" aria-labelledby="error-summary-title" autofocus=""><h2 id="error-summary-title">There is a problem</h2><ul><li><a href="#field-family_name">Family name: This field is required.</a></li><li><a href="#field-phone">Phone number: Enter a valid phone number, with its country code (such as +44 20 7946 0018).</a></li></ul></div>',
    );
    expect(fieldMarkup(html, 'family_name')).toContain(
      '<div class="field-error" id="field-family_name-error" data-error-code="validation_failed"><p>This field is required.</p></div><input class="profile-input" type="text" maxLength="100" id="field-family_name" required="" autoComplete="family-name" aria-invalid="true" aria-describedby="field-family_name-error" name="family_name" value=""/>',
    );
    expect(fieldMarkup(html, 'phone')).toContain('aria-invalid="true" aria-describedby="field-phone-hint field-phone-error" name="phone" value="0044 12"/>');
    expect(fieldMarkup(html, 'given_name')).toContain('value="  Erin "');
    expect(fieldMarkup(html, 'given_name')).not.toContain('aria-invalid');
    expect(fieldMarkup(html, 'birth_date')).toContain('value="1990-05-17"');
    expect(html).not.toContain('form-alert');
  });

  it('keeps what was posted, not what was answered before', () => {
    const html = render({ previous: { given_name: 'Old' }, state: refused({ code: 'validation_failed', fieldErrors: { phone: ['profile.errors.required'] }, values: { phone: '' } }) });
    expect(fieldMarkup(html, 'given_name')).toContain('name="given_name" value=""/>');
  });

  it("a field's limits are filled into its sentence", () => {
    const html = render({ state: refused({ code: 'validation_failed', fieldErrors: { family_name: ['profile.errors.too_long'], birth_date: ['profile.errors.too_recent'] } }) });
    expect(html).toContain('<a href="#field-family_name">Family name: Use at most 100 characters.</a>');
    expect(html).toContain('<a href="#field-birth_date">Date of birth: The date must be at least 16 years ago.</a>');
  });

  it.each([
    ['an answer that was not asked for', refused({ code: 'validation_failed', fieldErrors: { _form: ['profile.errors.unknown_field'] } }), 'The form sent an answer we did not ask for, so nothing was saved. Reload the page and try again.'],
    ['answers too long together', refused({ code: 'validation_failed', messageKey: 'profile.errors.too_much_data' }), 'Your answers are too long to save together. Shorten the longest ones and try again.'],
    ['a field this form does not show', refused({ code: 'validation_failed', fieldErrors: { job_title: ['profile.errors.required'] } }), 'Some answers need your attention. Check the highlighted fields and try again.'],
  ])('%s: the summary says so without a link', (_, state, text) => {
    const html = render({ state });
    expect(html).toContain(`<ul><li>${text}</li></ul>`);
    expect(html).not.toContain('aria-invalid');
  });

  it('the account service failed: the form alert takes the focus, the answers are kept', () => {
    const html = render({ state: refused({ code: 'upstream_unavailable', values: posted }) });
    expect(html).toContain('<div tabindex="-1" class="form-alert" autofocus=""><div role="alert" class="alert" data-error-code="upstream_unavailable" tabindex="-1">');
    expect(html).toContain('<code dir="ltr" data-testid="support-reference">5f0c6b8e-0000-4000-8000-000000000001</code>');
    expect(fieldMarkup(html, 'phone')).toContain('value="0044 12"');
    expect(html).not.toContain('error-summary');
  });

  it('without a flow (the sign-in was lost) the form is still shown, in the language asked for', () => {
    const html = render({ flow: null, locale: 'de', state: refused({ code: 'flow_missing', values: posted }) });
    expect(html).toContain('action="/steps/profile"');
    expect(html).toContain(translatorFor('de')('errors.flow_missing'));
    expect(html).toContain('<label for="field-given_name" class="profile-label">Vorname</label>');
  });
});

describe('ProfileView: every field type', () => {
  const html = render({ config: custom, flow: testFlow({ steps: ['profile'] }) });

  it('a radio group: a fieldset with its legend, each button labelled, required natively', () => {
    expect(fieldMarkup(html, 'plan')).toContain(
      '<legend class="profile-legend">How do you use Example?</legend><div class="profile-choice"><input id="field-plan" type="radio" required="" name="plan" value="personal"/><label for="field-plan">For myself</label></div><div class="profile-choice"><input id="field-plan-1" type="radio" required="" name="plan" value="work"/><label for="field-plan-1">For work</label></div></fieldset>',
    );
    expect(html).toContain('<fieldset class="profile-fieldset" data-field="plan"');
  });

  it('a conditional field: shown, saying when it is needed, with its condition for the script', () => {
    const company = fieldMarkup(html, 'company');
    expect(company).toContain('data-show-when="{&quot;field&quot;:&quot;plan&quot;,&quot;equals&quot;:&quot;work&quot;}"');
    expect(company).toContain('<p id="field-company-condition" class="profile-hint">Only needed if you answered “For work” to “How do you use Example?”.</p>');
    expect(company).toContain('aria-describedby="field-company-condition"');
    expect(company).toContain('type="text" maxLength="80" minLength="2" pattern="[A-Za-z ]+"');
  });

  it('a number: a text input with a numeric keyboard, its rules for the script', () => {
    const teamSize = fieldMarkup(html, 'team_size');
    expect(teamSize).toContain('<input class="profile-input profile-short" type="text" inputMode="numeric" spellCheck="false" id="field-team_size" autoComplete="off"');
    expect(teamSize).toContain('&quot;number&quot;:{&quot;integer&quot;:true,&quot;min&quot;:1,&quot;max&quot;:10000}');
    expect(teamSize).toContain('&quot;notWholeNumber&quot;:&quot;Enter a whole number.&quot;');
  });

  it('a multi-select: a fieldset of boxes under one name, the most allowed for the script', () => {
    const topics = fieldMarkup(html, 'topics');
    expect(topics).toContain('<legend class="profile-legend">Topics<span class="profile-optional"> (optional)</span></legend>');
    expect(topics).toContain('<input id="field-topics-2" type="checkbox" name="topics" value="events"/><label for="field-topics-2">Topic: events</label>');
    expect(topics).toContain('&quot;selected&quot;:{&quot;required&quot;:false,&quot;max&quot;:2}');
    expect(topics).toContain('&quot;tooManySelected&quot;:&quot;Choose at most 2.&quot;');
  });

  it('a checkbox: the box then its label, required natively with its own sentence', () => {
    const newsletter = fieldMarkup(html, 'newsletter');
    expect(newsletter).toContain('<div class="check"><input id="field-newsletter" type="checkbox" required="" name="newsletter" value="on"/><label for="field-newsletter">Newsletter</label></div>');
    expect(newsletter).toContain('&quot;valueMissing&quot;:&quot;Tick this box to continue.&quot;');
  });

  it.each([
    ['a textarea', 'bio', '<textarea class="profile-input" rows="4" maxLength="500" id="field-bio" name="bio" autoComplete="off"></textarea>'],
    ['an email input', 'work_email', 'type="email" maxLength="254" spellCheck="false" id="field-work_email" autoComplete="email" name="work_email"/>'],
    ['a web address input', 'site', 'type="url" inputMode="url" maxLength="500" spellCheck="false" id="field-site" autoComplete="url" name="site"/>'],
    ['a select', 'size', '<select class="profile-input" id="field-size" name="size" autoComplete="off"><option value="" selected="">Choose…</option><option value="s">Small</option><option value="l">Large</option></select>'],
    ['a date between two dates', 'start', 'type="date" min="2020-01-01" max="2030-12-31"'],
  ])('%s', (_, id, fragment) => {
    expect(fieldMarkup(html, id)).toContain(fragment);
  });

  it('a date bound by fixed dates says so in words', () => {
    expect(fieldMarkup(html, 'start')).toContain('&quot;rangeOverflow&quot;:&quot;Enter a date on or before December 31, 2030.&quot;');
  });

  it('after a refusal: the chosen button, the ticked boxes and the text as posted', () => {
    const values = { plan: 'work', company: 'Analytical Engines', topics: ['news', 'events'], newsletter: 'on', size: 'l' };
    const refusedHtml = render({ config: custom, flow: testFlow({ steps: ['profile'] }), state: refused({ code: 'validation_failed', fieldErrors: { topics: ['profile.errors.too_many_selected'] }, values }) });
    expect(refusedHtml).toContain('id="field-plan-1" type="radio" required="" name="plan" checked="" value="work"');
    expect(refusedHtml).toContain('id="field-topics" type="checkbox" aria-invalid="true" name="topics" checked="" value="news"');
    expect(refusedHtml).toContain('id="field-topics-1" type="checkbox" aria-invalid="true" name="topics" value="offers"');
    expect(refusedHtml).toContain('id="field-newsletter" type="checkbox" required="" name="newsletter" checked=""');
    expect(refusedHtml).toContain('<option value="l" selected="">Large</option>');
    expect(refusedHtml).toContain('<a href="#field-topics">Topics: Choose at most 2.</a>');
    // The group is described by its error; each box is marked invalid.
    expect(refusedHtml).toContain('<fieldset class="profile-fieldset" aria-describedby="field-topics-error" data-field="topics"');
  });
});

describe('ProfileView: every language', () => {
  it.each(['en', 'de', 'fr', 'es', 'ja', 'ar'])('%s comes from its catalogue', (locale) => {
    const t = translatorFor(locale);
    const html = render({ locale, flow: testFlow({ steps: ['profile'], locale }), state: refused({ code: 'validation_failed', fieldErrors: { given_name: ['profile.errors.required'] } }) });
    for (const key of ['profile.title', 'profile.intro', 'profile.submit', 'profile.optional', 'profile.choose_country', 'profile.errors.required', 'common.error_summary_title']) {
      const text = t(key);
      expect(text).not.toBe(key);
      expect(html).toContain(renderToStaticMarkup(<>{text}</>));
    }
  });
});
