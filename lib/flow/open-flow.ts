import 'server-only';
import type { DetourConfig } from '../config';
import { DetourError } from '../errors';
import { negotiateLocale } from '../i18n/negotiate-locale';
import type { JtiStore } from '../store';
import { verifySessionToken, type SessionClaims } from '../tokens';
import { FLOW_TTL_SECONDS } from './flow-cookie';
import type { FlowState } from './flow-state';
import { readStartParameters } from './start-parameters';
import { knownStepIds, stepTokenClaims } from '../steps/registry';

export interface OpenFlowDeps {
  config: DetourConfig;
  jtiStore: JtiStore;
  /** Encrypts the flow for its cookie; runs before the claim so a flow that cannot be stored burns nothing. */
  seal: (flow: FlowState) => Promise<string>;
  now?: Date;
}

export interface StartRequest {
  params: URLSearchParams;
  acceptLanguage: string | null;
  /** The flow this browser already holds, if any (decrypted from its cookie). */
  existingFlow: FlowState | null;
}

export interface OpenFlowResult {
  kind: 'started' | 'resumed';
  flow: FlowState;
  sealed: string;
}

/**
 * GET /start: check the parameters, verify the session token, and claim its jti once. The browser that already
 * holds this jti's flow resumes where it was instead of being refused (DESIGN "Incoming session token", jti).
 */
export async function openFlow(request: StartRequest, deps: OpenFlowDeps): Promise<OpenFlowResult> {
  const { config } = deps;
  const now = deps.now ?? new Date();
  const { state, token } = readStartParameters(request.params, config.protocol);
  const claims = await verifySessionToken(token, {
    secrets: config.sessionTokenSecrets,
    protocol: config.protocol,
    issuers: config.issuerAllowList,
    rulesIssuer: config.rulesIssuer ?? undefined,
    audience: config.sessionTokenAudience,
    maxAgeSeconds: config.sessionTokenMaxAge,
    knownSteps: knownStepIds(),
    stepClaims: stepTokenClaims(),
    expectedState: state,
    now,
  });

  const existing = request.existingFlow;
  if (existing && existing.jti === claims.jti && existing.iss === claims.iss && existing.sub === claims.sub && existing.state === state) {
    return { kind: 'resumed', flow: existing, sealed: await deps.seal(existing) };
  }

  const flow = buildFlow(claims, state, request.acceptLanguage, config, now);
  const sealed = await deps.seal(flow);
  // Keyed on the normalised issuer, so `tenant` and `https://tenant/` name the same tenant.
  const firstClaim = await deps.jtiStore.claimJti({ iss: claims.issuer?.host ?? claims.iss, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) });
  if (!firstClaim) {
    throw new DetourError('token_replayed', 409, 'This sign-in link has already been used. Start the sign-in again from your application.');
  }

  return { kind: 'started', flow, sealed };
}

function buildFlow(claims: SessionClaims, state: string, acceptLanguage: string | null, config: DetourConfig, now: Date): FlowState {
  const startedAt = Math.floor(now.getTime() / 1000);
  return {
    v: 1,
    protocol: config.protocol,
    sub: claims.sub,
    iss: claims.iss,
    jti: claims.jti,
    state,
    steps: claims.steps,
    completed: [],
    results: {},
    locale: negotiateLocale({
      uiLocales: claims.ui_locales,
      acceptLanguage,
      supported: config.steps.locales.supported,
      fallback: config.steps.locales.default,
    }),
    ...(claims.email ? { email: claims.email } : {}),
    ...(claims.name ? { name: claims.name } : {}),
    claims: claims.stepClaims,
    started_at: startedAt,
    expires_at: startedAt + FLOW_TTL_SECONDS,
  };
}
