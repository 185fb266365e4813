import { renderToStaticMarkup } from 'react-dom/server.edge';
import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../../config';
import { translatorFor } from '../../i18n/catalogue';
import { stubDetourEnv } from '../../testing/detour-env';
import { testFlow } from '../../testing/flow-fixture';
import type { PasswordBrowserData } from './browser-data';
import { PasswordView } from './view';
import { refusedState, stepViewRenderer } from '../../testing/step-view';

stubDetourEnv();
const config: DetourConfig = (await import('../../config')).getConfig();

const FRANK = { steps: ['password'], email: 'frank@example.com', name: 'Frank Example', claims: { connection: 'Username-Password-Authentication' } };
const render = stepViewRenderer(PasswordView, { flow: (locale) => testFlow({ ...FRANK, locale }), config: { ...config, loginRestartUrl: null } });
const refused = refusedState;
/** The script's data, as the browser reads it back from the attribute. */
const browserData = (html: string): PasswordBrowserData => {
  const attribute = /data-password-form="([^"]*)"/.exec(html)?.[1] ?? '';
  return JSON.parse(attribute.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as PasswordBrowserData;
};

describe('PasswordView: the first view', () => {
  const html = render();

  it.each([
    ['the heading', '<h1>Choose a new password</h1>'],
    ['a plain form post to the step', 'action="/steps/password" method="post"'],
    ['the rules up front, none met yet', '<li data-rule="min_length" data-met="false" class="password-unmet"><span aria-hidden="true" class="password-tick">•</span><span>At least 12 characters</span><span class="visually-hidden" data-rule-state=""> (not yet)</span></li>'],
    ['the strength rule at the steps file’s score', 'Hard to guess: rated at least “strong”'],
    [
      'the password field, described by the rules and the meter',
      '<input id="password" class="password-input" type="password" autoComplete="new-password" autoCapitalize="none" autoCorrect="off" spellCheck="false" aria-describedby="password-rules password-strength" name="password"/>',
    ],
    ['the confirmation', '<label for="confirm_password">Type the new password again</label><input id="confirm_password" class="password-input" type="password" autoComplete="new-password"'],
    ['the show/hide button, hidden until the script runs', '<button type="button" class="password-toggle" aria-controls="password confirm_password" data-password-toggle="" hidden="">Show password</button>'],
    ['an empty polite live region for the meter', '<div id="password-strength" class="password-strength" data-testid="password-strength" data-status="empty" aria-live="polite"></div>'],
    ['the submit button', '<button type="submit" class="button">Change password and continue</button>'],
  ])('has %s', (_, fragment) => {
    expect(html).toContain(fragment);
  });

  it('lists every rule of the shipped policy for frank', () => {
    expect([...html.matchAll(/data-rule="([a-z_]+)"/g)].map((match) => match[1])).toEqual(['min_length', 'classes', 'max_repeated', 'personal_info', 'strength']);
  });

  it('names the account for password managers in a username field that is never posted', () => {
    expect(html).toContain('<input type="text" autoComplete="username" readOnly="" hidden="" value="frank@example.com"/>');
    expect(html).not.toMatch(/autoComplete="username"[^>]*name=/);
  });

  it('has no username field without an email', () => {
    expect(render({ flow: testFlow({ ...FRANK, email: undefined }) })).not.toContain('autoComplete="username"');
  });

  it.each([
    ['no error', 'role="alert"'],
    ['nothing that takes the focus', 'autofocus'],
    ['no inline script', '<script'],
  ])('has %s', (_, fragment) => {
    expect(html).not.toContain(fragment);
  });

  it('hands the script the policy, the words to avoid and its sentences', () => {
    const data = browserData(html);
    expect(data.policy).toMatchObject({ minLength: 12, minScore: 3 });
    expect(data.personal).toEqual(['example', 'frank']);
    expect(data.text.errors['password.errors.too_short']).toBe('Use at least 12 characters.');
    expect(data.text.errors['password.errors.mismatch']).toBe('The two passwords are not the same.');
    expect(data.text.scores).toEqual(['Strength: very weak', 'Strength: weak', 'Strength: fair', 'Strength: strong', 'Strength: very strong']);
    expect(data.text.feedback['warnings.straightRow']).toBe('A straight row of keys on the keyboard is easy to guess.');
    // The policy requires kinds of character, so "no need for symbols" would contradict it.
    expect(data.text.feedback['suggestions.noNeed']).toBeUndefined();
  });
});

describe('PasswordView: refused', () => {
  it('field errors: a focused summary linking to each field, the errors under the fields, nothing echoed', () => {
    const secret = 'Unechoed-Secret-Value-77';
    const html = render({
      state: refused({ code: 'validation_failed', fieldErrors: { password: ['password.errors.too_short', 'password.errors.personal_info'], confirm_password: ['password.errors.mismatch'] } }),
    });
    expect(html).toContain('<div role="alert" class="alert error-summary" data-error-code="validation_failed" data-testid="error-summary" tabindex="-1" aria-labelledby="error-summary-title" autofocus="">');
    expect(html).toContain('<li><a href="#password">Use at least 12 characters.</a></li><li><a href="#password">Leave out your name and the first part of your email address.</a></li><li><a href="#confirm_password">The two passwords are not the same.</a></li>');
    expect(html).toContain('aria-invalid="true" aria-describedby="password-rules password-strength password-error" name="password"/>');
    expect(html).toContain('<div class="field-error" id="password-error" data-error-code="validation_failed"><p>Use at least 12 characters.</p><p>Leave out your name and the first part of your email address.</p></div>');
    expect(html).toContain('aria-invalid="true" aria-describedby="confirm_password-error" name="confirm_password"/>');
    expect(html).toContain('<div class="field-error" id="confirm_password-error" data-error-code="validation_failed"><p>The two passwords are not the same.</p></div>');
    expect(html).not.toContain(secret);
    expect(html).not.toMatch(/<input[^>]*name="(password|confirm_password)"[^>]*value=/);
  });

  it('Auth0’s or zxcvbn’s verdict goes on the password field as password_policy', () => {
    const html = render({ state: refused({ code: 'password_policy', messageKey: 'password.errors.auth0_history' }) });
    expect(html).toContain('data-error-code="password_policy" data-testid="error-summary"');
    expect(html).toContain('<a href="#password">You have used this password before. Choose one you have not used.</a>');
    expect(html).toContain('<div class="field-error" id="password-error" data-error-code="password_policy">');
    expect(html).not.toContain('form-alert');
  });

  it('too many attempts: a focused form alert with the seconds to wait, and a support reference', () => {
    const html = render({ state: refused({ code: 'rate_limited', messageKey: 'password.errors.rate_limited', retryAfterSeconds: 42 }) });
    expect(html).toContain('<div tabindex="-1" class="form-alert" autofocus=""><div role="alert" class="alert" data-error-code="rate_limited" tabindex="-1"><p>Too many attempts. Try again in 42 s.</p></div>');
    expect(html).toContain('<code dir="ltr" data-testid="support-reference">5f0c6b8e-0000-4000-8000-000000000001</code>');
    expect(html).not.toContain('error-summary');
    expect(html).toContain('name="password"');
  });

  it('without the seconds, the general sentence (never an unfilled placeholder)', () => {
    const html = render({ state: refused({ code: 'rate_limited', messageKey: 'password.errors.rate_limited' }) });
    expect(html).toContain(`<p>${translatorFor('en')('errors.rate_limited')}</p>`);
    expect(html).not.toContain('{seconds}');
  });

  it('without a flow (the sign-in was lost) the form is still shown, in the language asked for', () => {
    const html = render({ flow: null, locale: 'de', state: refused({ code: 'flow_missing' }) });
    expect(html).toContain('action="/steps/password"');
    expect(html).toContain(translatorFor('de')('errors.flow_missing'));
    expect(html).not.toContain('data-rule="personal_info"');
  });
});

describe('PasswordView: a token without a connection', () => {
  it('says so instead of showing a form Auth0 would refuse', () => {
    const html = render({ flow: testFlow({ ...FRANK, claims: {} }) });
    expect(html).toContain('<h1>Your password cannot be changed here</h1>');
    expect(html).toContain('<div role="alert" class="alert" data-error-code="misconfigured" tabindex="-1"><p>We cannot change the password for this account here');
    expect(html).not.toContain('<form method="post" action="/steps/password"');
    expect(html).not.toContain('name="password"');
  });
});

describe('PasswordView: every language', () => {
  it.each(['en', 'de', 'fr', 'es', 'ja', 'ar'])('%s comes from its catalogue', (locale) => {
    const t = translatorFor(locale);
    const html = render({ locale });
    for (const key of ['password.title', 'password.password_label', 'password.confirm_label', 'password.show', 'password.submit', 'password.rules.heading']) {
      const text = t(key);
      expect(text).not.toBe(key);
      expect(html).toContain(renderToStaticMarkup(<>{text}</>));
    }
    expect(Object.keys(browserData(html).text.feedback).length).toBeGreaterThan(20);
  });
});
