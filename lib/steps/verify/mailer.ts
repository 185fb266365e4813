import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { DetourError } from '../../errors';
import { logger } from '../../log';
import type { CodeMail } from './code-mail';
import type { MailSettings } from './mail-settings';

const transports = new Map<string, Transporter>();

/**
 * One SMTP transport per SMTP_URL (nodemailer: STARTTLS when the server offers it, `smtps://` for TLS
 * from the start). Short timeouts: a person is waiting on the page.
 */
function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends one code mail. Any failure (no server, refused, timed out) is `mail_unavailable`: the page says the code
 * could not be sent and offers to try again. The log names the SMTP error's code, never the address or the mail.
 */
export async function sendMail(settings: MailSettings, to: string, mail: CodeMail): Promise<void> {
  try {
    await transportFor(settings.smtpUrl).sendMail({ from: settings.from, to, subject: mail.subject, text: mail.text, html: mail.html });
  } catch (cause) {
    const error = cause as { code?: unknown; responseCode?: unknown };
    logger.warn({ event: 'mail_failed', smtp_code: typeof error.code === 'string' ? error.code : undefined, response_code: typeof error.responseCode === 'number' ? error.responseCode : undefined }, 'mail_failed');
    throw new DetourError('mail_unavailable', 503, 'We could not send the code just now. Please try again.', { reason: 'mail_unavailable', cause });
  }
}
