import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '@/e2e/local-tenant/mail-catcher';
import { DetourError } from '../../errors';
import { readMailSettings, type MailSettings } from './mail-settings';
import { sendMail } from './mailer';

// Real SMTP: a catcher on a free loopback port, and a port nothing listens on.
let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => catcher.close());
beforeEach(() => catcher.clear());

function settingsFor(smtpUrl: string): MailSettings {
  const read = readMailSettings({ SMTP_URL: smtpUrl, MAIL_FROM: 'Example <no-reply@detour.localhost>' });
  if (!('settings' in read)) throw new Error(`bad test settings: ${read.problems.join('; ')}`);
  return read.settings;
}

const MAIL = { subject: 'Your Example sign-in code', text: 'Your code:\n\n042917\n', html: '<!doctype html><html><body><p>042917</p></body></html>' };

describe('sendMail', () => {
  it('delivers the subject, text and HTML from MAIL_FROM to the address', async () => {
    await sendMail(settingsFor(`smtp://127.0.0.1:${catcher.port}`), 'pablo@example.com', MAIL);
    expect(catcher.messages()).toHaveLength(1);
    const mail = catcher.latestTo('pablo@example.com');
    expect(mail).toMatchObject({ from: 'no-reply@detour.localhost', to: ['pablo@example.com'], subject: MAIL.subject });
    expect(mail?.headers.from).toContain('Example');
    expect(mail?.text).toContain('\n042917\n');
    expect(mail?.html).toContain('<p>042917</p>');
  });

  it.each([
    ['nothing listens on the port', 'smtp://127.0.0.1:9', () => undefined],
    ['the server refuses the message (451)', 'live', () => catcher.failNext(1, 'refuse')],
    ['the server cuts the connection', 'live', () => catcher.failNext(1, 'drop')],
  ])('%s → mail_unavailable (503), within a few seconds', async (_, url, arrange) => {
    arrange();
    const started = Date.now();
    const error = await sendMail(settingsFor(url === 'live' ? `smtp://127.0.0.1:${catcher.port}` : url), 'pablo@example.com', MAIL).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(error).toBeInstanceOf(DetourError);
    expect(error).toMatchObject({ code: 'mail_unavailable', status: 503, details: { reason: 'mail_unavailable' } });
    expect(catcher.messages()).toHaveLength(0);
  });

  it('works again once the server accepts mail again', async () => {
    const settings = settingsFor(`smtp://127.0.0.1:${catcher.port}`);
    catcher.failNext(1, 'refuse');
    await expect(sendMail(settings, 'pablo@example.com', MAIL)).rejects.toMatchObject({ code: 'mail_unavailable' });
    await sendMail(settings, 'pablo@example.com', MAIL);
    expect(catcher.messages().map((mail) => mail.subject)).toEqual([MAIL.subject]);
  });
});
