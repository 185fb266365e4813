import 'server-only';
import pino from 'pino';

/**
 * One structured logger. Tokens and passwords never reach it: URLs are logged through `scrubUrl`, and the
 * redact list catches the field names that could carry them if someone logs an object by mistake.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'detour' },
  redact: {
    paths: ['session_token', 'token', 'password', 'confirm_password', '*.session_token', '*.token', '*.password', 'headers.cookie', 'headers.authorization'],
    censor: '[redacted]',
  },
});

/** Drops the query string (DESIGN rule 4: query strings are scrubbed from every log line). */
export function scrubUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
