import { describe, expect, it } from 'vitest';
import completeMessages from '../../messages/en/complete.json';
import { buildContinueFormHtml } from './build-continue-form';

const EVIL_STATE = `abc"><script>alert(1)</script>`;

describe('buildContinueFormHtml', () => {
  const { body, script } = buildContinueFormHtml({
    action: 'https://tenant.eu.auth0.com/continue?state=a&b="x"',
    fields: { state: EVIL_STATE, session_token: 'eyJ.payload.sig' },
  }, completeMessages);

  it('posts to the escaped action', () => {
    expect(body).toContain('<form id="continue" method="post" action="https://tenant.eu.auth0.com/continue?state=a&amp;b=&quot;x&quot;">');
  });

  it('carries every field as an escaped hidden input', () => {
    expect(body).toContain('<input type="hidden" name="state" value="abc&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
    expect(body).toContain('<input type="hidden" name="session_token" value="eyJ.payload.sig">');
  });

  it('never lets a field value open a tag', () => {
    expect(body).not.toContain('<script');
    expect(body).not.toContain(EVIL_STATE);
    expect(body.match(/<input /g)).toHaveLength(2);
  });

  it('escapes field names too', () => {
    const html = buildContinueFormHtml({ action: '/continue', fields: { 'a"b': 'v' } }, completeMessages).body;
    expect(html).toContain('name="a&quot;b"');
  });

  it('without reissueAction, the visible button submits the hand-back form itself', () => {
    expect(body.match(/<form /g)).toHaveLength(1);
    expect(body.indexOf('<button')).toBeLessThan(body.indexOf('</form>'));
  });

  it('with reissueAction, the visible button posts to it in a form of its own, carrying no token', () => {
    const html = buildContinueFormHtml(
      { action: 'https://tenant.eu.auth0.com/continue?state=a', fields: { state: 'a', session_token: 'eyJ.p.s' }, reissueAction: '/complete' },
      completeMessages,
    ).body;
    const [handBack = '', reissue = ''] = html.split('</form>');
    expect(handBack).toContain('<form id="continue" method="post" action="https://tenant.eu.auth0.com/continue?state=a">');
    expect(handBack).not.toContain('<button');
    expect(reissue).toContain('<form method="post" action="/complete">');
    expect(reissue).toContain(`<button type="submit" class="button">${completeMessages.button}</button>`);
    expect(reissue).not.toContain('<input');
  });

  it('has a visible submit button and a noscript hint for browsers without JavaScript', () => {
    expect(body).toContain(`<button type="submit" class="button">${completeMessages.button}</button>`);
    expect(body).toContain(`<noscript><p>${completeMessages.noscript}</p></noscript>`);
    expect(body).toContain(`<h1>${completeMessages.title}</h1>`);
  });

  it('submits the form from its script', () => {
    expect(script).toBe(`document.getElementById('continue').submit();`);
  });

  it('escapes the text it is given', () => {
    const html = buildContinueFormHtml({ action: '/c', fields: {} }, { title: '<b>T</b>', body: 'B & B', button: 'Go "now"', noscript: "it's" }).body;
    expect(html).toContain('<h1>&lt;b&gt;T&lt;/b&gt;</h1>');
    expect(html).toContain('B &amp; B');
    expect(html).toContain('>Go &quot;now&quot;</button>');
    expect(html).toContain('it&#39;s');
  });
});
