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
}

export interface RuleResult {
  outcome: 'redirect' | 'denied' | 'completed';
  redirectUrl?: string;
  denyReason?: string;
}

type RuleFn = (user: unknown, context: unknown, callback: (err?: unknown, user?: unknown, context?: unknown) => void) => void;

/** Evaluates the Rule source (a single function expression) with Auth0's Rule globals in scope. */
export function loadRule(configuration: Record<string, string>, domain: string, file: string = RULE_PATH): RuleFn {
  const source = readFileSync(file, 'utf8');
  const factory = new Function('configuration', 'UnauthorizedError', 'auth0', 'require', `return (${source}\n);`);
  return factory({ ...configuration }, UnauthorizedError, { domain }, sandboxRequire(file)) as RuleFn;
}

export function runRule(input: RuleInput, file: string = RULE_PATH): Promise<RuleResult> {
  const rule = loadRule(input.configuration, input.request.hostname, file);
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
  };
  return new Promise<RuleResult>((resolve) => {
    let done = false;
    const finish = (result: RuleResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => finish({ outcome: 'denied', denyReason: 'Script execution time exceeded' }), TIMEOUT_MS);
    timer.unref();
    const callback = (err?: unknown, _user?: unknown, ctx?: unknown) => {
      if (err) return finish({ outcome: 'denied', denyReason: err instanceof Error ? err.message : String(err) });
      const redirect = (ctx as { redirect?: { url?: unknown } } | undefined)?.redirect;
      // On /continue Auth0 ignores context.redirect; on non-interactive protocols a redirect fails the login.
      if (input.protocol === 'redirect-callback' || typeof redirect?.url !== 'string') return finish({ outcome: 'completed' });
      if (NO_REDIRECT.includes(input.protocol)) return finish({ outcome: 'denied', denyReason: 'interaction_required' });
      finish({ outcome: 'redirect', redirectUrl: redirect.url });
    };
    try {
      rule(structuredClone(input.user), context, callback);
    } catch (error) {
      finish({ outcome: 'denied', denyReason: error instanceof Error ? error.message : String(error) });
    }
  });
}
