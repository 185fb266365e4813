import 'server-only';
import { createHash } from 'node:crypto';
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

/**
 * Outcome events an operator can alert on (DESIGN rule 4 keeps tokens, states and emails out of them):
 * `flow_started`, `flow_resumed`, `step_completed`, `step_refused`, `flow_completed`, `flow_refused`.
 */
export type FlowEvent = 'flow_started' | 'flow_resumed' | 'step_completed' | 'step_refused' | 'flow_completed' | 'flow_refused' | 'flow_ended';

/** A stable id for one flow in the logs, derived from (iss, jti) so neither appears itself. */
export function flowLogId(flow: { iss: string; jti: string }): string {
  return createHash('sha256').update(`${flow.iss}\u0000${flow.jti}`).digest('hex').slice(0, 16);
}
