import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailPortFor, resolveOptions } from './config';
import { startLocalTenant, type LocalTenant } from './main';

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
});
afterAll(() => tenant.close());
beforeEach(() => fetch(`${tenant.url}/__reset`, { method: 'POST' }));

// As Detour sends (lib/steps/verify/mailer.ts): nodemailer with SMTP_URL = the tenant's mailUrl.
const transport = (url: string) => nodemailer.createTransport({ url, connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 2000 });
const send = (fields: { to: string; subject?: string; text?: string }) =>
  transport(tenant.mailUrl).sendMail({ from: 'Example <no-reply@detour.localhost>', subject: 'Your code', text: 'Your code:\n\n123456\n', ...fields });

interface MailboxJson {
  smtp_url: string;
  messages: { id: number; to: string[]; from: string; subject: string; text: string; receivedAt: string }[];
}
const mailboxJson = async () => (await (await fetch(`${tenant.url}/mailbox.json`)).json()) as MailboxJson;
const failNext = (body: unknown) =>
  fetch(`${tenant.url}/__mail/fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the tenant starts its mail catcher', () => {
  it('on loopback, exposed as mailUrl, mailboxUrl and mail', () => {
    expect(tenant.mailUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    expect(tenant.mailUrl).toBe(`smtp://127.0.0.1:${tenant.mail.port}`);
    expect(tenant.mailboxUrl).toBe(`${tenant.url}/mailbox`);
  });

  it.each([
    [4010, 4025],
    [4111, 4126],
    [0, 0],
  ])('tenant port %i puts it on %i by default', (port, mailPort) => {
    expect(mailPortFor(port)).toBe(mailPort);
    expect(resolveOptions({ port }).mailPort).toBe(mailPort);
  });

  it('refuses a mail port that is not one', () => {
    expect(() => resolveOptions({ mailPort: 70000 })).toThrow('LOCAL_TENANT_MAIL_PORT');
  });

  it('stops it on close()', async () => {
    const other = await startLocalTenant({ port: 0 });
    await other.close();
    await expect(transport(other.mailUrl).sendMail({ from: 'a@example.com', to: 'b@example.com', text: 'x' })).rejects.toBeInstanceOf(Error);
  });
});

describe('GET /mailbox.json', () => {
  it('lists what was sent, newest first', async () => {
    await send({ to: 'pablo@example.com', subject: 'first' });
    await send({ to: 'alice@example.com', subject: 'second' });
    const body = await mailboxJson();
    expect(body.smtp_url).toBe(tenant.mailUrl);
    expect(body.messages.map((m) => m.subject)).toEqual(['second', 'first']);
    expect(body.messages[1]).toMatchObject({ to: ['pablo@example.com'], from: 'no-reply@detour.localhost', receivedAt: expect.any(String) });
    expect(body.messages[1]!.text).toMatch(/^\s*123456\s*$/m);
    expect(tenant.mail.latestTo('pablo@example.com')?.subject).toBe('first');
  });

  it('is emptied by POST /mailbox/clear (303 back to the page) and by /__reset', async () => {
    await send({ to: 'pablo@example.com' });
    const cleared = await fetch(`${tenant.url}/mailbox/clear`, { method: 'POST', redirect: 'manual' });
    expect(cleared.status).toBe(303);
    expect(cleared.headers.get('location')).toBe('/mailbox');
    expect((await mailboxJson()).messages).toEqual([]);
    await send({ to: 'pablo@example.com' });
    await fetch(`${tenant.url}/__reset`, { method: 'POST' });
    expect((await mailboxJson()).messages).toEqual([]);
  });
});

describe('GET /mailbox', () => {
  it('shows to, from, subject, time and the text body, escaped', async () => {
    await send({ to: 'pablo@example.com', subject: '<script>alert(1)</script> & "code"', text: 'Hello <img src=x onerror=alert(1)>\n\n654321\n' });
    const res = await fetch(tenant.mailboxUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('data-testid="mailbox"');
    expect(html).toContain('<span data-testid="mail-to">pablo@example.com</span>');
    expect(html).toContain('<span data-testid="mail-from">no-reply@detour.localhost</span>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;code&quot;');
    expect(html).toMatch(/<pre data-testid="mail-text">Hello &lt;img src=x onerror=alert\(1\)&gt;\s+654321\s*<\/pre>/);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
  });

  it('says so when there is no mail', async () => {
    expect(await (await fetch(tenant.mailboxUrl)).text()).toContain('data-testid="mailbox-empty"');
  });
});

describe('POST /__mail/fail', () => {
  it.each([
    ['refuse', { responseCode: 451 }],
    ['drop', {}],
  ] as const)('%s makes the next send fail, then mail goes through again', async (mode, error) => {
    const res = await failNext({ count: 1, mode });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ failing: { count: 1, mode } });
    await expect(send({ to: 'pablo@example.com' })).rejects.toMatchObject(error);
    await send({ to: 'pablo@example.com' });
    expect((await mailboxJson()).messages).toHaveLength(1);
  });

  it('is undone by /__reset', async () => {
    await failNext({ count: 3, mode: 'refuse' });
    await fetch(`${tenant.url}/__reset`, { method: 'POST' });
    await send({ to: 'pablo@example.com' });
    expect((await mailboxJson()).messages).toHaveLength(1);
  });

  it.each([
    ['no body', undefined],
    ['an unknown mode', { count: 1, mode: 'bounce' }],
    ['a negative count', { count: -1, mode: 'refuse' }],
    ['a misspelt field', { count: 1, mode: 'refuse', times: 2 }],
  ])('refuses %s with 400', async (_, body) => {
    const res = await failNext(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_mail_failure' });
  });
});

describe('the sample application', () => {
  it('links the mailbox from its home page', async () => {
    expect(await (await fetch(`${tenant.appUrl}/`)).text()).toContain(`href="${tenant.url}/mailbox" data-testid="mailbox-link"`);
  });
});
