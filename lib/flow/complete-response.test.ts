import { beforeAll, describe, expect, it } from 'vitest';
import { loadAction, runPostLogin, type ExecutionResult } from '../../e2e/local-tenant/runtime';
import type { PublicUser } from '../../e2e/local-tenant/users';
import type { DetourConfig } from '../config';
import type { RequestMeta } from '../http/respond';
import { stubDetourEnv, TEST_APP_BASE_URL } from '../testing/detour-env';
import { testFlow } from '../testing/flow-fixture';
import { FLOW_COOKIE_NAME, sealFlow } from './flow-cookie';
import type { FlowState } from './flow-state';

// The hand-back and the shipped Action, end to end on a shifted clock: Detour's pages, then the Action's
// onContinuePostLogin in the local tenant's emulation of Auth0 (validateToken with Auth0's checks).
const SECRET = 'current-session-token-secret-0123456789';
const TENANT = 'tenant.eu.auth0.com';
const MINUTE = 60_000;
let config: DetourConfig;
let completeResponse: typeof import('./complete-response').completeResponse;
let completeSubmitResponse: typeof import('./complete-response').completeSubmitResponse;

beforeAll(async () => {
  stubDetourEnv({ SESSION_TOKEN_SECRET: SECRET, AUTH0_DOMAIN: TENANT });
  config = (await import('../config')).getConfig();
  ({ completeResponse, completeSubmitResponse } = await import('./complete-response'));
});

const meta: RequestMeta = { requestId: '5f0c6b8e-0000-4000-8000-000000000002', nonce: 'bm9uY2U=', clientIp: null, userAgent: null, locale: 'en' };
const doneFlow = (): FlowState =>
  testFlow({ steps: ['terms'], completed: ['terms'], results: { terms: { version: '2026-11-01', accepted_at: '2026-12-03T10:00:00.000Z' } } });

async function request(method: 'GET' | 'POST', flow: FlowState): Promise<Request> {
  const cookie = `${FLOW_COOKIE_NAME}=${await sealFlow(flow, config.flowCookieKey)}`;
  return new Request(`${TEST_APP_BASE_URL}/complete`, { method, headers: { cookie, origin: TEST_APP_BASE_URL } });
}

interface Forms {
  /** The form that goes to Auth0: its action and hidden fields. */
  handBack: { action: string; fields: Record<string, string> };
  /** Where the visible button posts, when it is not the hand-back form itself. */
  reissueAction: string | null;
}

function readForms(html: string): Forms {
  const unescape = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  const handBack = /<form id="continue" action="([^"]*)" method="post">([\s\S]*?)<\/form>/.exec(html);
  if (!handBack) throw new Error('no hand-back form');
  const fields = Object.fromEntries([...(handBack[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], unescape(m[2] ?? '')]));
  const reissue = /<form action="([^"]*)" method="post">/.exec(html);
  return { handBack: { action: unescape(handBack[1] ?? ''), fields }, reissueAction: reissue?.[1] ?? null };
}

function alice(appMetadata: Record<string, unknown>): PublicUser {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    user_id: 'auth0|alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice',
    nickname: 'alice',
    app_metadata: appMetadata,
    user_metadata: {},
    identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: 'alice', isSocial: false }],
    created_at: at,
    updated_at: at,
  };
}

/** Auth0 resuming the login: the Action's onContinuePostLogin with the form's body, at `at`. */
function continueAt(at: number, form: Forms['handBack'], appMetadata: Record<string, unknown>): Promise<ExecutionResult> {
  const state = new URL(form.action).searchParams.get('state') ?? '';
  return runPostLogin(
    loadAction(),
    {
      user: alice(appMetadata),
      secrets: { DETOUR_URL: TEST_APP_BASE_URL, SESSION_TOKEN_SECRET: SECRET, TERMS_VERSION: '2026-11-01' },
      client: { client_id: 'app' },
      connection: { name: 'Username-Password-Authentication', strategy: 'auth0' },
      request: { ip: '203.0.113.7', hostname: TENANT, method: 'POST', query: { state }, body: form.fields },
      transaction: { protocol: 'oidc-basic-profile', locale: 'en' },
      continueState: state,
      now: () => at,
    },
    'continue',
  );
}

describe('the hand-back page', () => {
  it('GET /complete carries a token for the script, and a button that asks Detour for a fresh one', async () => {
    const page = readForms(await (await completeResponse(await request('GET', doneFlow()), meta)).text());
    expect(page.handBack.action).toBe(`https://${TENANT}/continue?state=${doneFlow().state}`);
    expect(Object.keys(page.handBack.fields)).toEqual(['state', 'session_token']);
    expect(page.reissueAction).toBe('/complete');
  });

  it('names the page in its title, as every step page does', async () => {
    const html = await (await completeResponse(await request('GET', doneFlow()), meta)).text();
    expect(html).toMatch(/<title>Almost done · [^<]+<\/title>/);
  });

  it('POST /complete answers a hand-back whose own button carries the token minted now', async () => {
    const response = await completeSubmitResponse(await request('POST', doneFlow()), meta);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const page = readForms(await response.text());
    expect(page.reissueAction).toBeNull();
    expect(page.handBack.fields.session_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('POST /complete before the last step sends the browser to that step, minting nothing', async () => {
    const response = await completeSubmitResponse(await request('POST', testFlow()), meta);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${TEST_APP_BASE_URL}/steps/terms`);
  });
});

describe("a step's hand-back hook (the password step's authorize_again)", () => {
  const changed = (again: string): FlowState =>
    testFlow({ steps: ['password'], completed: ['password'], claims: { connection: 'Username-Password-Authentication', authorize_again: again }, results: { password: { changed_at: '2026-12-04T10:00:00.000Z' } } });

  it.each(['GET', 'POST'] as const)('%s /complete answers a page whose link (followed by its script) goes to the tenant, with no return token', async (method) => {
    const target = `https://${TENANT}/authorize?client_id=abc&prompt=login`;
    const response = await (method === 'GET' ? completeResponse : completeSubmitResponse)(await request(method, changed(target)), meta);
    // A page, not a 303: a redirect after the step's form post would meet that page's `form-action 'self'`.
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<a id="continue" class="button" href="${target.replace('&', '&amp;')}">`);
    expect(html).toContain(`<script nonce="${meta.nonce}">location.replace(document.getElementById(&#x27;continue&#x27;).href);</script>`.replaceAll('&#x27;', "'"));
    expect(html).not.toContain('session_token');
    expect(html).not.toContain('<form id="continue"');
  });

  it('an authorize_again outside the tenant origins is not followed: the usual hand-back to /continue', async () => {
    const html = await (await completeResponse(await request('GET', changed('https://evil.example.com/authorize')), meta)).text();
    expect(html).toContain('<form id="continue"');
    expect(html).not.toContain('evil.example.com');
  });
});

describe('slow hands: "Continue" pressed 14 minutes after /complete loaded', () => {
  const pending = { detour_pending_jti: doneFlow().jti, detour_pending_steps: ['terms'] };

  it('finishes the login with the token minted at the click; the token of the page load has expired', async () => {
    const loadedAt = Date.now();
    const clickedAt = loadedAt + 14 * MINUTE;
    const loaded = readForms(await (await completeResponse(await request('GET', doneFlow()), meta, { now: new Date(loadedAt) })).text());
    const clicked = readForms(await (await completeSubmitResponse(await request('POST', doneFlow()), meta, { now: new Date(clickedAt) })).text());

    const arrival = clickedAt + 2_000; // the browser's POST reaches Auth0 two seconds after the click
    const withStaleToken = await continueAt(arrival, loaded.handBack, pending);
    expect(withStaleToken).toMatchObject({ outcome: 'denied', denyReason: expect.stringContaining('Token has expired') });
    const withFreshToken = await continueAt(arrival, clicked.handBack, pending);
    expect(withFreshToken.outcome).toBe('completed');
    expect(withFreshToken.appMetadata).toMatchObject({ detour_pending_jti: null });
  });

  it('a return token replayed after it was used is refused by the Action', async () => {
    const now = Date.now();
    const form = readForms(await (await completeSubmitResponse(await request('POST', doneFlow()), meta, { now: new Date(now) })).text()).handBack;
    const first = await continueAt(now + 1_000, form, pending);
    expect(first.outcome).toBe('completed');
    // Auth0 saved the Action's metadata writes: the pending jti is gone, so the same answer cannot be used twice.
    const replay = await continueAt(now + 5_000, form, { ...pending, ...first.appMetadata });
    expect(replay).toMatchObject({ outcome: 'denied', denyReason: expect.stringContaining('jti mismatch') });
  });

  it('every token the flow mints carries the same jti and state, each living 60 s from its own minting', async () => {
    const t0 = Date.now();
    const claims = async (at: number) => {
      const html = await (await completeSubmitResponse(await request('POST', doneFlow()), meta, { now: new Date(at) })).text();
      const token = readForms(html).handBack.fields.session_token ?? '';
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    };
    const [early, late] = await Promise.all([claims(t0), claims(t0 + 14 * MINUTE)]);
    expect(late.jti).toBe(early.jti);
    expect(late.state).toBe(early.state);
    expect(Number(late.exp) - Number(late.iat)).toBe(60);
    expect(Number(late.iat) - Number(early.iat)).toBe(14 * 60);
  });
});
