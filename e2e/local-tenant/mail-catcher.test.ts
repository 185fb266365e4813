import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from './mail-catcher';

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(async () => {
  await catcher.close();
});
beforeEach(() => catcher.clear());

// As Detour will send: nodemailer with SMTP_URL, plain smtp:// on loopback.
const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: catcher.port, secure: false, connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 2000 });
const send = (to: string, subject = 'Your code', text = 'Your code is\n\n012345\n') =>
  transport().sendMail({ from: 'Example <no-reply@example.com>', to, subject, text, html: `<p>${text}</p>`, headers: { 'Content-Language': 'en' } });

describe('the local tenant mail catcher', () => {
  it('keeps what was sent: envelope, subject, text and HTML parts, headers', async () => {
    await send('alice@example.com');
    const [mail] = catcher.messages();
    expect(mail).toMatchObject({ id: expect.any(Number), from: 'no-reply@example.com', to: ['alice@example.com'], subject: 'Your code' });
    expect(mail!.text).toContain('012345');
    expect(mail!.html).toContain('<p>');
    expect(mail!.headers['content-language']).toBe('en');
  });

  it('finds the newest message to an address, whatever its case', async () => {
    await send('bob@example.com', 'first');
    await send('Bob@Example.com', 'second');
    await send('carol@example.com', 'other');
    expect(catcher.latestTo('bob@example.com')?.subject).toBe('second');
    expect(catcher.latestTo('nobody@example.com')).toBeUndefined();
  });

  it('refuses on request with a temporary failure, then accepts again; nothing refused is kept', async () => {
    catcher.failNext(1, 'refuse');
    await expect(send('dave@example.com')).rejects.toMatchObject({ responseCode: 451 });
    expect(catcher.messages()).toEqual([]);
    await send('dave@example.com');
    expect(catcher.messages()).toHaveLength(1);
  });

  it('can drop the connection mid-delivery, as a broken server would', async () => {
    catcher.failNext(1, 'drop');
    await expect(send('erin@example.com')).rejects.toBeInstanceOf(Error);
    expect(catcher.messages()).toEqual([]);
  });
});
