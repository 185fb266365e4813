import { HtmlValidate } from 'html-validate';
import { renderToStaticMarkup } from 'react-dom/server.edge';
import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../../config';
import type { StepActionState } from '../../flow/step-action-state';
import { translatorFor } from '../../i18n/catalogue';
import { stubDetourEnv } from '../../testing/detour-env';
import { testFlow } from '../../testing/flow-fixture';
import { refusedState, stepViewRenderer, type StepViewInput } from '../../testing/step-view';
import { VerifyView, type VerifyPrepared } from './view';

stubDetourEnv();
const config: DetourConfig = (await import('../../config')).getConfig();

const NOW = new Date('2026-12-04T10:00:00.000Z');
const PABLO = { steps: ['verify'], email: 'pablo@example.com', claims: { verify: { location: { country: 'PT', region: 'Lisbon', city: 'Lisbon' }, reason: 'new_location' } } };
const renderView = stepViewRenderer(VerifyView, { flow: (locale) => testFlow({ ...PABLO, locale }), config: { ...config, loginRestartUrl: null }, now: NOW });
/** What prepare hands the page once the first code went out. */
const SENT: VerifyPrepared = { maskedEmail: 'p***o@example.com', place: 'Lisbon, Portugal', reason: 'new_location', codeExpiresAt: NOW.getTime() + 600_000, resendWait: 30 };
const render = (input: StepViewInput = {}) => renderView({ prepared: SENT, ...input });
const refused = refusedState;
const en = translatorFor('en');
/** A sentence as React escapes it into the page. */
const escaped = (text: string) => renderToStaticMarkup(<>{text}</>);
const codeInput = (html: string) => /<input id="code"[^>]*\/>/.exec(html)?.[0] ?? '';

describe('VerifyView: the first view', () => {
  const html = render();

  it('has one code field made for one-time codes, labelled and described by its hint', () => {
    const input = codeInput(html);
    expect(input).toMatch(/ name="code"/);
    expect(input).toMatch(/ type="text"/);
    expect(input).toMatch(/ autocomplete="one-time-code"/i);
    expect(input).toMatch(/ inputmode="numeric"/i);
    expect(input).toMatch(/ aria-describedby="code-hint"/);
    expect(input).not.toMatch(/aria-invalid|value=/);
    expect(html).toContain(`<label for="code">${escaped(en('verify.code_label'))}</label>`);
    expect(html).toContain(`<p id="code-hint" class="muted small">${escaped(en('verify.code_hint'))}</p>`);
  });

  it('has three plain forms posting to the step, one per intent', () => {
    const forms = html.split('<form').slice(1);
    expect(forms).toHaveLength(3);
    for (const form of forms) expect(form).toMatch(/^[^>]* action="\/steps\/verify" method="post"/);
    const intents = forms.map((form) => [...form.matchAll(/<button type="submit" value="([a-z_]+)"[^>]* name="intent"/g)].map((match) => match[1]));
    expect(intents).toEqual([['verify'], ['resend'], ['not_me']]);
    expect(forms[0]).toContain('name="code"');
  });

  it.each([
    ['where the sign-in comes from', () => en('verify.intro_new', { place: 'Lisbon, Portugal' })],
    ['where the code went, masked', () => en('verify.code_sent_to', { email: 'p***o@example.com' })],
    ['the wait before a new code, in words', () => en('verify.resend_wait', { duration: '30 seconds' })],
    ['"send a new code"', () => en('verify.resend')],
    ['"this wasn\'t me"', () => en('verify.not_me')],
  ])('says %s', (_, text) => {
    expect(html).toContain(escaped(text()));
  });

  it('shows the place and the masked address, never the whole address', () => {
    expect(html).toContain('Lisbon, Portugal');
    expect(html).toContain('p***o@example.com');
    expect(html).not.toContain('pablo@example.com');
  });

  it('gives the countdown script the wait and both sentences', () => {
    expect(html).toContain('id="resend-wait"');
    expect(html).toContain('data-wait="30"');
    expect(html).toContain(`data-wait-text="${escaped(en('verify.resend_wait', { duration: '{duration}' }))}"`);
    expect(html).toContain(`data-ready-text="${escaped(en('verify.resend_hint'))}"`);
  });

  it.each([
    ['no error', 'role="alert"'],
    ['no notice', 'role="status"'],
    ['nothing that takes the focus', 'autofocus'],
    ['no script', '<script'],
    ['no link', '<a '],
  ])('has %s', (_, fragment) => {
    expect(html).not.toContain(fragment);
  });

  it('once the wait is over: the ready sentence, no wait', () => {
    const ready = render({ prepared: { ...SENT, resendWait: 0 } });
    expect(ready).toContain('data-wait="0"');
    expect(ready).toContain(`aria-live="polite" data-wait="0" data-wait-text="${escaped(en('verify.resend_wait', { duration: '{duration}' }))}" data-ready-text="${escaped(en('verify.resend_hint'))}">${escaped(en('verify.resend_hint'))}</p>`);
  });

  it('"stale": says it has been a while', () => {
    expect(render({ prepared: { ...SENT, reason: 'stale' } })).toContain(escaped(en('verify.intro_stale', { place: 'Lisbon, Portugal' })));
  });

  it('no code pending yet: says one will be sent, and the button sends the first', () => {
    const none = render({ prepared: { ...SENT, codeExpiresAt: null, resendWait: 0 } });
    expect(none).toContain(escaped(en('verify.no_code_yet', { email: 'p***o@example.com' })));
    expect(none).toContain(`>${escaped(en('verify.send'))}</button>`);
    expect(none).not.toContain(escaped(en('verify.code_sent_to', { email: 'p***o@example.com' })));
  });
});

describe('VerifyView: refused and noticed', () => {
  it('a wrong code: the error at the field, tries left, tied to the input, and a summary linking to it', () => {
    const html = render({ state: refused({ code: 'code_invalid', messageKey: 'verify.errors.code_invalid', messageParams: { left: 4 } }) });
    const text = 'That code is not right. You have 4 tries left.';
    expect(en('verify.errors.code_invalid', { left: 4 })).toBe(text);
    const input = codeInput(html);
    expect(input).toContain('aria-invalid="true"');
    expect(input).toMatch(/aria-describedby="[^"]*\bcode-error\b[^"]*"/);
    expect(html).toContain(`<div class="field-error" id="code-error" data-error-code="code_invalid"><p>${text}</p></div>`);
    expect(html).toMatch(new RegExp(`<div role="alert" class="alert error-summary" data-error-code="code_invalid"[^>]*autofocus=""><h2 id="error-summary-title">[^<]+</h2><ul><li><a href="#code">${text}</a></li></ul></div>`));
    expect(html).not.toContain('form-alert');
  });

  it('a code posted is never echoed back into the field', () => {
    const html = render({ state: refused({ code: 'code_invalid', messageKey: 'verify.errors.code_invalid', messageParams: { left: 4 }, values: { code: '123456', intent: 'verify' } }) });
    expect(html).not.toContain('123456');
  });

  it.each([
    ['a used code', refused({ code: 'code_invalid', messageKey: 'verify.errors.code_used' }), 'code_invalid', 'verify.errors.code_used'],
    ['an expired code', refused({ code: 'code_expired', messageKey: 'verify.errors.code_expired' }), 'code_expired', 'verify.errors.code_expired'],
    ['no code waiting', refused({ code: 'code_expired', messageKey: 'verify.errors.code_missing' }), 'code_expired', 'verify.errors.code_missing'],
    ['not six digits', refused({ code: 'validation_failed', fieldErrors: { code: ['verify.errors.code_format'] } }), 'validation_failed', 'verify.errors.code_format'],
  ] as [string, StepActionState, string, string][])('%s: the field error and the summary say so', (_, state, code, key) => {
    const html = render({ state });
    const text = escaped(en(key));
    expect(text).not.toBe(key);
    expect(html).toContain(`<div class="field-error" id="code-error" data-error-code="${code}"><p>${text}</p></div>`);
    expect(html).toContain(`<li><a href="#code">${text}</a></li>`);
    expect(codeInput(html)).toContain('aria-invalid="true"');
  });

  it('a new code asked for too soon: the form alert says how long to wait', () => {
    const html = render({ state: refused({ code: 'send_rate_limited', messageKey: 'verify.errors.send_rate_limited', retryAfterSeconds: 12 }) });
    const text = escaped(en('verify.errors.send_rate_limited', { duration: '12 seconds' }));
    expect(text).toContain('12 seconds');
    expect(html).toContain(`<div tabindex="-1" class="form-alert" autofocus=""><div role="alert" class="alert" data-error-code="send_rate_limited" tabindex="-1"><p>${text}</p></div>`);
    expect(html).toContain('data-testid="support-reference">5f0c6b8e-0000-4000-8000-000000000001</code>');
    expect(html).not.toContain('error-summary');
    expect(codeInput(html)).not.toContain('aria-invalid');
  });

  it('the mail could not go out: the form alert says so', () => {
    const html = render({ state: refused({ code: 'mail_unavailable', messageKey: 'verify.errors.mail_unavailable' }) });
    expect(html).toContain(`data-error-code="mail_unavailable" tabindex="-1"><p>${escaped(en('verify.errors.mail_unavailable'))}</p></div>`);
  });

  it('a new code sent: a status notice naming the masked address, no error', () => {
    const html = render({ state: { status: 'notice', messageKey: 'verify.code_sent_again', messageParams: { email: 'p***o@example.com' } } });
    expect(html).toContain(`<p role="status" class="notice">${escaped(en('verify.code_sent_again', { email: 'p***o@example.com' }))}</p>`);
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain('aria-invalid');
  });

  it.each([
    ['mail_unavailable', undefined, () => en('verify.errors.mail_unavailable')],
    ['send_rate_limited', 1740, () => en('verify.errors.send_rate_limited', { duration: '1,740 seconds' })],
  ] as const)('the first code could not be sent (%s): an alert with its code, in place of "we sent a code"', (code, retryAfterSeconds, text) => {
    const html = render({ prepared: { ...SENT, codeExpiresAt: null, resendWait: 0, sendFailure: { code, retryAfterSeconds } } });
    expect(html).toMatch(new RegExp(`<div [^>]*role="alert"[^>]*>`));
    expect(/<div [^>]*role="alert"[^>]*>/.exec(html)?.[0]).toContain(`data-error-code="${code}"`);
    expect(html).toContain(`<p>${escaped(text())}</p>`);
    expect(html).not.toContain(escaped(en('verify.code_sent_to', { email: 'p***o@example.com' })));
  });
});

describe('VerifyView: every language', () => {
  it.each(['en', 'de', 'fr', 'es', 'ja', 'ar'])('%s comes from its catalogue, no key left untranslated', (locale) => {
    const t = translatorFor(locale);
    const html = render({ locale, state: refused({ code: 'code_invalid', messageKey: 'verify.errors.code_invalid', messageParams: { left: 4 } }) });
    expect(html).not.toMatch(/\bverify\.[a-z_]+/);
    for (const key of ['verify.title', 'verify.code_label', 'verify.code_hint', 'verify.submit', 'verify.resend', 'verify.not_me', 'verify.not_me_hint']) {
      const text = t(key);
      expect(text).not.toBe(key);
      expect(html).toContain(escaped(text));
    }
    expect(html).toContain(escaped(t('verify.errors.code_invalid', { left: 4 })));
  });

  it('ar is Arabic, with the wait written in Arabic', () => {
    const html = render({ locale: 'ar' });
    expect(html).toMatch(/<h1>[\u0600-\u06ff][^<]*<\/h1>/);
    expect(html).toContain(escaped(translatorFor('ar')('verify.resend_wait', { duration: new Intl.NumberFormat('ar', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(30) })));
  });
});

// html-validate's "standard" preset, as e2e/audits.spec.ts runs on whole pages: here the view's own markup, in the
// states that add or change elements.
const validator = new HtmlValidate({ extends: ['html-validate:standard'] });

describe('VerifyView: valid HTML', () => {
  it.each([
    ['the first view', {}],
    ['a wrong code', { state: refused({ code: 'code_invalid', messageKey: 'verify.errors.code_invalid', messageParams: { left: 4 } }) }],
    ['a new code too soon', { state: refused({ code: 'send_rate_limited', messageKey: 'verify.errors.send_rate_limited', retryAfterSeconds: 12 }) }],
    ['a new code sent', { state: { status: 'notice', messageKey: 'verify.code_sent_again', messageParams: { email: 'p***o@example.com' } } }],
    ['the first code not sent', { prepared: { ...SENT, codeExpiresAt: null, resendWait: 0, sendFailure: { code: 'mail_unavailable' } } }],
    ['Arabic', { locale: 'ar' }],
  ] as [string, StepViewInput][])('%s', async (_, input) => {
    const report = await validator.validateString(render(input));
    expect(report.results.flatMap((result) => result.messages.map((m) => `${m.ruleId}: ${m.message} — ${m.selector ?? ''}`))).toEqual([]);
  });
});
