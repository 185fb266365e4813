// The mailbox: what Detour mailed to the tenant's SMTP catcher, as a page (people in dev) and as JSON (tests).
import { z } from 'zod';
import { isLoopback, sendHtml, sendJson, type Ctx, type ParsedBody } from './http';
import { errorPage, mailboxPage } from './pages';

export const MAILBOX_PATHS = ['/mailbox', '/mailbox.json', '/mailbox/clear'] as const;

/** POST /__mail/fail: the next `count` deliveries fail (0 cancels); strict, so a misspelt field is refused. */
export const mailFailureSchema = z.object({ count: z.number().int().min(0).max(100), mode: z.enum(['refuse', 'drop']) }).strict();

/**
 * GET /mailbox, GET /mailbox.json, POST /mailbox/clear. Loopback callers only, as the /__* routes: the mail holds
 * one-time sign-in codes.
 */
export function handleMailbox(ctx: Ctx): void {
  const { tenant, req, res, url } = ctx;
  const method = req.method ?? 'GET';
  if (!isLoopback(req)) return sendHtml(res, 403, errorPage('forbidden', 'The mailbox is only served to loopback callers.'));
  const newestFirst = () => [...tenant.mail.messages()].reverse();
  if (url.pathname === '/mailbox' && method === 'GET') return sendHtml(res, 200, mailboxPage(newestFirst(), tenant.mailUrl));
  if (url.pathname === '/mailbox.json' && method === 'GET') return sendJson(res, 200, { smtp_url: tenant.mailUrl, messages: newestFirst() });
  if (url.pathname === '/mailbox/clear' && method === 'POST') {
    tenant.mail.clear();
    // 303: the page's form lands back on the (now empty) mailbox.
    res.writeHead(303, { location: '/mailbox', 'cache-control': 'no-store' });
    return void res.end();
  }
  sendHtml(res, 405, errorPage('method_not_allowed', `${method} ${url.pathname} is not served`));
}

/** POST /__mail/fail (JSON `{count, mode}`): the catcher refuses (451) or cuts the next `count` deliveries. */
export function handleMailFailure(ctx: Ctx, parsed: ParsedBody): void {
  const failure = mailFailureSchema.safeParse(parsed.value);
  if (!failure.success) return sendJson(ctx.res, 400, { error: 'invalid_mail_failure', message: 'JSON body {"count": 0…100, "mode": "refuse" | "drop"}' });
  ctx.tenant.mail.failNext(failure.data.count, failure.data.mode);
  sendJson(ctx.res, 200, { failing: failure.data });
}
