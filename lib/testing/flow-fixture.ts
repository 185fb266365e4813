import { FLOW_TTL_SECONDS } from '../flow/flow-cookie';
import type { FlowState } from '../flow/flow-state';

/** A flow as /start opens it (terms then profile, nothing done yet), started a minute ago by the real clock. */
export function testFlow(overrides: Partial<FlowState> = {}): FlowState {
  const startedAt = Math.floor(Date.now() / 1000) - 60;
  return {
    v: 1,
    protocol: 'actions',
    sub: 'auth0|alice',
    iss: 'tenant.eu.auth0.com',
    jti: 'jti-0001-abcdef',
    state: 'hKFo2SBsb2dpbi1zdGF0ZQ',
    steps: ['terms', 'profile'],
    completed: [],
    results: {},
    claims: {},
    locale: 'en',
    email: 'alice@example.com',
    started_at: startedAt,
    expires_at: startedAt + FLOW_TTL_SECONDS,
    ...overrides,
  };
}
