// Small HTTP helpers: body parsing, answers, rate-limit headers, the shared tenant state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedOptions, TriggerVersion } from './config';
import type { Authorizations } from './authorize';
import type { CallLog, Faults } from './faults';
import type { MailCatcher } from './mail-catcher';
import type { ActionCache } from './runtime';
import type { UserStore } from './users';

/** What the application asked for at /authorize: the login carries it to the application's callback. */
export interface AuthorizeRequest {
  clientId: string;
  /** One of the application's allowed callback URLs. */
  redirectUri: string;
  /** The application's own state, handed back to its callback untouched (absent when it sent none). */
  appState?: string;
  scope: string;
  nonce?: string;
  /** Space-separated, as in /authorize (`none`, `login`, …). */
  prompt?: string;
}

export interface Transaction extends AuthorizeRequest {
  state: string;
  userId: string;
  language?: string;
  /** event.transaction.protocol (default oidc-basic-profile). */
  protocol?: string;
  /** Custom id token claims the Action set so far (api.idToken.setCustomClaim), for the id token at the end. */
  idTokenClaims?: Record<string, unknown>;
  createdAt: number;
  used: boolean;
}

export interface Tenant {
  options: ResolvedOptions;
  /** `host:port` as Auth0 writes a tenant domain (encodeToken's `iss`). */
  hostname: string;
  /** `http://host:port`. */
  origin: string;
  users: UserStore;
  faults: Faults;
  calls: CallLog;
  transactions: Map<string, Transaction>;
  /** Issued Management API access tokens. */
  accessTokens: Map<string, AccessToken>;
  /** Action secrets / Rule settings changed at run time by POST /__secrets (null removes one); /__reset clears. */
  secretOverrides: Record<string, string | null>;
  /** The Action's api.cache, kept across logins as Auth0 keeps it (best effort); /__reset clears. */
  actionCache: ActionCache;
  /** The sample application's origin: the default application's callback and login-initiation URL live there. */
  appOrigin: string;
  /** /authorize logins waiting on the login page, logins ready to resume, issued authorization codes; /__reset clears. */
  authorizations: Authorizations;
  /** Post-login trigger version the Action runs on: options.triggerVersion, or what POST /__reset chose. */
  triggerVersion: TriggerVersion;
  /** The SMTP catcher Detour's mail goes to (GET /mailbox shows it); /__reset empties it. */
  mail: MailCatcher;
  /** `smtp://127.0.0.1:<port>`: Detour's SMTP_URL. */
  mailUrl: string;
}

export interface AccessToken {
  /** ms since the epoch. */
  expiresAt: number;
  clientId: string;
  scope: string;
}

export interface Ctx {
  tenant: Tenant;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

export type ParsedBody = { kind: 'none' | 'json' | 'form'; value: unknown } | { kind: 'invalid_json'; value: undefined };
const MAX_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return { kind: 'none', value: undefined };
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { kind: 'form', value: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid_json', value: undefined };
  }
}

/** The body as a flat record (for forms and JSON objects); anything else gives {}. */
export function bodyRecord(body: ParsedBody): Record<string, unknown> {
  const v = body.value;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  res.end();
}

export const RATE_LIMIT = 50;
let windowSecond = 0;
let windowCount = 0;

/** x-ratelimit-* on every answer (a 1-second window; only injected faults actually refuse). */
export function setRateLimitHeaders(res: ServerResponse): void {
  const second = Math.floor(Date.now() / 1000);
  if (second !== windowSecond) {
    windowSecond = second;
    windowCount = 0;
  }
  windowCount += 1;
  res.setHeader('x-ratelimit-limit', String(RATE_LIMIT));
  res.setHeader('x-ratelimit-remaining', String(Math.max(0, RATE_LIMIT - windowCount)));
  res.setHeader('x-ratelimit-reset', String(second + 1));
}

export function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
