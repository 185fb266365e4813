import { z } from 'zod';

export interface MailSettings {
  smtpUrl: string;
  from: string;
}

// `Name <address>` or a bare address; no line breaks (a header).
const FROM = /^(?:[^<>\r\n]{1,100} )?<?[^\s<>@]+@[^\s<>@]+>?$/;

const mailEnvSchema = z.object({
  SMTP_URL: z
    .string({ error: 'SMTP_URL is not set' })
    .refine((value) => /^smtps?:\/\//i.test(value) && URL.canParse(value), 'SMTP_URL must be an smtp:// or smtps:// URL'),
  MAIL_FROM: z.string({ error: 'MAIL_FROM is not set' }).refine((value) => FROM.test(value.trim()), 'MAIL_FROM must be an address, or Name <address>'),
});

/**
 * SMTP_URL and MAIL_FROM, which the verify step needs to send its codes: the settings, or one sentence per problem
 * (never echoing SMTP_URL, which can hold a password).
 */
export function readMailSettings(env: Record<string, string | undefined>): { settings: MailSettings } | { problems: string[] } {
  const parsed = mailEnvSchema.safeParse({ SMTP_URL: env.SMTP_URL || undefined, MAIL_FROM: env.MAIL_FROM || undefined });
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => issue.message) };
  return { settings: { smtpUrl: parsed.data.SMTP_URL, from: parsed.data.MAIL_FROM.trim() } };
}
