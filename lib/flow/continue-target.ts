import 'server-only';
import type { DetourConfig } from '../config';
import { DetourError } from '../errors';
import { matchIssuer } from '../tokens';
import type { FlowState } from './flow-state';

/**
 * DESIGN "Protocols": /continue is always built from configuration, never from anything unsigned. Actions:
 * the allow-list entry the verified `iss` matched. Rules: the custom domain when set, else the tenant domain.
 */
export function continueUrl(flow: Pick<FlowState, 'protocol' | 'iss' | 'state'>, config: DetourConfig): string {
  const entry = flow.protocol === 'rules' ? (config.customDomain ?? config.tenant) : matchIssuer(flow.iss, config.issuerAllowList);
  if (!entry) {
    throw new DetourError('misconfigured', 500, 'The sign-in service for this flow is no longer configured.', { reason: 'issuer_not_configured' });
  }
  const url = new URL('/continue', entry.origin);
  url.searchParams.set('state', flow.state);
  return url.toString();
}
