import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { DetourConfig } from '../config';
import { DetourError } from '../errors';
import type { JtiStore } from '../store';
import { parseAllowListEntry } from '../tokens';
import { FLOW_TTL_SECONDS } from './flow-cookie';
import type { FlowState } from './flow-state';
import { openFlow, type OpenFlowDeps, type StartRequest } from './open-flow';

const NOW = new Date('2026-11-20T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const SECRET = new TextEncoder().encode('current-session-token-secret-0123456789');
const OTHER_SECRET = new TextEncoder().encode('some-other-secret-nobody-configured-0000');
const APP = 'https://detour.example.com';
const STATE = 'hKFo2SBsb2dpbi1zdGF0ZQ';
const ISS = '127.0.0.1:4010';
const RULES_ISSUER = 'urn:detour:rule';

const tenant = parseAllowListEntry('http://127.0.0.1:4010');
const custom = parseAllowListEntry('https://login.example.com');

function makeConfig(overrides: Partial<DetourConfig> = {}): DetourConfig {
  return {
    appBaseUrl: APP,
    protocol: 'actions',
    tenant,
    customDomain: custom,
    issuerAllowList: [tenant, custom],
    clientId: 'client-id',
    clientSecret: 'client-secret',
    sessionTokenSecrets: [SECRET],
    sessionTokenAudience: APP,
    rulesIssuer: null,
    sessionTokenMaxAge: 900,
    flowCookieKey: new Uint8Array(32),
    returnTokenAudience: null,
    databaseUrl: 'file:./data/test.sqlite',
    redisUrl: null,
    stepsFilePath: './detour.config.json',
    loginRestartUrl: null,
    metricsToken: null,
    steps: {
      branding: { product_name: 'Example', primary_color: '#4f46e5' },
      locales: { default: 'en', supported: ['en', 'de', 'fr'] },
      terms: {
        persist: 'management_api',
        versions: [{ version: '2026-11-01', effective: '2026-11-01', reaccept: true, documents: { en: 'content/terms/2026-11-01.en.md' } }],
      },
    },
    ...overrides,
  };
}

function sign(claims: Record<string, unknown> = {}, secret = SECRET): Promise<string> {
  return new SignJWT({
    iss: ISS,
    aud: APP,
    sub: 'auth0|64f1c2',
    iat: nowSeconds - 10,
    exp: nowSeconds + 290,
    jti: 'jti-0001-abcdef',
    steps: ['terms'],
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(secret);
}

type Claim = Parameters<JtiStore['claimJti']>[0];

/** Answers claimJti from a script (true, false, or an error to throw) and records every call. */
function fakeJtiStore(answers: (boolean | Error)[] = [true]) {
  const claims: Claim[] = [];
  const store: JtiStore = {
    async claimJti(claim) {
      claims.push(claim);
      const answer = answers.shift() ?? false;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async ping() {},
    async close() {},
  };
  return { store, claims };
}

function deps(jtiStore: JtiStore, overrides: Partial<OpenFlowDeps> = {}): OpenFlowDeps & { sealed: FlowState[] } {
  const sealed: FlowState[] = [];
  return {
    config: makeConfig(),
    jtiStore,
    seal: async (flow) => {
      sealed.push(flow);
      return `sealed:${flow.jti}:${flow.completed.join(',')}`;
    },
    now: NOW,
    sealed,
    ...overrides,
  };
}

function request(token: string, overrides: Partial<StartRequest> & { tokenParameter?: string } = {}): StartRequest {
  const { tokenParameter = 'session_token', ...rest } = overrides;
  return {
    params: new URLSearchParams({ state: STATE, [tokenParameter]: token }),
    acceptLanguage: null,
    existingFlow: null,
    ...rest,
  };
}

describe('openFlow', () => {
  it('starts a flow from a valid token and claims its jti once', async () => {
    const { store, claims } = fakeJtiStore();
    const d = deps(store);
    const token = await sign({ email: 'alice@example.com', name: 'Alice', connection: 'Username-Password-Authentication', profile: { given_name: 'Alice' } });

    const result = await openFlow(request(token), d);

    expect(result.kind).toBe('started');
    expect(result.flow).toEqual({
      v: 1,
      protocol: 'actions',
      sub: 'auth0|64f1c2',
      iss: ISS,
      jti: 'jti-0001-abcdef',
      state: STATE,
      steps: ['terms'],
      completed: [],
      results: {},
      locale: 'en',
      email: 'alice@example.com',
      name: 'Alice',
      claims: { connection: 'Username-Password-Authentication', profile: { given_name: 'Alice' } },
      started_at: nowSeconds,
      expires_at: nowSeconds + FLOW_TTL_SECONDS,
    });
    expect(result.sealed).toBe('sealed:jti-0001-abcdef:');
    expect(d.sealed).toEqual([result.flow]);
    expect(claims).toEqual([{ iss: '127.0.0.1:4010', jti: 'jti-0001-abcdef', expiresAt: new Date((nowSeconds + 290) * 1000) }]);
  });

  it('leaves optional claims out of the flow when the token has none', async () => {
    const result = await openFlow(request(await sign()), deps(fakeJtiStore().store));
    for (const key of ['email', 'name']) expect(result.flow).not.toHaveProperty(key);
    expect(result.flow.claims).toEqual({});
  });

  it.each([
    ['ui_locales first', { ui_locales: 'fr-CA de' }, 'de-DE,de;q=0.9', 'fr'],
    ['ui_locales skipping an unsupported tag', { ui_locales: 'ja de' }, 'fr', 'de'],
    ['Accept-Language without ui_locales', {}, 'es;q=1, de-AT;q=0.8, fr;q=0.5', 'de'],
    ['Accept-Language when no ui_locales tag is supported', { ui_locales: 'ja' }, 'fr-FR', 'fr'],
    ['the default when nothing matches', { ui_locales: 'ja' }, 'es, pt', 'en'],
    ['the default without any hint', {}, null, 'en'],
  ])('picks the locale from %s', async (_, claims, acceptLanguage, expected) => {
    const result = await openFlow(request(await sign(claims), { acceptLanguage }), deps(fakeJtiStore().store));
    expect(result.flow.locale).toBe(expected);
  });

  it.each([
    ['a bare host', '127.0.0.1:4010', '127.0.0.1:4010'],
    ['an origin with a trailing slash', 'http://127.0.0.1:4010/', '127.0.0.1:4010'],
    ['the custom domain in capitals', 'https://LOGIN.example.com/', 'login.example.com'],
    ['the custom domain with its default port', 'https://login.example.com:443', 'login.example.com'],
  ])('claims the jti under the normalised issuer host for %s', async (_, iss, key) => {
    const { store, claims } = fakeJtiStore();
    const result = await openFlow(request(await sign({ iss })), deps(store));
    expect(result.flow.iss).toBe(iss); // the flow keeps iss exactly as received (the return token's default audience)
    expect(claims.map((c) => c.iss)).toEqual([key]);
  });

  it('reads `token` and claims under the raw issuer under the rules protocol', async () => {
    const { store, claims } = fakeJtiStore();
    const d = deps(store, { config: makeConfig({ protocol: 'rules', rulesIssuer: RULES_ISSUER }) });
    const token = await sign({ iss: RULES_ISSUER });

    await expect(openFlow(request(token), d)).rejects.toMatchObject({ code: 'invalid_request' });
    const result = await openFlow(request(token, { tokenParameter: 'token' }), d);

    expect(result.flow).toMatchObject({ protocol: 'rules', iss: RULES_ISSUER });
    expect(claims.map((c) => c.iss)).toEqual([RULES_ISSUER]);
  });

  it.each([
    ['a wrong secret', () => sign({}, OTHER_SECRET), 'token_signature'],
    ['an issuer off the allow-list', () => sign({ iss: 'evil.example.com' }), 'issuer_not_allowed'],
    ['an expired token', () => sign({ iat: nowSeconds - 400, exp: nowSeconds - 100 }), 'token_expired'],
    ['another audience', () => sign({ aud: 'https://elsewhere.example.com' }), 'audience_mismatch'],
    ['an unknown step', () => sign({ steps: ['terms', 'dance'] }), 'unknown_step'],
    ['a state claim unlike the query', () => sign({ state: 'other-state' }), 'state_mismatch'],
  ])('refuses %s with %s, sealing and claiming nothing', async (_, token, code) => {
    const { store, claims } = fakeJtiStore();
    const d = deps(store);
    await expect(openFlow(request(await token()), d)).rejects.toMatchObject({ code });
    expect(claims).toEqual([]);
    expect(d.sealed).toEqual([]);
  });

  it.each([
    ['no state', new URLSearchParams({ session_token: 'a.b.c' })],
    ['two states', new URLSearchParams([['state', 'a'], ['state', 'a'], ['session_token', 'a.b.c']])],
    ['no token', new URLSearchParams({ state: STATE })],
  ])('refuses a request with %s before anything else', async (_, params) => {
    const { store, claims } = fakeJtiStore();
    await expect(openFlow({ params, acceptLanguage: null, existingFlow: null }, deps(store))).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    expect(claims).toEqual([]);
  });

  it('burns nothing when the flow cannot be sealed', async () => {
    const { store, claims } = fakeJtiStore();
    const tooLarge = new DetourError('claim_invalid', 401, 'too large', { reason: 'flow_too_large' });
    const d = deps(store, { seal: async () => Promise.reject(tooLarge) });
    await expect(openFlow(request(await sign()), d)).rejects.toBe(tooLarge);
    expect(claims).toEqual([]);
  });

  it('refuses a second use of the same jti with token_replayed 409', async () => {
    const { store, claims } = fakeJtiStore([true, false]);
    const token = await sign();
    await openFlow(request(token), deps(store));
    const replay = openFlow(request(token), deps(store));
    await expect(replay).rejects.toBeInstanceOf(DetourError);
    await expect(replay).rejects.toMatchObject({ code: 'token_replayed', status: 409 });
    expect(claims).toHaveLength(2);
  });

  it('resumes the flow this browser already holds for the same token, without claiming again', async () => {
    const { store, claims } = fakeJtiStore([true]);
    const token = await sign();
    const first = await openFlow(request(token), deps(store));
    const progressed: FlowState = { ...first.flow, completed: ['terms'], results: { terms: { version: '2026-11-01' } } };

    const d = deps(store, { now: new Date(NOW.getTime() + 60_000) });
    const again = await openFlow(request(token, { existingFlow: progressed }), d);

    expect(again.kind).toBe('resumed');
    expect(again.flow).toBe(progressed);
    expect(again.sealed).toBe('sealed:jti-0001-abcdef:terms');
    expect(claims).toHaveLength(1);
  });

  it.each([
    ['another jti', { jti: 'jti-0002-abcdef' }],
    ['another user', { sub: 'auth0|someone-else' }],
    ['another state', { state: 'an-older-state' }],
    ['another spelling of the issuer', { iss: 'http://127.0.0.1:4010/' }],
  ])('does not resume a held flow for %s: it claims the new jti as usual', async (_, differences) => {
    const started = await openFlow(request(await sign()), deps(fakeJtiStore().store));
    const held: FlowState = { ...started.flow, completed: ['terms'], ...differences };
    const { store, claims } = fakeJtiStore([true]);

    const result = await openFlow(request(await sign(), { existingFlow: held }), deps(store));

    expect(result.kind).toBe('started');
    expect(result.flow.completed).toEqual([]);
    expect(claims).toEqual([expect.objectContaining({ jti: 'jti-0001-abcdef' })]);
  });

  it('refuses the replay of a token whose held flow belongs to another jti', async () => {
    const held: FlowState = { ...(await openFlow(request(await sign()), deps(fakeJtiStore().store))).flow, jti: 'jti-0002-abcdef' };
    const { store } = fakeJtiStore([false]);
    await expect(openFlow(request(await sign(), { existingFlow: held }), deps(store))).rejects.toMatchObject({ code: 'token_replayed' });
  });

  it('lets the store being down propagate unchanged', async () => {
    const down = new DetourError('store_unavailable', 503, 'The sign-in service is not available right now.');
    const { store, claims } = fakeJtiStore([down]);
    await expect(openFlow(request(await sign()), deps(store))).rejects.toBe(down);
    expect(claims).toHaveLength(1);
  });
});
