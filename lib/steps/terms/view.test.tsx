import { renderToStaticMarkup } from 'react-dom/server.edge';
import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../../config';
import type { StepActionState } from '../../flow/step-action-state';
import { translatorFor } from '../../i18n/catalogue';
import { stubDetourEnv } from '../../testing/detour-env';
import { testFlow } from '../../testing/flow-fixture';
import { TermsView } from './view';
import { refusedState, stepViewRenderer, type StepViewInput } from '../../testing/step-view';

stubDetourEnv();
const config: DetourConfig = (await import('../../config')).getConfig();

const NOW = new Date('2026-12-04T10:00:00Z');
const renderView = stepViewRenderer(TermsView, { flow: (locale) => testFlow({ locale }), config, now: NOW });
const render = ({ restartUrl, ...input }: StepViewInput & { restartUrl?: string | null } = {}) => renderView({ ...input, config: { ...config, loginRestartUrl: restartUrl ?? null } });
const refused = (state: Partial<StepActionState>): StepActionState => refusedState({ values: undefined, ...state });

describe('TermsView: the first view', () => {
  const html = render();

  it.each([
    ['the heading', '<h1>Review our updated terms</h1>'],
    ['the version in the intro', '(version 2026-11-01).</p>'],
    ['the document, labelled, focusable, in its language', '<section class="document" aria-label="Terms of service, version 2026-11-01" tabindex="0" lang="en">'],
    ['a plain form post to the step', '<form noValidate="" action="/steps/terms" method="post">'],
    ['the version it accepts', '<input type="hidden" name="version" value="2026-11-01"/>'],
    ['the box and its label', '<div class="check" data-field="accept"><input id="accept" type="checkbox" name="accept" value="on"/><label for="accept">I have read and accept the terms of service</label></div>'],
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
    expect(render({ previous: { version: '2026-11-01' } })).toContain('<input id="accept" type="checkbox" name="accept" checked="" value="on"/>');
  });

  it('keeps the box as posted after a refusal, whatever was done before', () => {
    expect(render({ previous: { version: '2026-11-01' }, state: refused({ code: 'upstream_unavailable', values: {} }) })).not.toContain('checked=""');
    expect(render({ state: refused({ code: 'upstream_unavailable', values: { accept: 'on' } }) })).toContain('checked=""');
  });
});

describe('TermsView: refused', () => {
  it('the box not ticked: a focused summary linking to the box, the error under it', () => {
    const html = render({ state: refused({ code: 'validation_failed', fieldErrors: { accept: ['terms.errors.must_accept'] }, values: {} }) });
    expect(html).toContain(
      '<div role="alert" class="alert error-summary" data-error-code="validation_failed" data-testid="error-summary" tabindex="-1" aria-labelledby="error-summary-title" autofocus=""><h2 id="error-summary-title">There is a problem</h2><ul><li><a href="#accept">Tick the box to accept the terms before you continue.</a></li></ul></div>',
    );
    expect(html).toContain('<input id="accept" type="checkbox" aria-invalid="true" aria-describedby="accept-error" name="accept" value="on"/>');
    expect(html).toContain('<div class="field-error" id="accept-error" data-error-code="validation_failed"><p>Tick the box to accept the terms before you continue.</p></div>');
    expect(html).not.toContain('form-alert');
  });

  it.each([
    ['the terms changed while the page was open', refused({ code: 'validation_failed', messageKey: 'terms.errors.version_changed' }), 'The terms changed while this page was open. Please read the new version.'],
    ['a field this form does not show', refused({ code: 'validation_failed', fieldErrors: { version: ['Too big'] } }), 'Some answers need your attention. Check the highlighted fields and try again.'],
  ])('%s: the summary says so without a link', (_, state, text) => {
    const html = render({ state });
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
    const html = render({ state: refused({ code, ...(messageKey ? { messageKey } : {}) }), restartUrl: 'https://app.example.com/login?a=1&b=2' });
    expect(html).toContain(`<div tabindex="-1" class="form-alert" autofocus=""><div role="alert" class="alert" data-error-code="${code}" tabindex="-1"><p>${text}</p></div>`);
    expect(html).toContain('<code dir="ltr" data-testid="support-reference">5f0c6b8e-0000-4000-8000-000000000001</code>');
    expect(html.includes('<a class="button secondary" href="https://app.example.com/login?a=1&amp;b=2" data-testid="restart">Start the sign-in again</a>')).toBe(restart);
    expect(html).not.toContain('error-summary');
  });

  it('without a flow (the sign-in was lost) the form is still shown, in the language asked for', () => {
    const html = render({ flow: null, locale: 'de', state: refused({ code: 'flow_missing' }) });
    expect(html).toContain('action="/steps/terms"');
    expect(html).toContain(translatorFor('de')('errors.flow_missing'));
  });
});

describe('TermsView: every language', () => {
  it.each(['en', 'de', 'fr', 'es', 'ja', 'ar'])('%s comes from its catalogue', (locale) => {
    const t = translatorFor(locale);
    const html = render({ locale, state: refused({ code: 'validation_failed', fieldErrors: { accept: ['terms.errors.must_accept'] } }) });
    for (const key of ['terms.title', 'terms.accept_label', 'terms.submit', 'terms.errors.must_accept', 'common.error_summary_title']) {
      const text = t(key);
      expect(text).not.toBe(key);
      expect(html).toContain(renderToStaticMarkup(<>{text}</>));
    }
  });
});
