import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDLE_STATE, type StepActionState } from '../../flow/step-action-state';
import { escapeHtml } from '../../http/html';
import { loadMessages, translate } from '../../i18n/catalogue';
import { termsPageBody, type TermsPageView } from './page-html';

const messages = loadMessages('en', path.resolve(__dirname, '../../..'));
const view = (overrides: Partial<TermsPageView> = {}): TermsPageView => ({
  messages,
  headerHtml: '<div class="account">header</div>',
  version: '2026-11-01',
  document: { locale: 'en', html: '<h2>Terms of service</h2><p>Be nice.</p>' },
  changes: null,
  checked: false,
  state: IDLE_STATE,
  restartUrl: null,
  ...overrides,
});
const refused = (state: Partial<StepActionState>): StepActionState => ({ status: 'error', requestId: '5f0c6b8e-0000-4000-8000-000000000001', ...state });

describe('termsPageBody: the first view', () => {
  const html = termsPageBody(view());

  it.each([
    ['the header as given', '<div class="account">header</div>'],
    ['the heading', '<h1>Review our updated terms</h1>'],
    ['the version in the intro', '(version 2026-11-01).</p>'],
    ['the document, labelled, focusable, in its language, as sanitised', '<section class="document" aria-label="Terms of service, version 2026-11-01" tabindex="0" lang="en"><h2>Terms of service</h2><p>Be nice.</p></section>'],
    ['a plain form post to the step', '<form method="post" action="/steps/terms" novalidate>'],
    ['the version it accepts', '<input type="hidden" name="version" value="2026-11-01">'],
    ['the box and its label', '<div class="check" data-field="accept"><input id="accept" type="checkbox" name="accept" value="on"><label for="accept">I have read and accept the terms of service</label></div>'],
    ['the button', '<div class="actions"><button type="submit" class="button">Accept and continue</button></div>'],
  ])('has %s', (_, fragment) => {
    expect(html).toContain(fragment);
  });

  it.each([
    ['no error', 'role="alert"'],
    ['no script', '<script'],
    ['no changes section', 'class="changes"'],
    ['nothing that takes the focus', 'autofocus'],
  ])('has %s', (_, fragment) => {
    expect(html).not.toContain(fragment);
  });

  it('ticks the box when the step was already done', () => {
    expect(termsPageBody(view({ checked: true }))).toContain('<input id="accept" type="checkbox" name="accept" value="on" checked>');
  });

  it('says what changed since the accepted version, escaped', () => {
    const html = termsPageBody(view({ changes: { acceptedVersion: '2025-01-01', items: [{ version: '2026-11-01', text: 'New <b>data</b> section' }] } }));
    expect(html).toContain(
      '<section class="changes" aria-labelledby="changes-heading"><h2 id="changes-heading">What changed since you accepted version 2025-01-01</h2><ul><li><strong>2026-11-01</strong>: New &lt;b&gt;data&lt;/b&gt; section</li></ul></section>',
    );
  });
});

describe('termsPageBody: refused', () => {
  it('the box not ticked: a focused summary linking to the box, the error under it', () => {
    const html = termsPageBody(view({ state: refused({ code: 'validation_failed', fieldErrors: { accept: ['terms.errors.must_accept'] }, values: {} }) }));
    expect(html).toContain(
      '<div role="alert" class="alert error-summary" data-error-code="validation_failed" data-testid="error-summary" tabindex="-1" aria-labelledby="error-summary-title" autofocus><h2 id="error-summary-title">There is a problem</h2><ul><li><a href="#accept">Tick the box to accept the terms before you continue.</a></li></ul></div>',
    );
    expect(html).toContain('<input id="accept" type="checkbox" name="accept" value="on" aria-invalid="true" aria-describedby="accept-error">');
    expect(html).toContain('<div class="field-error" id="accept-error" data-error-code="validation_failed"><p>Tick the box to accept the terms before you continue.</p></div>');
    expect(html).not.toContain('form-alert');
  });

  it.each([
    ['the terms changed while the page was open', refused({ code: 'validation_failed', messageKey: 'terms.errors.version_changed' }), 'The terms changed while this page was open. Please read the new version.'],
    ['a field this form does not show', refused({ code: 'validation_failed', fieldErrors: { version: ['Too big'] } }), 'Some answers need your attention. Check the highlighted fields and try again.'],
  ])('%s: the summary says so without a link', (_, state, text) => {
    const html = termsPageBody(view({ state }));
    expect(html).toContain(`<ul><li>${text}</li></ul>`);
    expect(html).not.toContain('aria-invalid');
  });

  it.each([
    ['upstream_unavailable', 'terms.errors.server_error', 'We could not save your answer because the account service did not respond. Your answer is kept: please try again.', false],
    ['upstream_rate_limited', undefined, 'The account service is busy right now. Your answer is kept: please try again in a few seconds.', false],
    ['flow_missing', undefined, 'We could not find your sign-in in this browser. Finish it in the browser where you started it, or start the sign-in again.', true],
    ['origin_rejected', 'terms.errors.origin_foreign', 'This form was sent from somewhere we do not trust, so nothing was saved. Go back to the page and try again.', false],
    ['misconfigured', undefined, 'This sign-in step is not set up correctly. Contact your administrator.', false],
  ] as const)('%s: the form alert takes the focus, with a support reference (restart link: %s)', (code, messageKey, text, restart) => {
    const html = termsPageBody(view({ state: refused({ code, ...(messageKey ? { messageKey } : {}) }), restartUrl: 'https://app.example.com/login?a=1&b=2' }));
    expect(html).toContain(`<div tabindex="-1" class="form-alert" autofocus><div role="alert" class="alert" data-error-code="${code}" tabindex="-1"><p>${text}</p></div>`);
    expect(html).toContain('<code dir="ltr" data-testid="support-reference">5f0c6b8e-0000-4000-8000-000000000001</code>');
    expect(html.includes('<a class="button secondary" href="https://app.example.com/login?a=1&amp;b=2" data-testid="restart">Start the sign-in again</a>')).toBe(restart);
    expect(html).not.toContain('error-summary');
  });
});

describe('termsPageBody: every language', () => {
  it.each(['en', 'de', 'fr', 'es', 'ja', 'ar'])('%s comes from its catalogue', (locale) => {
    const localMessages = loadMessages(locale, path.resolve(__dirname, '../../..'));
    const html = termsPageBody(view({ messages: localMessages, state: refused({ code: 'validation_failed', fieldErrors: { accept: ['terms.errors.must_accept'] } }) }));
    for (const key of ['terms.title', 'terms.accept_label', 'terms.submit', 'terms.errors.must_accept', 'common.error_summary_title']) {
      const text = translate(localMessages, key);
      expect(text).not.toBe(key);
      expect(html).toContain(escapeHtml(text));
    }
  });
});
