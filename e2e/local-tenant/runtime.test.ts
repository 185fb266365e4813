// The emulated post-login trigger versions: what v2 and v3 give an Action, and how the tenant picks one.
import { describe, expect, it } from 'vitest';
import { NON_INTERACTIVE_CASES } from '../../integrations/auth0/decision-cases';
import { optionsFromEnv, resolveOptions, TRIGGER_VERSIONS } from './config';
import { runPostLogin, type ExecutionInput, type PostLoginAction } from './runtime';
import { BERLIN, LISBON, publicUser, seedUsers } from './users';

const METHOD_URL = 'https://detour.example.com/steps';
const alice = publicUser(seedUsers('2026-11-01').find((u) => u.nickname === 'alice')!);
type Api = { redirect: Record<string, unknown>; authentication: Record<string, unknown> };
type Phase = 'execute' | 'continue';

function input(extra: Partial<ExecutionInput> = {}): ExecutionInput {
  return {
    user: alice,
    secrets: {},
    client: { client_id: 'app-1' },
    connection: { name: 'Username-Password-Authentication', strategy: 'auth0' },
    request: { ip: '203.0.113.7', hostname: 'tenant.eu.auth0.com', method: 'POST', query: {}, body: {} },
    transaction: { protocol: 'oidc-basic-profile', locale: 'en', prompt: [] },
    ...extra,
  };
}

/** An Action that runs `body` in either handler, with the api typed loosely enough to probe for missing members. */
const probe = (body: (event: { authentication: { methods: { name: string }[] } }, api: Api) => unknown): PostLoginAction => ({
  onExecutePostLogin: (event, api) => body(event as never, api as Api),
  onContinuePostLogin: (event, api) => body(event as never, api as Api),
});
const sendToDetour = probe((_, api) => (api.redirect.sendUserTo as (url: string) => unknown)('https://detour.example.com/start'));
const recordStep = probe((_, api) => (api.authentication.recordMethod as (url: string) => unknown)(METHOD_URL));

describe('the api of each trigger version', () => {
  it.each([
    { triggerVersion: 'v2' as const, phase: 'execute' as Phase, canRedirect: 'function', recordMethod: 'undefined' },
    { triggerVersion: 'v2' as const, phase: 'continue' as Phase, canRedirect: 'function', recordMethod: 'undefined' },
    { triggerVersion: 'v3' as const, phase: 'execute' as Phase, canRedirect: 'undefined', recordMethod: 'function' },
    { triggerVersion: 'v3' as const, phase: 'continue' as Phase, canRedirect: 'undefined', recordMethod: 'function' },
  ])('$triggerVersion $phase: canRedirect is $canRedirect, recordMethod is $recordMethod', async ({ triggerVersion, phase, ...expected }) => {
    const seen: Record<string, string> = {};
    const look = probe((_, api) => {
      seen.canRedirect = typeof api.redirect.canRedirect;
      seen.recordMethod = typeof api.authentication.recordMethod;
      // Absent from the object, not merely undefined: `'canRedirect' in api.redirect` is how an Action might test it.
      seen.hasCanRedirect = String('canRedirect' in api.redirect);
    });
    await runPostLogin(look, input({ triggerVersion }), phase);
    expect(seen).toEqual({ ...expected, hasCanRedirect: String(expected.canRedirect === 'function') });
  });

  it('defaults to v3, the current GA version', async () => {
    const seen: string[] = [];
    await runPostLogin(probe((_, api) => seen.push(typeof api.redirect.canRedirect)), input(), 'execute');
    expect(seen).toEqual(['undefined']);
  });

  it.each([
    { name: 'an interactive login', extra: {}, expected: true },
    { name: 'an interactive login Auth0 refuses anyway', extra: { canRedirect: false }, expected: false },
    ...NON_INTERACTIVE_CASES.map((flow) => ({ name: flow.name, extra: flowInput(flow), expected: false })),
  ])('v2 canRedirect() for $name is $expected', async ({ extra, expected }) => {
    const seen: unknown[] = [];
    await runPostLogin(probe((__, api) => seen.push((api.redirect.canRedirect as () => boolean)())), input({ ...extra, triggerVersion: 'v2' }), 'execute');
    expect(seen).toEqual([expected]);
  });
});

function flowInput(flow: (typeof NON_INTERACTIVE_CASES)[number]): Partial<ExecutionInput> {
  return {
    transaction: { protocol: flow.protocol ?? 'oidc-basic-profile', locale: 'en', prompt: flow.prompt ?? [] },
    request: { ...input().request, query: flow.queryPrompt ? { prompt: flow.queryPrompt } : {} },
  };
}

describe('sendUserTo', () => {
  it.each(TRIGGER_VERSIONS)('%s: redirects an interactive login', async (triggerVersion) => {
    expect(await runPostLogin(sendToDetour, input({ triggerVersion }), 'execute')).toMatchObject({ outcome: 'redirect', redirectUrl: 'https://detour.example.com/start' });
  });

  it.each(NON_INTERACTIVE_CASES.map((flow) => [flow.name, flow] as const))('%s: v2 skips the redirect silently, v3 fails the login with interaction_required', async (_, flow) => {
    const v2 = await runPostLogin(sendToDetour, input({ ...flowInput(flow), triggerVersion: 'v2' }), 'execute');
    expect([v2.outcome, v2.redirectUrl, v2.denyReason]).toEqual(['completed', undefined, undefined]);
    const v3 = await runPostLogin(sendToDetour, input({ ...flowInput(flow), triggerVersion: 'v3' }), 'execute');
    expect([v3.outcome, v3.redirectUrl]).toEqual(['denied', undefined]);
    expect(v3.denyReason).toMatch(/^interaction_required: api\.redirect\.sendUserTo\(\) was called in a non-interactive flow \(.+\)$/);
  });
});

describe('api.authentication.recordMethod (v3)', () => {
  it('records the method with a timestamp in onContinuePostLogin', async () => {
    const result = await runPostLogin(recordStep, input({ triggerVersion: 'v3', now: () => Date.UTC(2026, 10, 26) }), 'continue');
    expect(result).toMatchObject({ outcome: 'completed', recordedMethods: [{ name: METHOD_URL, timestamp: '2026-11-26T00:00:00.000Z' }] });
  });

  it.each([
    ['in onExecutePostLogin', 'execute' as Phase, METHOD_URL, 'api.authentication.recordMethod is only available in onContinuePostLogin'],
    ['with a name that is not a URL', 'continue' as Phase, 'detour-steps', 'api.authentication.recordMethod: the method must be named by a URL'],
  ])('throws %s (the Action fails)', async (_, phase, url, message) => {
    const result = await runPostLogin(probe((__, api) => (api.authentication.recordMethod as (u: string) => unknown)(url)), input({ triggerVersion: 'v3' }), phase);
    expect(result).toMatchObject({ outcome: 'denied', denyReason: message, recordedMethods: [] });
  });

  it.each([
    { triggerVersion: 'v2' as const, methods: ['pwd'] },
    { triggerVersion: 'v3' as const, methods: ['pwd', METHOD_URL] },
  ])('$triggerVersion: event.authentication.methods lists $methods', async ({ triggerVersion, methods }) => {
    const seen: string[] = [];
    const sessionMethods = [{ name: METHOD_URL, timestamp: '2026-11-25T00:00:00.000Z' }];
    await runPostLogin(probe((event) => seen.push(...event.authentication.methods.map((m) => m.name))), input({ triggerVersion, sessionMethods }), 'execute');
    expect(seen).toEqual(methods);
  });
});

describe('event.request.geoip', () => {
  const seeGeoip = async (extra: Partial<ExecutionInput>) => {
    const seen: unknown[] = [];
    await runPostLogin(probe((event) => seen.push((event as unknown as { request: { geoip: unknown } }).request.geoip)), input(extra), 'execute');
    return seen[0];
  };

  it.each([
    ['the request\'s geoip reaches the Action as given', { ...input().request, geoip: LISBON }, LISBON],
    ['Berlin, the tenant\'s default for a login', { ...input().request, geoip: BERLIN }, BERLIN],
    ['none given: {} (no location known)', input().request, {}],
  ])('%s', async (_, request, expected) => {
    expect(await seeGeoip({ request })).toEqual(expected);
  });

  it('keeps seeded signsInFrom out of event.user (the Management API user)', async () => {
    const pablo = seedUsers('2026-11-01').find((u) => u.nickname === 'pablo')!;
    expect(pablo.signsInFrom).toEqual(LISBON);
    const seen: unknown[] = [];
    await runPostLogin(probe((event) => seen.push((event as unknown as { user: unknown }).user)), input({ user: publicUser(pablo) }), 'execute');
    expect(seen[0]).not.toHaveProperty('signsInFrom');
    expect(JSON.stringify(seen[0])).not.toContain('Lisbon');
  });
});

describe('LOCAL_TENANT_TRIGGER_VERSION', () => {
  const fromEnv = (value: string | undefined) => resolveOptions(optionsFromEnv({ NODE_ENV: 'test', LOCAL_TENANT_TRIGGER_VERSION: value }));

  it.each([
    [undefined, 'v3'],
    ['', 'v3'],
    ['v2', 'v2'],
    ['v3', 'v3'],
  ])('%j resolves to %s', (value, expected) => {
    expect(fromEnv(value).triggerVersion).toBe(expected);
  });

  it.each(['V3', '3', 'v1', 'latest'])('refuses %j at startup, naming the variable and the choices', (value) => {
    expect(() => fromEnv(value)).toThrow(`LOCAL_TENANT_TRIGGER_VERSION must be 'v2' or 'v3', got '${value}'`);
  });
});
