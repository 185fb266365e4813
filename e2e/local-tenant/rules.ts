// Emulation of the legacy Rules runtime: `function (user, context, callback)` with `configuration` in scope.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sandboxRequire } from './runtime';
import type { PublicUser } from './users';

export const RULE_PATH = fileURLToPath(new URL('../../integrations/auth0/redirect-rule.js', import.meta.url));
const NO_REDIRECT = ['oauth2-resource-owner', 'oauth2-password', 'oauth2-refresh-token'];
const TIMEOUT_MS = 20_000;

export class UnauthorizedError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export interface RuleInput {
  user: PublicUser;
  configuration: Record<string, string>;
  clientID: string;
  connection: { name: string; strategy: string };
  /** 'oidc-basic-profile' on a login, 'redirect-callback' on /continue. */
  protocol: string;
  request: { ip: string; hostname: string; language?: string; userAgent?: string; query: Record<string, string>; body: Record<string, unknown> };
  /**
   * Backs `auth0.users.updateAppMetadata` / `updateUserMetadata` (first-level merge, null removes a key). The local
   * tenant writes its store; without one the writes are only recorded in the result. A rejection fails the call.
   */
  writeMetadata?: (kind: 'app_metadata' | 'user_metadata', userId: string, metadata: Record<string, unknown>) => Promise<void>;
  /** More `context` properties, e.g. a `redirect` an earlier rule set, or `multifactor`. */
  contextExtras?: Record<string, unknown>;
}

export interface MetadataWrite {
  kind: 'app_metadata' | 'user_metadata';
  user_id: string;
  metadata: Record<string, unknown>;
}

export interface RuleResult {
  outcome: 'redirect' | 'denied' | 'completed';
  redirectUrl?: string;
  denyReason?: string;
  /** Every auth0.users.update*Metadata call, in order. */
  metadataWrites: MetadataWrite[];
}

/** The part of the Rules `auth0` global the Rule uses: the domain and the users metadata calls. */
export interface RuleAuth0 {
  domain: string;
  users: {
    updateAppMetadata(userId: string, metadata: Record<string, unknown>): Promise<void>;
    updateUserMetadata(userId: string, metadata: Record<string, unknown>): Promise<void>;
  };
}

type RuleFn = (user: unknown, context: unknown, callback: (err?: unknown, user?: unknown, context?: unknown) => void) => void;

/** Evaluates the Rule source (a single function expression) with Auth0's Rule globals in scope. */
export function loadRule(configuration: Record<string, string>, auth0: RuleAuth0, file: string = RULE_PATH): RuleFn {
  const source = readFileSync(file, 'utf8');
  const factory = new Function('configuration', 'UnauthorizedError', 'auth0', 'require', `return (${source}\n);`);
  return factory({ ...configuration }, UnauthorizedError, auth0, sandboxRequire(file)) as RuleFn;
}

function emulatedAuth0(input: RuleInput, writes: MetadataWrite[]): RuleAuth0 {
  const update = (kind: MetadataWrite['kind']) => async (userId: string, metadata: Record<string, unknown>) => {
    if (typeof userId !== 'string' || typeof metadata !== 'object' || metadata === null) throw new Error('Bad Request: invalid arguments');
    const copy = structuredClone(metadata);
    await input.writeMetadata?.(kind, userId, copy);
    writes.push({ kind, user_id: userId, metadata: copy });
  };
  return { domain: input.request.hostname, users: { updateAppMetadata: update('app_metadata'), updateUserMetadata: update('user_metadata') } };
}

export function runRule(input: RuleInput, file: string = RULE_PATH): Promise<RuleResult> {
  const metadataWrites: MetadataWrite[] = [];
  const rule = loadRule(input.configuration, emulatedAuth0(input, metadataWrites), file);
  const context: Record<string, unknown> = {
    tenant: 'local',
    clientID: input.clientID,
    clientName: input.clientID,
    clientMetadata: {},
    connection: input.connection.name,
    connectionStrategy: input.connection.strategy,
    protocol: input.protocol,
    stats: { loginsCount: 1 },
    request: { geoip: {}, ...structuredClone(input.request) },
    ...input.contextExtras,
  };
  return new Promise<RuleResult>((resolve) => {
    let done = false;
    const finish = (result: Omit<RuleResult, 'metadataWrites'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...result, metadataWrites });
    };
    const timer = setTimeout(() => finish({ outcome: 'denied', denyReason: 'Script execution time exceeded' }), TIMEOUT_MS);
    timer.unref();
    const callback = (err?: unknown, _user?: unknown, ctx?: unknown) => {
      if (err) return finish({ outcome: 'denied', denyReason: err instanceof Error ? err.message : String(err) });
      const redirect = (ctx as { redirect?: { url?: unknown } } | undefined)?.redirect;
      // On /continue Auth0 ignores context.redirect; on non-interactive protocols a redirect fails the login.
      if (input.protocol === 'redirect-callback' || typeof redirect?.url !== 'string') return finish({ outcome: 'completed' });
      const silent = String(input.request.query.prompt ?? '').split(' ').includes('none');
      if (NO_REDIRECT.includes(input.protocol) || silent) return finish({ outcome: 'denied', denyReason: 'interaction_required' });
      finish({ outcome: 'redirect', redirectUrl: redirect.url });
    };
    try {
      rule(structuredClone(input.user), context, callback);
    } catch (error) {
      finish({ outcome: 'denied', denyReason: error instanceof Error ? error.message : String(error) });
    }
  });
}
